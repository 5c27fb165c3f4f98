import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// The user's own lines (a notice, a message) are shown as theirs.
@Suite(.serialized, .compute) struct OwnLinesTests {
    /// `/notice bob text` was shown (and logged) as `-bob- text`, as if bob had written it.
    @Test func ownNoticeIsShownAsOurs() {
        var t = ScriptedClient(nick: "me", logging: true)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.enter("/query bob")
        _ = t.state.takeEffects()
        t.enter("/notice bob psst")
        let line = t.window("bob")!.scrollback.lines.last!
        #expect(line.nick == "me" && line.kind == .notice && line.text == "psst")
        let logged = t.state.takeEffects().compactMap { if case .log(_, let l) = $0 { l } else { nil } }
        #expect(logged.count == 1 && logged[0].hasSuffix(" -me- psst"))
        // To someone without a window: a note where we are.
        t.enter("/notice carol hi")
        #expect(t.texts().last == "→ -carol- hi")
    }
}
