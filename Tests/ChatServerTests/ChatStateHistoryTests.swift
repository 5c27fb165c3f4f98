import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// IRCv3 CHATHISTORY in the hub (ChatState+History.swift): which kept lines a query selects,
/// by reference, limit and order; who may ask; the batch around the answer. Pure.
@Suite(.serialized, .compute) struct ChatStateHistoryTests {
    final class Clock { var now: Int64 = 1_764_300_000_000 }
    let sink = RecordingSink()
    let clock = Clock()
    let state: ChatState

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 50, motd: nil)
        let clock = clock
        state = ChatState(settings: settings, sink: sink, clock: { clock.now })
    }

    func user(_ id: Int, _ nick: String, join: String? = "#h") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.hello(dialect: .irc), from: id)
        state.handle(.register(nick: nick, user: nick, realName: "Real \(nick)"), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
    }

    /// Ten messages 20 ms apart from alice in `#h`; their (text, time, id).
    func tenMessages() -> [(text: String, time: Int64, id: UInt64)] {
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(1)
        _ = sink.take(2)
        var sent: [(String, Int64, UInt64)] = []
        for i in 0..<10 {
            clock.now += 20
            state.handle(.message(kind: .privmsg, target: "#h", text: "m\(i)"), from: 1)
            guard case .message(_, _, _, let text, let time, let id, _, _)? = sink.take(2).first else { continue }
            sent.append((text, time, id))
        }
        return sent
    }

    /// The texts CHATHISTORY answers, checking the batch around them.
    func ask(_ sub: HistoryQuery.Subcommand, _ first: HistoryQuery.Reference, _ second: HistoryQuery.Reference = .none,
             limit: Int, target: String = "#h", from id: Int = 1) -> [String]? {
        state.handle(.chatHistory(HistoryQuery(subcommand: sub, target: target, first: first, second: second, limit: limit)), from: id)
        let events = sink.take(id)
        guard case .historyBatch("#h", false)? = events.first, case .historyBatch("#h", true)? = events.last else { return nil }
        return events.dropFirst().dropLast().compactMap { e in
            if case .message(_, _, _, let text, _, _, _, _) = e { return text } else { return nil }
        }
    }

    func texts(_ r: Range<Int>) -> [String] { r.map { "m\($0)" } }

    @Test func latestBeforeAfterByMsgidAndTimestamp() {
        let m = tenMessages()
        #expect(ask(.latest, .none, limit: 20) == texts(0..<10))
        #expect(ask(.latest, .none, limit: 5) == texts(5..<10))
        #expect(ask(.latest, .messageID(m[4].id), limit: 20) == texts(5..<10))
        #expect(ask(.latest, .time(m[4].time), limit: 20) == texts(5..<10))
        #expect(ask(.before, .messageID(m[6].id), limit: 20) == texts(0..<6))
        #expect(ask(.before, .time(m[6].time), limit: 2) == texts(4..<6))
        #expect(ask(.after, .messageID(m[3].id), limit: 20) == texts(4..<10))
        #expect(ask(.after, .time(m[3].time), limit: 3) == texts(4..<7))
        // A msgid no line has (never given, or gone): nothing.
        #expect(ask(.after, .messageID(12345), limit: 3) == [])
    }

    @Test func betweenEitherWayAndAround() {
        let m = tenMessages()
        #expect(ask(.between, .messageID(m[0].id), .messageID(m[9].id), limit: 20) == texts(1..<9))
        #expect(ask(.between, .messageID(m[9].id), .messageID(m[0].id), limit: 20) == texts(1..<9))
        #expect(ask(.between, .messageID(m[0].id), .messageID(m[9].id), limit: 3) == texts(1..<4))
        #expect(ask(.between, .time(m[9].time), .time(m[0].time), limit: 3) == texts(6..<9))
        #expect(ask(.around, .messageID(m[7].id), limit: 1) == texts(7..<8))
        #expect(ask(.around, .messageID(m[7].id), limit: 3) == texts(6..<9))
        #expect(ask(.around, .time(m[7].time), limit: 3) == texts(6..<9))
    }

    @Test func theLimitIsBoundedAndLinesKeepTheirIdAndTime() {
        let m = tenMessages()
        // Far past the maximum, from a hostile session: bounded, no overflow.
        #expect(ask(.after, .none, limit: .max)?.count == 10)
        #expect(ChatState.select(Array(repeating: .init(time: 1, id: 1), count: 300),
                                 HistoryQuery(subcommand: .latest, target: "#h", first: .none, limit: 1000)).count == HistoryQuery.maxLimit)
        state.handle(.chatHistory(HistoryQuery(subcommand: .latest, target: "#H", first: .none, limit: 1)), from: 2)
        guard case .message(let source, .privmsg, "#h", "m9", m[9].time, m[9].id, "", _)? = sink.take(2).dropFirst().first else {
            Issue.record("the last line as it was first sent"); return
        }
        #expect(source.hasPrefix("alice!"))
    }

    @Test func onlyMembersMayReadAChannelsHistory() {
        _ = tenMessages()
        user(3, "carol", join: nil)
        _ = sink.take(3)
        for target in ["#h", "#nowhere", "bob", "*"] {
            state.handle(.chatHistory(HistoryQuery(subcommand: .latest, target: target, first: .none, limit: 10)), from: 3)
            #expect(sink.take(3) == [.historyRefused(subcommand: "LATEST", target: target)], "\(target)")
        }
        // Secret or invite-only makes no difference: a non-member reads nothing.
        state.handle(.mode(target: "#h", args: ["+si"]), from: 1)
        state.handle(.chatHistory(HistoryQuery(subcommand: .before, target: "#h", first: .time(.max), limit: 10)), from: 3)
        #expect(sink.take(3) == [.historyRefused(subcommand: "BEFORE", target: "#h")])
        // Private messages are not kept: a nick is never a target.
        state.handle(.message(kind: .privmsg, target: "bob", text: "psst"), from: 1)
        _ = sink.take(2)
        state.handle(.chatHistory(HistoryQuery(subcommand: .latest, target: "alice", first: .none, limit: 10)), from: 2)
        #expect(sink.take(2) == [.historyRefused(subcommand: "LATEST", target: "alice")])
    }

    @Test func theAskerPaysForTheLinesLookedAt() {
        _ = tenMessages()
        let before = state.work
        _ = ask(.latest, .none, limit: 1)
        #expect(state.work - before >= 10)
    }
}
