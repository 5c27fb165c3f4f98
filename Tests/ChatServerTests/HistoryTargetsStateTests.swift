import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// CHATHISTORY TARGETS in process, with a state store in memory: the asker's channels and the
/// people they talked with (either way round), by the time of their latest line, strictly
/// between the two times, at most the limit from the earlier time; nobody else's
/// conversations; channels only without `--history-private`; swept with expired lines; a
/// version-4 database upgraded.
@Suite(.serialized) struct HistoryTargetsStateTests {
    /// PrivateHistoryStateTests' hub (`--history-private`, a store in memory) and its helpers.
    let base: PrivateHistoryStateTests
    var sink: RecordingSink { base.sink }
    var clock: PrivateHistoryStateTests.Clock { base.clock }
    var state: ChatState { base.state }
    var store: StateStore { base.store }

    init() throws { base = try PrivateHistoryStateTests() }

    func user(_ id: Int, _ nick: String, account: String? = nil) { base.user(id, nick, account: account) }

    /// Says `text` to `target` at the next time; returns that time.
    @discardableResult func say(_ id: Int, _ target: String, _ text: String) -> Int64 {
        clock.now += 10
        state.handle(.message(kind: .privmsg, target: target, text: text), from: id)
        return clock.now
    }

    func targets(_ id: Int, _ a: Int64 = 0, _ b: Int64 = .max, limit: Int = 100) -> [HistoryTarget] {
        store.commitTurn()
        _ = sink.take(id)
        state.handle(.chatHistory(HistoryQuery(subcommand: .targets, target: "*", first: .time(a), second: .time(b), limit: limit)), from: id)
        guard case .historyTargets(let found)? = sink.take(id).first else { return [] }
        return found
    }

    @Test func channelsAndConversationsByTheirLatestLine() {
        user(1, "alice")
        user(2, "Bob")
        user(3, "carol")
        state.handle(.join(channels: ["#one", "#Two"]), from: 1)
        state.handle(.join(channels: ["#one"]), from: 3)
        let t1 = say(1, "#one", "hello one")
        let t2 = say(2, "alice", "hi alice")
        let t3 = say(1, "#Two", "hello two")
        let t4 = say(3, "alice", "hi from carol")
        let t5 = say(1, "bob", "back to bob")
        #expect(targets(1) == [HistoryTarget(name: "#one", time: t1), HistoryTarget(name: "#Two", time: t3),
                               HistoryTarget(name: "carol", time: t4), HistoryTarget(name: "Bob", time: t5)])
        // Bob was the second party of a conversation alice began, and the first of one he began.
        #expect(targets(2) == [HistoryTarget(name: "alice", time: t5)])
        // Both ends are exclusive; the limit counts from the earlier time, whichever comes first.
        #expect(targets(1, t1, t5).map(\.name) == ["#Two", "carol"])
        #expect(targets(1, t5, t1).map(\.name) == ["#Two", "carol"])
        #expect(targets(1, limit: 2).map(\.name) == ["#one", "#Two"])
        #expect(targets(1, t2, t2) == [])
        // Carol sees her channel and alice, nothing of alice and bob's conversation.
        #expect(targets(3).map(\.name) == ["#one", "alice"])
    }

    @Test func aLoggedInPeerIsListedByItsAccount() {
        user(1, "alice", account: "Alice")
        user(2, "bobby", account: "Bob")
        let t = say(1, "bobby", "hi")
        #expect(targets(1) == [HistoryTarget(name: "Bob", time: t)])
        #expect(targets(2) == [HistoryTarget(name: "Alice", time: t)])
        // Someone else on the nick alice, not logged in, sees none of it.
        state.disconnect(session: 1, reason: "bye")
        user(5, "alice")
        #expect(targets(5) == [])
    }

    @Test func channelsOnlyWithoutPrivateHistoryOrAStore() {
        var settings = state.settings
        settings.historyPrivate = false
        state.updateSettings(settings)
        user(1, "alice")
        user(2, "bob")
        state.handle(.join(channels: ["#one"]), from: 1)
        let t = say(1, "#one", "hi")
        say(1, "bob", "not kept")
        #expect(targets(1) == [HistoryTarget(name: "#one", time: t)])
        // The hub's memory alone (no store) answers for channels too.
        state.historyStorage = nil
        let u = say(1, "#one", "again")
        _ = sink.take(1)
        state.handle(.chatHistory(HistoryQuery(subcommand: .targets, target: "*", first: .time(0), second: .time(.max), limit: 5)), from: 1)
        #expect(sink.take(1) == [.historyTargets([HistoryTarget(name: "#one", time: u)])])
    }

    @Test func aConversationWhoseLinesExpiredIsSweptWithThem() throws {
        store.noteConversation(party: "n:alice", peer: "n:bob", name: "bob", time: 5)
        store.noteConversation(party: "n:alice", peer: "n:carol", name: "carol", time: 950)
        // A line at 1000 kept 100 ms: lines and conversations older than 900 go.
        store.append(StoredLine(source: "a!a@h", kind: .privmsg, target: "#a", text: "hi", time: 1000, id: 1, tags: ""),
                     channel: "#a", retention: 100)
        store.commitTurn()
        #expect(store.conversations(party: "n:alice", after: 0, before: .max, limit: 10) == [HistoryTarget(name: "carol", time: 950)])
    }

    @Test func aVersionFourDatabaseIsUpgradedWithItsConversations() throws {
        let dir = NSTemporaryDirectory() + "chat-targets-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            let old = try SQLiteDatabase(path: dir + "/" + StateStore.fileName)
            try old.execute("PRAGMA journal_mode=WAL")
            for m in StateStore.migrations.prefix(4) { try old.execute(m) }
            try old.execute("PRAGMA user_version = 4")
            let key = ChatState.conversationKey("a:alice", "n:bob")
            for (id, time) in [(1, 5), (2, 9)] {
                try old.execute("INSERT INTO history (id, channel, time, source, kind, target, text, tags, account) VALUES (\(id), '\(key)', \(time), 'a!a@h', 0, 'bob', 'hi', '', '')")
            }
            try old.execute("INSERT INTO history (id, channel, time, source, kind, target, text, tags, account) VALUES (3, '#a', 7, 'a!a@h', 0, '#a', 'hi', '', '')")
            old.close()
        }
        let store = try StateStore(directory: dir)
        #expect(try store.database.integer("PRAGMA user_version") == StateStore.schemaVersion)
        #expect(StateStore.schemaVersion >= 5)
        #expect(store.conversations(party: "a:alice", after: 0, before: 100, limit: 10) == [HistoryTarget(name: "bob", time: 9)])
        #expect(store.conversations(party: "n:bob", after: 0, before: 100, limit: 10) == [HistoryTarget(name: "alice", time: 9)])
        #expect(store.conversations(party: "n:bob", after: 9, before: 100, limit: 10) == [])
        #expect(try store.integrityCheck() == "ok")
    }
}
