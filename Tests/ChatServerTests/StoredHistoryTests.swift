import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
@testable import ChatServerDaemon

/// Channel lines in the state store, in process: batched per turn, read back newest first or
/// around a reference, the same selection CHATHISTORY makes in memory, old lines pruned a
/// batch at a time, rows no frame could carry skipped.
@Suite(.serialized) struct StoredHistoryTests {
    let dir = NSTemporaryDirectory() + "chat-history-\(UUID().uuidString.prefix(8))"
    static let day: Int64 = 86_400_000

    func line(_ i: Int, time: Int64? = nil, channel: String = "#keep") -> StoredLine {
        StoredLine(source: "alice!a@h", kind: i % 3 == 2 ? .action : .privmsg, target: channel, text: "line \(i)",
                   time: time ?? 1_000_000 + Int64(i) * 10, id: UInt64(5_000 + i), tags: i == 1 ? "+draft/react=x" : "",
                   account: i == 3 ? "alice" : "")
    }

    @Test func linesWaitForTheTurnsCommitAndComeBackInOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(directory: dir)
        for i in 0..<10 { store.append(line(i), channel: "#keep", retention: Self.day) }
        store.append(line(10, channel: "#other"), channel: "#other", retention: Self.day)
        // Not committed yet: another connection to the file sees none of them.
        let reader = try SQLiteDatabase(path: dir + "/" + StateStore.fileName)
        #expect(try reader.integer("SELECT count(*) FROM history") == 0)
        store.commitTurn()
        #expect(try reader.integer("SELECT count(*) FROM history") == 11)
        #expect(store.recent(channel: "#keep", limit: 3) == (7..<10).map { line($0) })
        #expect(store.recent(channel: "#keep", limit: 100).count == 10)
        #expect(store.recent(channel: "#nobody", limit: 100).isEmpty)
        // An account change commits on its own, and first the turn's lines.
        store.append(line(11), channel: "#keep", retention: Self.day)
        try store.save(account: Account(name: "alice", hash: "H", registeredAt: 1), folded: "alice")
        #expect(try reader.integer("SELECT count(*) FROM history") == 12)
        #expect(!store.turnOpen)
        #expect(store.historyFailures == 0)
    }

    /// For every query and reference, the window the store reads gives the same lines as the
    /// in-memory selection over everything.
    @Test func theWindowSelectsWhatTheWholeHistoryWould() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(directory: dir)
        let all = (0..<300).map { line($0) }
        for l in all { store.append(l, channel: "#keep", retention: 100 * Self.day) }
        store.commitTurn()
        let refs: [HistoryQuery.Reference] = [.none, .messageID(5_000), .messageID(5_150), .messageID(5_299), .messageID(9),
                                              .time(1_000_000), .time(1_001_505), .time(1_001_500), .time(5), .time(9_999_999)]
        for sub in HistoryQuery.Subcommand.allCases {
            for first in refs {
                for second in sub == .between ? refs : [.none] {
                    for limit in [1, 7, 100] {
                        let q = HistoryQuery(subcommand: sub, target: "#keep", first: first, second: second, limit: limit)
                        let expected = all[ChatState.select(all.map(\.stamp), q)]
                        let window = store.window(channel: "#keep", around: [first, second], limit: limit)
                        let got = window[ChatState.select(window.map(\.stamp), q)]
                        #expect(Array(got) == Array(expected), "\(sub) \(first) \(second) \(limit): \(got.map(\.id)) for \(expected.map(\.id))")
                    }
                }
            }
        }
    }

    @Test func oldLinesGoABatchAtATime() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(directory: dir)
        let old = Int(StateStore.pruneBatch) + 500
        // Written with no retention to speak of, long ago.
        for i in 0..<old { store.append(line(i, time: Int64(i)), channel: "#keep", retention: Int64.max / 2) }
        store.commitTurn()
        #expect(store.recent(channel: "#keep", limit: 10_000).count == old)
        // A day later, a line with a day's retention: one batch goes at once, the rest next turn.
        store.nextPrune = 0
        let now = 3 * Self.day
        store.append(line(100_000, time: now), channel: "#keep", retention: Self.day)
        store.commitTurn()
        #expect(store.recent(channel: "#keep", limit: 10_000).count == old - Int(StateStore.pruneBatch) + 1)
        #expect(store.nextPrune == now)
        store.append(line(100_001, time: now + 1), channel: "#keep", retention: Self.day)
        store.commitTurn()
        #expect(store.recent(channel: "#keep", limit: 10_000).map(\.text) == ["line 100000", "line 100001"])
        #expect(store.nextPrune == now + 1 + StateStore.pruneInterval)
    }

    /// A row edited by hand (a kind that does not exist, a text no frame could carry) is
    /// skipped, not sent: the frame encoder would trap on it.
    @Test func rowsNoFrameCouldCarryAreSkipped() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(directory: dir)
        for i in 0..<3 { store.append(line(i), channel: "#keep", retention: Self.day) }
        store.commitTurn()
        try store.database.execute("UPDATE history SET kind = 9 WHERE id = 5000")
        try store.database.execute("UPDATE history SET text = printf('%.70000c', 'x') WHERE id = 5001")
        #expect(store.recent(channel: "#keep", limit: 10) == [line(2)])
        for l in store.window(channel: "#keep", around: [.messageID(5_000)], limit: 10) { _ = l.frame }
    }
}
