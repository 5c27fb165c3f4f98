import Testing
@testable import ChatTUI

/// Outgoing pacing: a burst of 5, then one line every 2 s; the queue in the status bar,
/// /clearqueue, and what a lost connection or /quit does to it.
@Suite(.serialized, .compute) struct PacingTests {
    func channel() -> ScriptedClient {
        var t = ScriptedClient(channels: ["#c"], pacing: true)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        return t
    }

    func paste(_ t: inout ScriptedClient, _ lines: [String]) {
        t.key(.pasteStart)
        for (i, l) in lines.enumerated() {
            t.type(l)
            if i < lines.count - 1 { t.key(.enter) }
        }
        t.key(.pasteEnd)
        t.key(.text("y"))
    }

    @Test func twentyFivePastedLinesLeaveInABurstThenOneEveryTwoSecondsInOrder() {
        var t = channel()
        let lines = (1...25).map { "pasted line \($0)" }
        paste(&t, lines)
        var sent = t.sent()
        #expect(sent == lines.prefix(5).map { "PRIVMSG #c :\($0)" })
        // All 25 are on the screen at once; 20 wait, and the status bar says so.
        #expect(t.texts().suffix(25) == ArraySlice(lines))
        #expect(t.screen()[t.state.rows - 2].contains("│ queued 20"))
        #expect(t.state.pacer.nextRelease == t.now + 2000)
        #expect(t.state.nextDeadline! <= t.now + 2000)   // the loop wakes for it
        // Nothing before its time.
        t.now += 1999
        t.apply(.tick)
        #expect(t.sent().isEmpty)
        var times: [Int64] = []
        while let due = t.state.pacer.nextRelease {
            t.now = due
            t.apply(.tick)
            let out = t.sent()
            #expect(out.count == 1)
            sent += out
            times.append(t.now)
        }
        #expect(sent == lines.map { "PRIVMSG #c :\($0)" })
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 2000 })
        #expect(!t.screen()[t.state.rows - 2].contains("queued"))
        #expect(t.state.pacer.nextRelease == nil)        // no wake-ups left for the queue
    }

    @Test func aTypedLineWaitsBehindThePasteAndTheBurstComesBackAfterAPause() {
        var t = channel()
        paste(&t, (1...7).map { "p\($0)" })
        #expect(t.sent().count == 5)
        t.enter("typed")
        #expect(t.sent().isEmpty)
        #expect(t.texts().last == "typed")           // shown at once, sent in its turn
        var out: [String] = []
        while let due = t.state.pacer.nextRelease { t.now = due; t.apply(.tick); out += t.sent() }
        #expect(out == ["PRIVMSG #c :p6", "PRIVMSG #c :p7", "PRIVMSG #c :typed"])
        // Quiet for a while: a full burst again.
        t.now += 5 * 2000
        for i in 1...5 { t.enter("again \(i)") }
        #expect(t.sent().count == 5)
        t.enter("sixth")
        #expect(t.sent().isEmpty)
    }

    @Test func clearQueueDropsWhatWaits() {
        var t = channel()
        paste(&t, (1...9).map { "p\($0)" })
        _ = t.sent()
        t.enter("/clearqueue")
        #expect(t.texts().last == "4 lines waiting to be sent dropped.")
        #expect(t.state.pacer.queue.isEmpty && t.state.pacer.nextRelease == nil)
        #expect(!t.screen()[t.state.rows - 2].contains("queued"))
        t.now += 60_000
        t.apply(.tick)
        #expect(t.sent().isEmpty)
        t.enter("/clearqueue")
        #expect(t.texts().last == "No lines are waiting to be sent.")
    }

    @Test func quitGoesAtOnceAndALostConnectionDropsTheQueue() {
        var t = channel()
        paste(&t, (1...8).map { "p\($0)" })
        _ = t.sent()
        t.apply(.disconnected(reason: "reset", retryAt: t.now + 1000))
        #expect(t.state.pacer.queue.isEmpty)
        #expect(t.serverTexts().contains("3 lines waiting to be sent dropped."))
        t.now += 1000
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        _ = t.sent()
        paste(&t, (1...8).map { "q\($0)" })
        #expect(t.sent().count == 5)                   // a new connection: a full burst
        t.enter("/quit bye")
        #expect(t.state.takeEffects() == [.send("QUIT :bye"), .quit])
    }

    @Test func thePacerAlone() {
        var p = SendPacer(burst: 2, interval: 1000)
        #expect(p.submit("a", now: 0) == "a")
        #expect(p.submit("b", now: 0) == "b")
        #expect(p.submit("c", now: 0) == nil)
        #expect(p.nextRelease == 1000)
        #expect(p.release(now: 999).isEmpty)
        #expect(p.release(now: 1000) == ["c"])
        #expect(p.nextRelease == nil)
        // Half a second of credit back only: still one interval away.
        #expect(p.submit("d", now: 1500) == nil)
        #expect(p.release(now: 2000) == ["d"])
        // Nonsense settings are made sane.
        var q = SendPacer(burst: 0, interval: -5)
        #expect(q.submit("x", now: 0) == "x")
    }
}
