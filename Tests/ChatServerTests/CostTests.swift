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
}
