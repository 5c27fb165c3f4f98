import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// What requests cost, without processes: duplicate targets, the reply budget, the hub's
/// queue limit within a turn, and the bound on all history.
@Suite(.serialized, .compute) struct CostTests {
    func state(historyLength: Int = 50, historyMemory: Int = 64 << 20) -> (ChatState, RecordingSink) {
        let sink = RecordingSink()
        var settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: historyLength, motd: nil)
        settings.historyMemory = historyMemory
        return (ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 }), sink)
    }

    func user(_ state: ChatState, _ id: Int, _ nick: String) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
    }

    @Test func duplicateTargetsCollapseCaseMapped() {
        #expect(CaseMapping.ascii.unique(["#a", "#A", "#b", "#a", "#B"]) == ["#a", "#b"])
        #expect(CaseMapping.rfc1459.unique(["x[", "X{"]) == ["x["])
        let (state, sink) = state()
        user(state, 1, "alice")
        user(state, 2, "bob")
        _ = sink.take(1)
        state.handle(.join(channels: ["#big", "#BIG", "#big", "#Big"]), from: 1)
        let joins = sink.take(1).filter { if case .join = $0 { return true } else { return false } }
        #expect(joins.count == 1, "\(joins)")
        state.handle(.ison(nicks: ["bob", "BOB", "bob", "Bob"]), from: 1)
        guard case .ison(let nicks)? = sink.take(1).first else { Issue.record("no ISON reply"); return }
        #expect(nicks == ["bob"])
        state.handle(.part(channels: ["#big", "#BIG"], reason: ""), from: 1)
        let events = sink.take(1)
        #expect(events.count == 1, "one part, no 'not on channel' error: \(events)")
    }

    @Test func sortingAndScanningCountAsWork() {
        let (state, sink) = state()
        for id in 1...30 {
            user(state, id, "u\(id)")
            state.handle(.join(channels: ["#big"]), from: id)
        }
        _ = sink.take(1)
        let before = state.work
        state.handle(.names(channel: "#big"), from: 1)
        #expect(state.work - before == 30)
        state.handle(.who(mask: "*nobody*"), from: 1)
        #expect(state.work - before == 60, "a WHO mask that matches nobody still looked at everyone")
    }

    @Test func aBudgetIsSpentThenRepaidOverTime() {
        var b = WorkBudget()
        b.refill(now: 1_000_000_000, rate: 1000)
        #expect(!b.isExhausted(burst: 4000))
        b.charge(10_000)  // one big reply overdraws it
        #expect(b.isExhausted(burst: 4000))
        #expect(b.wait(rate: 1000, burst: 4000) > 6_000_000_000)
        b.refill(now: 4_000_000_000, rate: 1000)  // 3 s: 3000 repaid, 7000 spent
        #expect(b.isExhausted(burst: 4000))
        b.refill(now: 7_100_000_000, rate: 1000)
        #expect(!b.isExhausted(burst: 4000) && b.wait(rate: 1000, burst: 4000) == 0)
        b.refill(now: .max, rate: 1 << 30)  // no overflow, however long the gap
        #expect(b.spent == 0)
    }

    /// Within one turn a backlog stops growing at the limit: the rest is left out and the
    /// session is ended at the flush (before, every frame of the turn was copied).
    @Test func theHubQueueLimitHoldsWithinATurn() {
        var turn = TurnFrames()
        let big = turn.store([UInt8](repeating: 7, count: 60))
        var slot = SessionSlot(life: .running(pid: 1), channel: -1, host: "h", port: 1, connectedAt: 0)
        slot.out = [1]
        for _ in 0..<1000 { _ = turn.withFrames { slot.enqueue(big, of: $0, limit: 100) } }
        let pending = slot.pending, overflowed = slot.overflowed
        #expect(pending <= 100 + 60, "a backlog of \(pending) bytes")
        #expect(overflowed)
    }

    /// History of many channels is bounded as a whole: the oldest lines go first, whichever
    /// channel holds them, and a busy channel keeps its newest.
    @Test func allHistoryTogetherStaysUnderItsBound() {
        let (state, sink) = state(historyLength: 50, historyMemory: 20_000)
        user(state, 1, "alice")
        let channels = (0..<20).map { "#c\($0)" }
        state.handle(.join(channels: channels), from: 1)
        let text = String(repeating: "x", count: 200)
        for c in channels {
            for k in 0..<50 { state.handle(.message(kind: .privmsg, target: c, text: "\(c) \(k) \(text)"), from: 1) }
        }
        #expect(state.history.bytes <= 20_000 && state.history.bytes > 15_000, "\(state.history.bytes)")
        let kept = channels.reduce(0) { $0 + (state.channel(named: $1)?.history.count ?? 0) }
        #expect(kept == state.history.lines)
        #expect(state.channel(named: "#c0")?.history.isEmpty == true, "the oldest lines went first")
        #expect(state.channel(named: "#c19")?.history.count ?? 0 > 0)
        // A newcomer to the last channel gets its newest lines, oldest first.
        user(state, 2, "bob")
        _ = sink.take(2)
        state.handle(.join(channels: ["#c19"]), from: 2)
        let replayed = sink.take(2).compactMap { e -> String? in
            if case .message(_, _, _, let text, _, _, _, _) = e { return text } else { return nil }
        }
        #expect(replayed.last?.hasPrefix("#c19 49 ") == true, "\(replayed.map { $0.prefix(8) })")
        // A channel that empties gives its history back.
        let before = state.history.bytes
        state.handle(.part(channels: ["#c19"], reason: ""), from: 1)
        state.handle(.part(channels: ["#c19"], reason: ""), from: 2)
        #expect(state.history.bytes < before)
        // Many more lines: the list of which channel each went to stays small.
        for k in 0..<20_000 { state.handle(.message(kind: .privmsg, target: "#c\(k % 3)", text: "\(k) \(text)"), from: 1) }
        #expect(state.history.bytes <= 20_000)
        #expect(state.history.listed <= 2 * state.history.lines + 1024, "\(state.history.listed)")
    }
}
