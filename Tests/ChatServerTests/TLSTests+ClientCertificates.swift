import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// TLS client certificates over the real binary (issue 16): the server asks for one and takes
/// any, `NickServ CERT ADD` keeps its fingerprint, SASL EXTERNAL (openssl s_client, irssi)
/// and `IDENTIFY` without a password log in by it, and EXTERNAL without one is a clear 904.
extension TLSTests {
    /// A TLS server where `alice` registered over plain IRC and added a new client
    /// certificate to her account; its TLS port, that certificate, and the directory to remove.
    func serverWithAlicesCertificate() async throws -> (ServerProcess, Int, TestCertificate, String) {
        let (server, port, _, dir) = try await tlsServer()
        let cert = try await TestCertificate.make(in: dir, name: "client", commonName: "alice")
        let owner = try await ircUser(server, nick: "alice")
        try owner.line("NS REGISTER sesame1")
        try await owner.expect(" 900 alice ")
        // In OpenSSL's form (colons, upper case): stored as 64 lower-case hex digits.
        try owner.line("NS CERT ADD \(cert.fingerprint)")
        let plain = cert.fingerprint.lowercased().filter { $0 != ":" }
        try await owner.expect("Added the fingerprint \(plain) to alice.")
        try owner.line("QUIT")
        return (server, port, cert, dir)
    }

    /// openssl s_client in `tmux`, with the client certificate `cert` when given, sending `lines` once connected.
    func sClient(_ tmux: Tmux, port: Int, cert: TestCertificate?, lines: [String]) async throws {
        let certArgs = cert.map { "-cert \($0.certificatePath) -key \($0.keyPath) " } ?? ""
        let text = lines.map { $0 + "\\r\\n" }.joined()
        try await tmux.typeLine("exec sh -c '(printf \"\(text)\"; cat) | openssl s_client -quiet \(certArgs)-connect 127.0.0.1:\(port)'")
    }

    @Test func saslExternalLogsInByTheClientCertificate() async throws {
        let (server, port, cert, dir) = try await serverWithAlicesCertificate()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await Tmux(cols: 200, rows: 40)
        defer { tmux.kill() }
        try await sClient(tmux, port: port, cert: cert, lines: [
            "CAP LS 302", "CAP REQ :sasl", "NICK ext", "USER ext 0 * :x", "AUTHENTICATE EXTERNAL", "AUTHENTICATE +", "CAP END"])
        _ = try await tmux.waitFor(text: "sasl=PLAIN,EXTERNAL", timeout: 20)
        _ = try await tmux.waitFor(text: "You are now logged in as alice", timeout: 20)
        _ = try await tmux.waitFor(text: "903 * :SASL authentication successful", timeout: 20)
        _ = try await tmux.waitFor(text: "001 ext", timeout: 20)
        let human = try await humanUser(server, nick: "human")
        try human.line("/whois ext")
        try await human.expect("-- ext is logged in as alice")
        // The console lists the account with its one certificate.
        let listed = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "accounts"])
        #expect(listed.out.contains("CERTS"), "\(listed)")
        await server.stop()
    }

    @Test func externalWithoutACertificateOrWithAnUnknownOneIsRefusedClearly() async throws {
        let (server, port, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stranger = try await TestCertificate.make(in: dir, name: "stranger", commonName: "stranger")
        let tmux = try await Tmux(cols: 200, rows: 40)
        defer { tmux.kill() }
        try await sClient(tmux, port: port, cert: nil, lines: [
            "CAP LS 302", "CAP REQ :sasl", "NICK nocert", "USER nocert 0 * :x", "AUTHENTICATE EXTERNAL"])
        _ = try await tmux.waitFor(text: "904 * :SASL authentication failed: you presented no TLS client certificate", timeout: 20)
        let other = try await Tmux(cols: 200, rows: 40)
        defer { other.kill() }
        try await sClient(other, port: port, cert: stranger, lines: [
            "CAP LS 302", "CAP REQ :sasl", "NICK unknown", "USER unknown 0 * :x", "AUTHENTICATE EXTERNAL", "AUTHENTICATE +",
            "CAP END"])
        _ = try await other.waitFor(text: "904 * :SASL authentication failed", timeout: 20)
        // Registration goes on, not logged in.
        _ = try await other.waitFor(text: "001 unknown", timeout: 20)
        await server.stop()
    }

    @Test func identifyWithoutAPasswordOverTLSUsesTheCertificate() async throws {
        let (server, port, cert, dir) = try await serverWithAlicesCertificate()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await Tmux(cols: 200, rows: 40)
        defer { tmux.kill() }
        try await sClient(tmux, port: port, cert: cert, lines: ["NICK certuser", "USER certuser 0 * :x"])
        _ = try await tmux.waitFor(text: "001 certuser", timeout: 20)
        try await tmux.typeLine("PRIVMSG NickServ :IDENTIFY")
        _ = try await tmux.waitFor(text: "You are now logged in as alice", timeout: 20)
        await server.stop()
    }

    @Test func irssiLogsInWithSASLExternalAndItsCertificate() async throws {
        guard let irssi = findExecutable("irssi") else {
            Issue.record("needs irssi: apt-get install -y irssi")
            return
        }
        let (server, port, cert, dir) = try await serverWithAlicesCertificate()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let home = server.dir + "/irssi-external"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let tmux = try await Tmux(cols: 160, rows: 40)
        defer { tmux.kill() }
        try await tmux.typeLine("exec env TERM=screen \(irssi) --home=\(home) -n certirssi")
        _ = try await tmux.waitFor(text: "Irssi", timeout: 20)
        try await tmux.typeLine("/network add -sasl_mechanism EXTERNAL certnet")
        try await tmux.typeLine("/server add -network certnet -tls -notls_verify -tls_cert \(cert.certificatePath) "
            + "-tls_pkey \(cert.keyPath) 127.0.0.1 \(port)")
        try await tmux.typeLine("/connect certnet")
        _ = try await tmux.waitFor(text: "You are now logged in as alice", timeout: 30)
        let human = try await humanUser(server, nick: "human")
        try human.line("/whois certirssi")
        try await human.expect("-- certirssi is logged in as alice")
        try await tmux.typeLine("/quit leaving")
        await tmux.waitUntilEnded()
        await server.stop()
    }
}
