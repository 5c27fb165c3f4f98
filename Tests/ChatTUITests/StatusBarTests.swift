import Testing
import TestSupport
@testable import ChatTUI

@Suite(.serialized, .compute) struct StatusBarTests {
    /// "more below" is one more field of the status bar, set off by the same `│` as the others.
    @Test func moreBelowIsSeparatedLikeTheOtherFields() {
        var t = ScriptedClient.registered(channels: ["#c"], rows: 24)
        t.recv(":me!u@h JOIN #c")
        for i in 0..<100 { t.recv(":bob!b@h PRIVMSG #c :message \(i)") }
        t.key(.pageUp)
        let g = t.state.geometry
        #expect(t.screen()[g.statusRow!].contains(" │ -- more below (\(g.pageRows)) --"))
    }
}
