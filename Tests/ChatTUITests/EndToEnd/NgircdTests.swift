import Foundation
import Testing
import TestSupport
@testable import ChatTUI

#if canImport(Glibc)
import Glibc
#endif

/// Against a real IRC server: ngIRCd from Debian's packages (`apt-get install -y ngircd`;
/// `.ci/run` installs it, and the test fails without it). Our own server is tested everywhere; this one shows the
/// client does not depend on its quirks (PREFIX with five modes, CHANTYPES #&+, penalties).
private let ngircdPath = findExecutable("ngircd")

/// An ngIRCd configuration for the tests: loopback, `port`, no PAM, ident or DNS; `global`
/// lines in [Global] (a server password), `extra` sections after (ClientTLSTests adds its [SSL]).
func ngircdConfig(port: Int, global: String = "", extra: String = "") -> String {
    """
    [Global]
    \(global)Name = irc.test.local
    Info = chat-tui test
    Listen = 127.0.0.1
    Ports = \(port)
    MotdPhrase = "ngircd for chat-tui tests"
    [Limits]
    PingTimeout = 120
    [Options]
    PAM = no
    Ident = no
    DNS = no

    """ + extra
}

/// ngIRCd on a free loopback port, with its configuration in a directory of its own;
/// stopped and removed when released.
final class Ngircd {
    let process: LoggedProcess
    let port: Int
    private let dir: String

    init(global: String = "") async throws {
        guard let ngircdPath else { throw TestFailure("needs ngircd: apt-get install -y ngircd") }
        dir = NSTemporaryDirectory() + "chattui-ngircd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        try ngircdConfig(port: port, global: global).write(toFile: dir + "/ngircd.conf", atomically: true, encoding: .utf8)
        let conf = dir + "/ngircd.conf"
        process = try LoggedProcess(ngircdPath, name: "chattui-ngircd") { _ in ["-n", "-f", conf] }
        try await process.waitForLog("Now listening")
    }

    deinit {
        process.stopBlocking(SIGTERM, grace: 8)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

extension EndToEndTests {
    @Test func worksWithNgircd() async throws {
        guard ngircdPath != nil else {
            Issue.record("needs ngircd: apt-get install -y ngircd")
            return
        }
        let ngircd = try await Ngircd()
        let port = ngircd.port
        defer { withExtendedLifetime(ngircd) {} }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect irc://127.0.0.1:\(port)/#test --nick alice"))
        try await tmux.waitFor(text: "You joined #test")
        try await tmux.waitFor(text: "│@alice")
        let bob = try await IRCPeer(port: port, nick: "bob")
        try bob.line("JOIN #test")
        try await tmux.waitFor(text: "│ bob")
        try bob.line("PRIVMSG #test :hello alice 你好")
        try await tmux.waitFor(text: "<bob> hello alice 你好")
        try await tmux.typeLine("hi bob")
        try await bob.expect("PRIVMSG #test :hi bob")
        try await tmux.typeLine("/topic testing against ngircd")
        try await tmux.waitFor(text: "#test: testing against ngircd")
        try await tmux.typeLine("/whois bob")
        try await tmux.waitFor(text: "bob (~bob@127.0.0.1)")
        try bob.line("QUIT :done")
        try await tmux.waitFor("bob gone from the nick list") { s in !s.contains { $0.contains("│ bob") } }
        // 265/266 carry their numbers as parameters before the text: only the text is shown.
        try await tmux.keys("M-1")
        let server1 = try await tmux.waitFor(text: "-!- Current local users")
        #expect(server1.contains { $0.contains("-!- Current global users") })
        #expect(!server1.contains { $0.contains("-!- 1 1 ") || $0.contains("-!- 2 2 ") })
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
