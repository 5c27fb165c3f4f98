import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// More real clients over TLS: WeeChat (the certificate pinned by its fingerprint, as a user of
/// a self-signed server does) and `openssl s_client -quiet` as a telnet user.
extension TLSTests {
    @Test func weechatConnectsOverTLSWithThePinnedCertificate() async throws {
        guard let weechat = findExecutable("weechat") else {
            Issue.record("needs weechat: apt-get install -y weechat-curses")
            return
        }
        let (server, tlsPort, cert, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let home = server.dir + "/weechat"
        let tmux = try await Tmux(cols: 140, rows: 40)
        defer { tmux.kill() }
        // WeeChat checks a pinned certificate by its SHA-256 in hex, without colons. Its TLS
        // options were named ssl before 4.0 (Debian 12 has 3.8).
        let pin = cert.fingerprint.replacingOccurrences(of: ":", with: "").lowercased()
        let version = try await runToExit(weechat, ["--version"])
        let tls = (Int(version.output.prefix { $0.isNumber }) ?? 4) < 4 ? "ssl" : "tls"
        let setup = "/server add t 127.0.0.1/\(tlsPort) -\(tls); /set irc.server.t.\(tls)_fingerprint \(pin); "
            + "/set irc.server.t.nicks tlswee; /set irc.server.t.autojoin #lobby; /connect t"
        try await tmux.typeLine("exec env TERM=screen \(weechat) --dir \(home) -r '\(setup)'")
        _ = try await tmux.waitFor(text: "has joined #lobby", timeout: 30)
        let human = try await humanUser(server, nick: "human")
        try await human.expect("In #lobby: @tlswee, human")
        try human.line("hello weechat over tls")
        _ = try await tmux.waitFor(text: "human | hello weechat over tls", timeout: 20)
        try await tmux.typeLine("hello telnet, from weechat over tls")
        try await human.expect("<tlswee> hello telnet, from weechat over tls")
        // The console's who shows WeeChat's connection as TLS.
        let who = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "who"])
        let row = who.out.split(separator: "\n").first { $0.contains("tlswee") } ?? ""
        #expect(row.contains("tls(TLS"), "\(who)")
        // The server buffer: no complaint (=!=) about the TLS connection or anything else.
        try await tmux.typeLine("/buffer 1")
        _ = try await tmux.waitFor(text: "Welcome to the test.server Network", timeout: 20)
        let serverBuffer = await tmux.screen().joined(separator: "\n")
        #expect(!serverBuffer.contains("=!="), "WeeChat complained:\n\(serverBuffer)")
        try await tmux.typeLine("/quit leaving")
        try await human.expect("tlswee quit (Quit: leaving)")
        await tmux.waitUntilEnded()
        await server.stop()
    }

    /// `openssl s_client -quiet -connect` says nothing after the handshake, so the quiet period
    /// makes it a person: greeted as a telnet user, it picks a nickname and chats.
    @Test func opensslClientIsGreetedAsATelnetUserAndTalks() async throws {
        let (server, tlsPort, _, dir) = try await tlsServer()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = try await Tmux(cols: 120, rows: 30)
        defer { tmux.kill() }
        try await tmux.typeLine("exec openssl s_client -quiet -connect 127.0.0.1:\(tlsPort)")
        _ = try await tmux.waitFor(text: "Choose a nickname", timeout: 20)
        try await tmux.typeLine("sclient")
        _ = try await tmux.waitFor(text: "You joined #lobby", timeout: 20)
        let plain = try await humanUser(server, nick: "bob")
        try await plain.expect("In #lobby")
        // A line starting with Q or R (s_client's command letters without -quiet) is text here.
        try await tmux.typeLine("Quite a secure line")
        try await plain.expect("<sclient> Quite a secure line")
        try plain.line("hello s_client")
        _ = try await tmux.waitFor(text: "<bob> hello s_client", timeout: 20)
        await server.stop()
    }
}
