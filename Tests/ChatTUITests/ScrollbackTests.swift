import Testing
import TestSupport
@testable import ChatTUI

@Suite(.serialized, .compute) struct ScrollbackTests {
    func line(_ i: Int) -> Line { Line(time: 0, kind: .plain, nick: nil, text: "line \(i)") }

    @Test func keepsTheNewestLinesUpToCapacity() {
        var s = Scrollback(capacity: 3)
        for i in 0..<5 { s.append(line(i)) }
        #expect(s.count == 3)
        #expect(s.lines.map(\.text) == ["line 2", "line 3", "line 4"])
        #expect(s.firstSeq == 2)
        #expect(s.lastSeq == 4)
        #expect(s[seq: 1] == nil)
        #expect(s[seq: 3]?.text == "line 3")
    }

    @Test func sequenceNumbersSurviveClearing() {
        var s = Scrollback(capacity: 10)
        for i in 0..<4 { s.append(line(i)) }
        s.removeAll()
        #expect(s.isEmpty)
        s.append(line(9))
        #expect(s.lastSeq == 4)
        #expect(s[seq: 4]?.text == "line 9")
    }

    @Test func tenThousandLinesPerWindowByDefault() {
        var t = ScriptedClient.registered(channels: ["#big"])
        t.recv(":me!u@h JOIN #big")
        for i in 0..<12_000 { t.recv(":bob!u@h PRIVMSG #big :message \(i)") }
        let w = t.window("#big")!
        #expect(w.scrollback.count == 10_000)
        #expect(w.scrollback.lines.last?.text == "message 11999")
    }
}
