import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// What requests cost, without processes: duplicate targets, the reply budget, the hub's
/// queue limit within a turn, and the bound on all history.
@Suite(.serialized, .compute) struct CostTests {
    func state(historyLength: Int = 50) -> (ChatState, RecordingSink) {
        let sink = RecordingSink()
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: historyLength, motd: nil)
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
        #expect(slot.pending <= 100 + 60, "a backlog of \(slot.pending) bytes")
        #expect(slot.overflowed)
    }
}
