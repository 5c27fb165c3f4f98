import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// CHATHISTORY TARGETS on the real server (`--state-dir`, `--history-private`): one user in
/// two channels who talked privately with another gets the two channels and the other, by
/// the time of their latest line (as their `time` tags said), oldest first; a third user gets
/// nothing of their conversation; bad parameters are `FAIL CHATHISTORY INVALID_PARAMS`.
@Suite(.serialized) struct HistoryTargetsDialectTests {
    func historyUser(_ server: ServerProcess, nick: String, channel: String) async throws -> UserConnection {
        try await HistoryPersistenceTests().historyUser(server, nick: nick, channel: channel).0
    }

    /// The `time` tag of the line of `text` that ends with `suffix`.
    func time(in text: String, of suffix: String) throws -> String {
        let line = try #require(text.components(separatedBy: "\r\n").first { $0.hasSuffix(suffix) }, "\(text)")
        let tag = try #require(line.split(separator: " ").first?.split(separator: ";").first { $0.hasPrefix("@time=") || $0.hasPrefix("time=") })
        return String(tag.split(separator: "=")[1])
    }

    /// The `CHATHISTORY TARGETS` lines of `id`'s answer, as (target, time), checking its batch.
    func targets(_ c: UserConnection, _ query: String) async throws -> [(String, String)] {
        try c.line("CHATHISTORY TARGETS \(query)")
        let text = try await c.expect("BATCH -")
        let lines = text.components(separatedBy: "\r\n")
        let start = try #require(lines.first { $0.contains(" BATCH +") }, "\(text)")
        #expect(start.hasSuffix(" draft/chathistory-targets"), "\(start)")
        return lines.filter { $0.contains(" CHATHISTORY TARGETS ") }.map { line in
            let p = line.components(separatedBy: " CHATHISTORY TARGETS ")[1].split(separator: " ")
            return (String(p[0]), String(p[1]).replacingOccurrences(of: ":", with: "", options: [.anchored]))
        }
    }

    @Test func theUsersChannelsAndConversationsByTheirLatestLine() async throws {
        let parent = try AccountDialectTests.stateParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let server = try await ServerProcess(["--state-dir", parent + "/state", "--history-private", "--log-level", "info"])
        let alice = try await historyUser(server, nick: "alice", channel: "#one")
        let bob = try await historyUser(server, nick: "bob", channel: "#one")
        let carol = try await historyUser(server, nick: "carol", channel: "#carol")
        for c in [alice, bob] {
            try c.line("JOIN #two")
            _ = try await c.expect(" 366 \(c === alice ? "alice" : "bob") #two ")
        }
        try alice.line("PRIVMSG #one :first")
        let t1 = try time(in: try await bob.expect("PRIVMSG #one :first\r\n"), of: "PRIVMSG #one :first")
        try bob.line("PRIVMSG alice :second")
        let t2 = try time(in: try await alice.expect("PRIVMSG alice :second\r\n"), of: "PRIVMSG alice :second")
        try alice.line("PRIVMSG #two :third")
        let t3 = try time(in: try await bob.expect("PRIVMSG #two :third\r\n"), of: "PRIVMSG #two :third")
        // Oldest latest line first (two in one millisecond: by name, as the server sorts them).
        let expected = [("#one", t1), ("bob", t2), ("#two", t3)].sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        let all = "timestamp=2020-01-01T00:00:00.000Z timestamp=2262-01-01T00:00:00.000Z"
        let got = try await targets(alice, all + " 100")
        #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(got)")
        let two = try await targets(alice, all + " 2")
        #expect(two.map(\.0) == expected.prefix(2).map(\.0), "\(two)")
        #expect(try await targets(bob, all + " 100").map(\.0).contains("alice"))
        // Carol was in none of it: her channel has no line, she talked with nobody.
        let none = try await targets(carol, all + " 100")
        #expect(none.isEmpty, "\(none)")
        for bad in ["timestamp=yesterday timestamp=2262-01-01T00:00:00.000Z 10", "* * 10", all + " 0", all + " many", all] {
            try carol.line("CHATHISTORY TARGETS \(bad)")
            try await carol.expect("FAIL CHATHISTORY INVALID_PARAMS TARGETS ")
        }
        await server.stop()
    }
}
