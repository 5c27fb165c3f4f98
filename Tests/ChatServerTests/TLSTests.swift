import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// TLS on the server (issue 15): real clients over `--tls-listen` (ncat --ssl as a telnet user,
/// openssl s_client as an IRC client, irssi), the certificate reloaded on SIGHUP, bad
/// certificates, and clients on the wrong kind of port.
@Suite(.serialized) struct TLSTests {
    /// A server with a plain and a TLS listener and a fresh certificate; its TLS port.
    func tlsServer(_ extra: [String] = []) async throws -> (ServerProcess, Int, TestCertificate, String) {
        let dir = NSTemporaryDirectory() + "tls-\(UUID().uuidString.prefix(8))"
        let cert = try await TestCertificate.make(in: dir)
        let server = try await ServerProcess(["--tls-listen", "127.0.0.1:0", "--tls-cert", cert.certificatePath,
                                              "--tls-key", cert.keyPath] + extra)
        return (server, try await tlsPort(of: server), cert, dir)
    }

    @Test func ncatWithSSLIsGreetedAsATelnetUserAndTalks() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await ncatTelnetUser(port: tlsPort, nick: "alice")
        defer { tmux.kill() }
        let plain = try await talkWithAPlainUser(tmux, as: "alice", on: server)
        // The console's who shows the TLS connection with its version and cipher.
        let who = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "who"])
        let aliceRow = who.out.split(separator: "\n").first { $0.contains("alice") } ?? ""
        #expect(aliceRow.contains("tls(TLSv1.3/TLS_"), "\(who)")
        let bobRow = who.out.split(separator: "\n").first { $0.contains("bob") } ?? ""
        #expect(!bobRow.isEmpty && !bobRow.contains("tls("), "\(who)")
        withExtendedLifetime(plain) {}
        await server.stop()
    }

    /// socat, as SERVER.md documents it (`socat - OPENSSL:host:port`; Debian's socat has no
    /// READLINE): a telnet user over TLS too; `verify=0` because the test's certificate is
    /// self-signed.
    @Test func socatOverTLSIsGreetedAsATelnetUserAndTalks() async throws {
        guard let socat = findExecutable("socat") else {
            Issue.record("needs socat: apt-get install -y socat")
            return
        }
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await telnetUserInTmux("exec \(socat) - OPENSSL:127.0.0.1:\(tlsPort),verify=0", nick: "carol")
        defer { tmux.kill() }
        try await talkWithAPlainUser(tmux, as: "carol", on: server)
        await server.stop()
    }

    @Test func opensslClientRegistersAsAnIRCClientOverTLS() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await Tmux(cols: 160, rows: 30)
        defer { tmux.kill() }
        // The lines wait in a pipe and go as soon as the handshake is done, as an IRC client's
        // first lines do (typed later, after the quiet period, they would make a telnet user).
        let lines = "CAP LS 302\\r\\nNICK tlsirc\\r\\nUSER tlsirc 0 * :TLS IRC\\r\\nCAP END\\r\\nJOIN #tls\\r\\n"
        try await tmux.typeLine("exec sh -c '(printf \"\(lines)\"; cat) | openssl s_client -quiet -connect 127.0.0.1:\(tlsPort)'")
        _ = try await tmux.waitFor(text: "CAP * LS", timeout: 20)
        _ = try await tmux.waitFor(text: "001 tlsirc", timeout: 20)
        // On the TLS port sts carries the persistence policy (a day by default), not a port.
        let screen = await tmux.screen().joined(separator: "\n")
        #expect(screen.contains("sts=duration=86400"), "\(screen)")
        #expect(!screen.contains("sts=port="), "\(screen)")
        _ = try await tmux.waitFor(text: "366 tlsirc #tls", timeout: 20)
        await server.stop()
    }

    @Test func plainPortsAdvertiseTheTLSPortWithSTS() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try server.connect()
        try c.line("CAP LS 302")
        let ls = try await c.expect("\r\n")
        #expect(ls.contains("sts=port=\(tlsPort)"), "\(ls)")
        #expect(!ls.contains("duration="), "\(ls)")
        await server.stop()
    }

    /// `--sts-duration` sets the TLS port's `duration=` (0 withdraws a policy); bad values are
    /// one clear line at start-up.
    @Test func theTLSPortsSTSDurationIsASetting() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer(["--sts-duration", "0"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await Tmux(cols: 160, rows: 30)
        defer { tmux.kill() }
        try await tmux.typeLine("exec sh -c '(printf \"CAP LS 302\\r\\n\"; cat) | openssl s_client -quiet -connect 127.0.0.1:\(tlsPort)'")
        _ = try await tmux.waitFor(text: "sts=duration=0", timeout: 20)
        await server.stop()
        for bad in ["-1", "31536001", "day"] {
            let e = try await runToExit(productPath("chat-server"), ["--listen", "127.0.0.1:0", "--no-console", "--user", "root",
                                                                  "--sts-duration", bad], errorsApart: true, timeout: 60)
            #expect(e.status != 0 && e.errors.contains("--sts-duration"), "\(bad): \(e)")
        }
    }

    @Test func irssiConnectsOverTLS() async throws {
        guard let irssi = findExecutable("irssi") else {
            Issue.record("needs irssi: apt-get install -y irssi")
            return
        }
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let home = server.dir + "/irssi"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let tmux = try await Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        try await tmux.typeLine("exec env TERM=screen \(irssi) --home=\(home) -n tlsirssi")
        _ = try await tmux.waitFor(text: "Irssi", timeout: 20)
        try await tmux.typeLine("/connect -tls -notls_verify 127.0.0.1 \(tlsPort)")
        _ = try await tmux.waitFor(text: "Welcome to the test.server Network", timeout: 30)
        try await tmux.typeLine("/join #lobby")
        _ = try await tmux.waitFor(text: "Total of 1 nicks", timeout: 20)
        let human = try await humanUser(server, nick: "human")
        try await human.expect("In #lobby")
        try human.line("hello irssi over tls")
        _ = try await tmux.waitFor(text: "hello irssi over tls", timeout: 20)
        try await tmux.typeLine("/quit leaving")
        try await human.expect("tlsirssi quit")
        await tmux.waitUntilEnded()
        await server.stop()
    }

    @Test func aPlaintextClientOnTheTLSPortIsToldToUseTLS() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A line: the answer at once.
        let irc = try UserConnection(port: tlsPort)
        try irc.line("NICK plain")
        try await irc.expect("This port speaks TLS: try ircs://test.server:\(tlsPort)")
        #expect(await irc.expectClosed())
        // Silence (a telnet user waiting for a greeting): the same after a few seconds.
        let quiet = try UserConnection(port: tlsPort)
        try await quiet.expect("This port speaks TLS", timeout: 20)
        #expect(await quiet.expectClosed())
        // The server still serves both ports.
        let human = try await humanUser(server, nick: "still")
        try await human.expect("In #lobby")
        await server.stop()
    }

    @Test func aTLSClientOnAPlainPortGetsAnAlertNotGarbage() async throws {
        let (server, _, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try await runToExit("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)"], timeout: 60)
        #expect(r.output.contains("alert handshake failure"), "\(r.output)")
        #expect(!r.output.contains("Choose a nickname"), "\(r.output)")
        let human = try await humanUser(server, nick: "after")
        try await human.expect("In #lobby")
        await server.stop()
    }

    @Test func hostileHandshakeBytesEndThatSessionOnly() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer(["--log-level", "debug"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await ncatTelnetUser(port: tlsPort, nick: "steady")
        defer { tmux.kill() }
        // A handshake record header then garbage; a huge record length; a ClientHello cut short
        // and then nonsense.
        let attacks: [[UInt8]] = [
            [0x16, 0x03, 0x01, 0x00, 0x40] + (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) },
            [0x16, 0x03, 0x03, 0xff, 0xff] + [UInt8](repeating: 0x41, count: 300),
            [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 4096),
        ]
        for bytes in attacks {
            let c = try UserConnection(port: tlsPort)
            try? c.send(bytes: bytes)
            #expect(await c.expectClosed(timeout: 30), "\(bytes.prefix(5))")
        }
        try await server.waitForLog("TLS error", timeout: 20)
        // The TLS user is still there and talks.
        let human = try await humanUser(server, nick: "witness")
        try await human.expect("In #lobby")
        try await tmux.typeLine("still here")
        try await human.expect("<steady> still here")
        await server.stop()
    }

    @Test func sighupLoadsANewCertificateWithoutDroppingAnyoneAndABadOneIsRefused() async throws {
        let (server, tlsPort, first, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try await TLSCertificatePresented(tlsPort) == first.fingerprint)
        let tmux = try await ncatTelnetUser(port: tlsPort, nick: "stays")
        defer { tmux.kill() }
        // A new certificate in the same files, then SIGHUP.
        let second = try await TestCertificate.make(in: dir, name: "next")
        try FileManager.default.removeItem(atPath: first.certificatePath)
        try FileManager.default.removeItem(atPath: first.keyPath)
        try FileManager.default.copyItem(atPath: second.certificatePath, toPath: first.certificatePath)
        try FileManager.default.copyItem(atPath: second.keyPath, toPath: first.keyPath)
        chmod(first.keyPath, 0o644)
        kill(server.pid, SIGHUP)
        try await server.waitForLog("TLS certificate SHA256:\(second.fingerprint) for new connections", timeout: 20)
        #expect(try await TLSCertificatePresented(tlsPort) == second.fingerprint)
        // A certificate that does not parse: the reload fails, says why, keeps the last one.
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: first.certificatePath))
        kill(server.pid, SIGHUP)
        let failed = try await server.waitForLog("reload failed", timeout: 20)
        #expect(failed.contains("bad TLS certificate"), "\(failed)")
        #expect(try await TLSCertificatePresented(tlsPort) == second.fingerprint)
        // And the console's reload says the same.
        let reply = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "reload"])
        #expect((reply.out + reply.err).contains("bad TLS certificate"), "\(reply)")
        // Whoever was connected still is.
        let human = try await humanUser(server, nick: "witness")
        try await human.expect("In #lobby")
        try await tmux.typeLine("after the reloads")
        try await human.expect("<stays> after the reloads")
        await server.stop()
    }

    @Test func theCertificateAndKeyMayComeFromTheConfigFile() async throws {
        let dir = NSTemporaryDirectory() + "tls-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir)
        // Relative to the config file's directory.
        try "tls-cert = server.crt\ntls-key = server.key\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        chmod(dir + "/chat.conf", 0o644)
        let server = try await ServerProcess(["--tls-listen", "127.0.0.1:0", "--config", dir + "/chat.conf"])
        let tlsPort = try await tlsPort(of: server)
        #expect(try await TLSCertificatePresented(tlsPort) == cert.fingerprint)
        await server.stop()
    }

    func TLSCertificatePresented(_ port: Int) async throws -> String { try await TestCertificate.presented(port: port) }

    @Test func aBadCertificateOrKeyAtStartUpIsOneClearLine() async throws {
        let dir = NSTemporaryDirectory() + "tls-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try await TestCertificate.make(in: dir, name: "a")
        let b = try await TestCertificate.make(in: dir, name: "b", kind: "rsa")
        let garbage = dir + "/garbage.pem"
        try Data("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let server = productPath("chat-server")
        let cases: [([String], String)] = [
            (["--tls-cert", garbage, "--tls-key", a.keyPath], "bad TLS certificate"),
            (["--tls-cert", a.certificatePath, "--tls-key", b.keyPath], "the private key does not match the certificate"),
            (["--tls-cert", a.certificatePath, "--tls-key", dir + "/missing.key"], "cannot read the TLS key"),
            (["--tls-cert", a.certificatePath], "--tls-cert needs --tls-key"),
            ([], "--tls-listen needs --tls-cert and --tls-key"),
        ]
        for (args, message) in cases {
            let r = try await runToExit(server, ["--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--no-console",
                                                 "--user", "root"] + args, errorsApart: true, timeout: 60)
            #expect(r.status == 1, "\(args): \(r)")
            let lines = r.errors.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("chat-server: error: ") && lines[0].contains(message), "\(args): \(r.errors)")
        }
    }
}

/// The port of a server's TLS listener, from its `listening on HOST:PORT (TLS)` line.
func tlsPort(of server: ServerProcess) async throws -> Int {
    try await server.process.waitForTLSPort(timeout: 20)
}

/// A person on `ncat --ssl` in tmux, registered as `nick` and in #lobby.
func ncatTelnetUser(port: Int, nick: String) async throws -> Tmux {
    try await telnetUserInTmux("exec ncat --ssl 127.0.0.1 \(port)", nick: nick)
}

/// A person on whatever `command` runs in tmux (a line client), registered as `nick` and in #lobby.
func telnetUserInTmux(_ command: String, nick: String) async throws -> Tmux {
    let tmux = try await Tmux(cols: 100, rows: 30)
    try await tmux.typeLine(command)
    _ = try await tmux.waitFor(text: "Choose a nickname", timeout: 20)
    try await tmux.typeLine(nick)
    _ = try await tmux.waitFor(text: "You joined #lobby", timeout: 20)
    return tmux
}

/// A plain telnet user, bob, and the person in `tmux` (`nick`) each see the other's line; bob.
@discardableResult
func talkWithAPlainUser(_ tmux: Tmux, as nick: String, on server: ServerProcess) async throws -> UserConnection {
    let plain = try await humanUser(server, nick: "bob")
    try await plain.expect("In #lobby")
    try await tmux.typeLine("hello from \(nick)")
    try await plain.expect("<\(nick)> hello from \(nick)")
    try plain.line("hello in clear")
    _ = try await tmux.waitFor(text: "<bob> hello in clear", timeout: 20)
    return plain
}
