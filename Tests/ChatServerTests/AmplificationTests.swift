import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// Requests whose replies are much bigger than they are, over the real server: duplicates
/// collapse, and a session over its reply budget waits while everyone else goes on.
@Suite(.serialized) struct AmplificationTests {
    /// `NAMES #lobby,#LOBBY,#lobby` is answered once (before, once per name: a 500-byte line
    /// of one big channel repeated asked for its member list a hundred times).
    @Test func repeatedNamesTargetsAreAnsweredOnce() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        try alice.line("NAMES #lobby,#LOBBY,#lobby,#Lobby")
        try alice.line("LUSERS")
        let reply = try await alice.expect(" 251 alice ")
        let ends = reply.components(separatedBy: " 366 alice ").count - 1
        #expect(ends == 1, "\(reply)")
    }

    /// A session that asks for more than its reply budget (one JOIN of channels full of
    /// history) has its next requests wait, unread, while the others' go on: a line it sends
    /// right after arrives after a line another user sends later, and it does arrive. Before,
    /// the hub answered everything a session had sent before it looked at anyone else.
    @Test func aSessionOverItsReplyBudgetWaitsWhileOthersGoOn() async throws {
        let server = try await ServerProcess(["--flood-rate", "0", "--reply-budget", "16384", "--history", "50"])
        let channels = (0..<6).map { "#h\($0)" }
        let filler = try await ircUser(server, nick: "filler")
        try filler.line("JOIN " + channels.joined(separator: ","))
        try await filler.expect(" 366 filler #h5 ")
        let padding = String(repeating: "x", count: 380)
        var lines = ""
        for c in channels {
            for k in 0..<50 { lines += "PRIVMSG \(c) :\(k) \(padding)\r\n" }
        }
        try filler.send(lines + "LUSERS\r\n")
        try await filler.expect(" 251 filler ")
        let watcher = try await ircUser(server, nick: "watcher")
        let victim = try await ircUser(server, nick: "victim")
        let attacker = try await ircUser(server, nick: "attacker")
        // About 130 KB of history for a 40-byte request; its budget allows 64 KiB at once.
        try attacker.send("JOIN \(channels.joined(separator: ","))\r\nPRIVMSG watcher :from the attacker\r\n")
        try await attacker.expect(" JOIN #h0")
        try victim.line("PRIVMSG watcher :from the victim")
        let first = try await watcher.expectAny(["from the attacker", "from the victim"])
        #expect(first.contains("from the victim"), "\(first)")
        // Deferred, not dropped: it comes once the budget is repaid (16 KiB a second).
        try await watcher.expect("from the attacker", timeout: 30)
        withExtendedLifetime((filler, attacker)) {}
    }
}
