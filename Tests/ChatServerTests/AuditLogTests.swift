@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The log at the default level is an audit trail: who came, under which nicks, who left and
/// why, who kicked whom; a flood of refused connections is counted, not written out.
@Suite(.serialized) struct AuditLogTests {
    /// `127.0.0.1:PORT` of a test's connection, as the server sees it.
    func address(_ c: UserConnection) throws -> String { "127.0.0.1:\(try Socket.localAddress(c.fd).port)" }

    /// The server's log lines (without their time) that mention `needle`.
    func lines(_ server: ServerProcess, mentioning needle: String) -> [String] {
        server.log.split(separator: "\n").filter { $0.contains(needle) }.map { line in
            line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
        }
    }

    @Test func aConnectNickKickQuitSequenceMakesExactlyTheseLines() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#ops")
        let carol = try await ircUser(server, nick: "carol", join: "#ops")
        let (a, b, c) = (try address(alice), try address(bob), try address(carol))
        try bob.line("KICK #ops carol :out\u{1B}[2J you go")
        try await carol.expect("KICK #ops carol :out")
        try bob.line("NICK bobby")
        try await bob.expect(" NICK ")
        try alice.line("/quit see you")
        #expect(await alice.expectClosed())
        try await server.waitForLog("info: alice (\(a)) quit: ")
        try carol.line("QUIT :gone")
        #expect(await carol.expectClosed())
        try await server.waitForLog("info: carol (\(c)) quit: ")
        let console = try await ControlClient(server)
        try await console.ok("kick bobby enough")
        #expect(await bob.expectClosed())
        try await server.waitForLog("info: bobby (\(b)) quit: ")

        #expect(lines(server, mentioning: a) == [
            "info: \(a) connected (human)",
            "info: \(a) registered as alice",
            "info: alice (\(a)) quit: Quit: see you",
        ])
        #expect(lines(server, mentioning: c) == [
            "info: \(c) connected (irc)",
            "info: \(c) registered as carol",
            "info: bob (\(b)) kicked carol (\(c)) from #ops: out you go",
            "info: carol (\(c)) quit: Quit: gone",
        ])
        let me = "console [uid \(getuid()) pid \(getpid())]"
        #expect(lines(server, mentioning: b) == [
            "info: \(b) connected (irc)",
            "info: \(b) registered as bob",
            "info: bob (\(b)) kicked carol (\(c)) from #ops: out you go",
            "info: bob (\(b)) is now bobby",
            "info: bobby (\(b)) quit: Kicked by the server operator: enough",
        ])
        // The console's kick is the console's line; the greeting is not a command.
        #expect(lines(server, mentioning: me) == ["notice: \(me): kick bobby (127.0.0.1): enough"])
        // Listings are commands too.
        #expect(try await console.ok("who") == "nobody is connected")
        try await server.waitForLog("info: \(me): who")
    }
}
