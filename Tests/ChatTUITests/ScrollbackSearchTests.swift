import Testing
@testable import ChatTUI

/// Ctrl-R: incremental search back through the scrollback.
@Suite(.serialized, .compute) struct ScrollbackSearchTests {
    @Test func typingNarrowsCtrlRGoesOlderEnterStaysEscGoesBack() {
        var t = ScriptedClient.registered(channels: ["#c"], rows: 10)
        t.recv(":me!u@h JOIN #c")
        t.recv(":bob!b@h PRIVMSG #c :first Needle here")
        for i in 0..<30 { t.recv(":bob!b@h PRIVMSG #c :filler \(i)") }
        t.recv(":ann!a@h PRIVMSG #c :second needle")
        for i in 30..<60 { t.recv(":bob!b@h PRIVMSG #c :filler \(i)") }
        t.type("draft")
        t.key(.ctrl("r"))
        #expect(t.state.prompt == "(search) ")
        t.type("nee")
        t.type("dle")
        #expect(t.state.prompt == "(search) needle")
        var s = t.screen()
        #expect(s[s.count - 3].contains("<ann> second needle"))     // the match is the bottom chat row
        #expect(s[s.count - 2].contains("-- more below (30) --"))
        t.key(.ctrl("r"))
        // Near the oldest line the view stays full, so the match is shown higher up.
        #expect(t.screen().contains { $0.contains("<bob> first Needle here") })
        t.key(.ctrl("r"))                                            // nothing older
        #expect(t.state.prompt == "(no match) needle")
        #expect(t.screen().contains { $0.contains("first Needle here") })
        t.key(.backspace)
        #expect(t.state.prompt == "(search) needl")
        #expect(t.screen()[s.count - 3].contains("second needle"))   // from the newest again
        t.key(.enter)                                                 // stays there
        #expect(t.state.search == nil)
        #expect(t.state.activeWindow.scroll != nil)
        #expect(t.state.editor.text == "draft")                       // the line typed is kept
        t.key(.ctrl("r"))
        t.type("filler 5")
        t.key(.escape)                                                // back to the end
        #expect(t.state.activeWindow.scroll == nil)
        #expect(t.state.prompt == "[#c] ")
        // Searching for what is not there leaves the view alone.
        t.key(.ctrl("r"))
        t.type("zzz")
        #expect(t.state.prompt == "(no match) zzz")
        #expect(t.state.activeWindow.scroll == nil)
        t.key(.ctrl("g"))
        #expect(t.state.search == nil)
    }
}
