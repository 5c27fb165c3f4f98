@testable import ChatBench
import Testing
import TestSupport

/// The churn oracle (ChurnLedger) on synthetic streams: it passes a correct one, and each kind
/// of fault it is meant to catch makes it fail.
@Suite(.serialized, .compute) struct ChurnCheckTests {
    // MARK: Private messages

    /// Client 0 sends `count` messages to client 1 as "one"; client 1 receives `got`.
    func privateRun(count: Int, refused: Int = 0, got: [UInt64]) -> ChurnReport {
        var l = ChurnLedger(clients: 2, channels: 1)
        for _ in 0..<count { _ = l.sendPrivate(from: 0, to: 1, nick: "one") }
        for _ in 0..<refused { l.refusedPrivate(from: 0, nick: "one") }
        for q in got { l.receivedPrivate(1, from: 0, seq: q) }
        return l.check()
    }

    @Test func privateInOrderPasses() {
        let r = privateRun(count: 4, got: [0, 1, 2, 3])
        #expect(r.ok, "\(r)")
        #expect(r.privateExpected == 4 && r.privateDelivered == 4)
    }

    @Test func privateDroppedDuplicatedReordered() {
        let lost = privateRun(count: 3, got: [0, 2])
        #expect(!lost.ok && lost.privateLost == 1 && lost.privateDuplicated == 0 && lost.privateReordered == 0, "\(lost)")
        let dup = privateRun(count: 3, got: [0, 1, 1, 2])
        #expect(!dup.ok && dup.privateDuplicated == 1 && dup.privateLost == 0, "\(dup)")
        let reordered = privateRun(count: 3, got: [0, 2, 1])
        #expect(!reordered.ok && reordered.privateReordered == 1 && reordered.privateLost == 0, "\(reordered)")
        let lastLost = privateRun(count: 3, got: [0, 1])
        #expect(lastLost.privateLost == 1, "the last message counts too: \(lastLost)")
    }

    @Test func refusedMessagesAreTheLastOnesToANick() {
        // The addressee changed its nick after two of four messages to "one" reached the hub.
        #expect(privateRun(count: 4, refused: 2, got: [0, 1]).ok)
        let r = privateRun(count: 4, refused: 2, got: [0, 1, 2])
        #expect(!r.ok && r.unexpected == 1, "a refused message delivered anyway: \(r)")
        let early = privateRun(count: 4, refused: 2, got: [0])
        #expect(early.privateLost == 1, "\(early)")
    }

    @Test func privateToSeveralNicksOfOneClient() {
        var l = ChurnLedger(clients: 2, channels: 1)
        for _ in 0..<3 { _ = l.sendPrivate(from: 0, to: 1, nick: "one") }    // 0, 1, 2
        l.refusedPrivate(from: 0, nick: "one")                                // 2 refused
        for _ in 0..<2 { _ = l.sendPrivate(from: 0, to: 1, nick: "uno") }    // 3, 4
        for q: UInt64 in [0, 1, 3, 4] { l.receivedPrivate(1, from: 0, seq: q) }
        let r = l.check()
        #expect(r.ok && r.privateExpected == 4 && r.privateRefused == 1, "\(r)")
    }

    @Test func droppedClientsAreLeftOut() {
        var l = ChurnLedger(clients: 2, channels: 1)
        for _ in 0..<3 { _ = l.sendPrivate(from: 0, to: 1, nick: "one") }
        l.dropped(1)
        #expect(l.check().ok)
    }

    // MARK: Channel lines

    /// Client 1 joins channel 0 at time 10 (echo seen); client 0 then sends `count` lines
    /// (written at 100, 101, …); client 1 receives `got`.
    func channelRun(count: Int, got: [UInt64], observe: [UInt64] = []) -> ChurnReport {
        var l = ChurnLedger(clients: 3, channels: 1)
        for r in [0, 1, 2] {
            l.joinSent(r, channel: 0, at: 10 + UInt64(r))
            l.joinEchoed(r, channel: 0)
        }
        for k in 0..<count { _ = l.sendChannel(from: 0, channel: 0, at: 100 + UInt64(k)) }
        for q in got { l.receivedChannel(1, channel: 0, from: 0, seq: q) }
        // Client 2, an IRC member with the exact membership, sees every line.
        for q in 0..<UInt64(count) { l.receivedChannel(2, channel: 0, from: 0, seq: q) }
        for q in observe { l.observed(channel: 0, from: 0, seq: q, members: [0, 1, 2], at: 200 + q) }
        return l.check()
    }

    @Test func channelInOrderPasses() {
        let r = channelRun(count: 4, got: [0, 1, 2, 3], observe: [0, 1, 2, 3])
        #expect(r.ok, "\(r)")
        #expect(r.channelRequired == 8 && r.channelObserved == 4, "clients 1 and 2 owe each of 4 lines: \(r)")
    }

    @Test func channelDroppedDuplicatedReordered() {
        let lost = channelRun(count: 4, got: [0, 1, 3])
        #expect(!lost.ok && lost.channelLost == 1 && lost.channelDuplicated == 0, "a hole in the run: \(lost)")
        let dup = channelRun(count: 4, got: [0, 1, 1, 2, 3])
        #expect(!dup.ok && dup.channelDuplicated == 1 && dup.channelLost == 0, "\(dup)")
        let reordered = channelRun(count: 4, got: [0, 2, 1, 3])
        #expect(!reordered.ok && reordered.channelReordered == 1 && reordered.channelLost == 0, "\(reordered)")
        let before = channelRun(count: 4, got: [1, 2, 0, 3])
        #expect(!before.ok && before.channelReordered == 1 && before.channelLost == 0, "\(before)")
    }

    @Test func lossesAtTheEdgesNeedAnObserver() {
        // The first and the last line missing leave no hole in the run ...
        #expect(channelRun(count: 4, got: [1, 2]).ok)
        // ... but a member that saw them with the exact membership says client 1 owed them.
        let r = channelRun(count: 4, got: [1, 2], observe: [0, 3])
        #expect(!r.ok && r.channelLost == 2, "\(r)")
        let none = channelRun(count: 2, got: [], observe: [0])
        #expect(!none.ok && none.channelLost == 1, "\(none)")
    }

    @Test func historyAfterARejoinIsNotADuplicate() {
        var l = ChurnLedger(clients: 2, channels: 1)
        l.joinSent(0, channel: 0, at: 1); l.joinEchoed(0, channel: 0)
        l.joinSent(1, channel: 0, at: 2); l.joinEchoed(1, channel: 0)
        for k in 0..<2 { _ = l.sendChannel(from: 0, channel: 0, at: 10 + UInt64(k)) }
        l.receivedChannel(1, channel: 0, from: 0, seq: 0)
        l.receivedChannel(1, channel: 0, from: 0, seq: 1)
        l.partEchoed(1, channel: 0, at: 20)
        _ = l.sendChannel(from: 0, channel: 0, at: 21)     // 2: client 1 is out
        l.joinSent(1, channel: 0, at: 30); l.joinEchoed(1, channel: 0)
        // History: the channel's last lines (0, 1, 2), then a live one.
        _ = l.sendChannel(from: 0, channel: 0, at: 40)     // 3
        for q: UInt64 in [0, 1, 2, 3] { l.receivedChannel(1, channel: 0, from: 0, seq: q) }
        l.observed(channel: 0, from: 0, seq: 3, members: [0, 1], at: 41)
        let r = l.check()
        #expect(r.ok, "\(r)")
        // Line 2 was sent while client 1 was out: an observer that says so owes nothing.
        l.observed(channel: 0, from: 0, seq: 2, members: [0], at: 22)
        #expect(l.check().ok)
    }

    @Test func aLineOutsideAMembershipIsUnexpected() {
        var l = ChurnLedger(clients: 2, channels: 1)
        l.joinSent(0, channel: 0, at: 1); l.joinEchoed(0, channel: 0)
        _ = l.sendChannel(from: 0, channel: 0, at: 5)
        l.receivedChannel(1, channel: 0, from: 0, seq: 0)   // client 1 never joined
        let r = l.check()
        #expect(!r.ok && r.unexpected == 1, "\(r)")
        l.joinSent(1, channel: 0, at: 6)
        l.receivedChannel(1, channel: 0, from: 0, seq: 0)   // before its JOIN echo
        #expect(l.check().unexpected == 2)
    }

    @Test func observersThatDisagreeAreCounted() {
        var l = ChurnLedger(clients: 3, channels: 1)
        for r in 0..<3 { l.joinSent(r, channel: 0, at: 1); l.joinEchoed(r, channel: 0) }
        _ = l.sendChannel(from: 0, channel: 0, at: 5)
        for r in [1, 2] { l.receivedChannel(r, channel: 0, from: 0, seq: 0) }
        l.observed(channel: 0, from: 0, seq: 0, members: [0, 1, 2], at: 6)
        l.observed(channel: 0, from: 0, seq: 0, members: [0, 2], at: 7)
        let r = l.check()
        #expect(!r.ok && r.disagreements == 1, "\(r)")
    }

    // MARK: The payload

    @Test func payloadRoundTripAndCorruption() {
        let t = ChurnPayload.text(sender: 12, channel: 3, seq: 456)
        #expect(ChurnPayload.find(in: Array(":a!b@c PRIVMSG #churn3 :\(t)".utf8)) == .line(sender: 12, channel: 3, seq: 456))
        let p = ChurnPayload.text(sender: 0, channel: nil, seq: 7)
        #expect(ChurnPayload.find(in: Array("[12:00] *bc0* \(p)".utf8)) == .line(sender: 0, channel: nil, seq: 7))
        #expect(ChurnPayload.find(in: Array("[12:00] <b3> ~B~ 1 2 3".utf8)) == nil)
        var bytes = Array(t.utf8)
        for i in 4..<bytes.count {
            let saved = bytes[i]
            bytes[i] = saved == 0x31 ? 0x32 : 0x31
            #expect(ChurnPayload.find(in: bytes) == .corrupt, "byte \(i)")
            bytes[i] = saved
        }
        #expect(ChurnPayload.find(in: Array(t.utf8.dropLast())) == .corrupt)
    }
}
