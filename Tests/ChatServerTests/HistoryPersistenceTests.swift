import ChatPOSIX
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

#if canImport(Glibc)
import Glibc
#endif

/// Channel history under `--state-dir`, through the real server: every line a member has
/// received is on disk even when the hub is killed with SIGKILL; a restarted server replays a
/// channel's last lines to whoever joins it first, and CHATHISTORY reaches further back than
/// the lines kept in memory. `--history-days 0` keeps none on disk.
@Suite(.serialized) struct HistoryPersistenceTests {
    func server(_ state: String, _ extra: [String] = []) async throws -> ServerProcess {
        try await ServerProcess(["--state-dir", state, "--history", "3", "--log-level", "info"] + extra)
    }

    /// An IRC client with draft/chathistory, in `channel`.
    func historyUser(_ server: ServerProcess, nick: String, channel: String) async throws -> (UserConnection, String) {
        let c = try UserConnection(port: server.port)
        try c.line("CAP LS 302")
        try await c.expect("CAP * LS :")
        try c.line("CAP REQ :batch server-time message-tags draft/chathistory")
        try await c.expect("CAP * ACK")
        try c.send("NICK \(nick)\r\nUSER \(nick) 0 * :Real\r\nCAP END\r\n")
        try await c.expectAny([" 376 \(nick) ", " 422 \(nick) "])
        try c.line("JOIN \(channel)")
        let joined = try await c.expect(" 366 \(nick) \(channel) ")
        return (c, joined)
    }

    @Test func linesSurviveSIGKILLAndARestartReplaysAndServesThem() async throws {
        let parent = NSTemporaryDirectory() + "chat-kept-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try shareWithServerUser(parent)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let state = parent + "/state"
        let first = try await server(state)
        try await first.waitForLog("state in \(state)/state.db")
        let alice = try await ircUser(first, nick: "alice", join: "#keep")
        let bob = try await ircUser(first, nick: "bob", join: "#keep")
        for i in 0..<6 {
            try alice.line(i == 4 ? "PRIVMSG #keep :\u{1}ACTION waves \(i)\u{1}" : "PRIVMSG #keep :kept \(i)")
            try await bob.expect(i == 4 ? "waves \(i)" : "kept \(i)\r\n")  // received: so on disk
        }
        try alice.line("NOTICE #keep :a notice is not history")
        try await bob.expect("a notice is not history")
        kill(first.pid, SIGKILL)
        _ = await first.waitForExit()
        do {
            let store = try StateStore(directory: state)
            #expect(try store.integrityCheck() == "ok")
            let kept = store.recent(channel: "#keep", limit: 100)
            #expect(kept.map(\.text) == ["kept 0", "kept 1", "kept 2", "kept 3", "waves 4", "kept 5"])
            #expect(kept[4].kind == .action)
        }

        let second = try await server(state)
        // The channel comes back with its first member, and its last three lines with it.
        let (carol, joined) = try await historyUser(second, nick: "carol", channel: "#keep")
        let replay = try await carol.expect("kept 5\r\n")
        let shown = joined + replay
        #expect(shown.contains("waves 4") && shown.contains("kept 3") && !shown.contains("kept 2"), "\(shown)")
        #expect(!shown.contains("notice"))
        // CHATHISTORY reads the disk: all six, with their first msgid and time.
        try carol.line("CHATHISTORY LATEST #keep * 10")
        let batch = try await carol.expect("BATCH -")
        let texts = batch.components(separatedBy: "\r\n").compactMap { $0.firstMatch(of: /PRIVMSG #keep :(.*)$/).map { String($0.1) } }
        #expect(texts == ["kept 0", "kept 1", "kept 2", "kept 3", "\u{1}ACTION waves 4\u{1}", "kept 5"], "\(batch)")
        #expect(batch.contains(":alice!alice@127.0.0.1 PRIVMSG #keep :kept 0"))
        let ids = batch.components(separatedBy: "\r\n").compactMap { $0.firstMatch(of: /msgid=([0-9a-f]+)/).map { String($0.1) } }
        try #require(ids.count == 6)
        try carol.line("CHATHISTORY BEFORE #keep msgid=\(ids[2]) 10")
        #expect(try await carol.expect("BATCH -").contains("kept 1\r\n"))
        // New lines go on the same history, after the old ones.
        try carol.line("PRIVMSG #keep :after the restart")
        try carol.line("CHATHISTORY LATEST #keep * 2")
        let latest = try await carol.expect("BATCH -")
        #expect(latest.contains("kept 5") && latest.contains("after the restart"), "\(latest)")
        await second.stop()

        // With --history-days 0 nothing more goes to disk.
        let third = try await server(state, ["--history-days", "0"])
        let dave = try await ircUser(third, nick: "dave", join: "#fresh")
        try dave.line("PRIVMSG #fresh :not kept")
        try dave.line("PING :x")
        try await dave.expect("PONG")
        await third.stop()
        let store = try StateStore(directory: state)
        #expect(store.recent(channel: "#fresh", limit: 10).isEmpty)
        #expect(store.recent(channel: "#keep", limit: 10).count == 7)
    }
}
