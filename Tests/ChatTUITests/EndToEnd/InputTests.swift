import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// Keys through a real terminal: what KeyReader makes of tmux's bytes, end to end.
extension EndToEndTests {
    @Test func editingHistoryCompletionPasteAndWheelThroughTheTerminal() throws {
        let (server, tmux, bob) = try aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }

        // Ctrl-A / Ctrl-E
        try tmux.type("world")
        try tmux.keys("C-a")
        try tmux.type("hello ")
        try tmux.keys("C-e")
        try tmux.typeLine("!")
        try tmux.waitFor(text: "<alice> hello world!")

        // Alt-B, then Ctrl-W kills the word before the cursor.
        try tmux.type("one two three")
        try tmux.keys("M-b", "C-w", "Enter")
        try tmux.waitFor(text: "<alice> one three")

        // Arrows, Home, Delete.
        try tmux.type("xabcz")
        try tmux.keys("Left", "Left", "Left", "DC", "Home", "DC", "End", "Enter")
        try tmux.waitFor(text: "<alice> acz")

        // History: Up twice, Ctrl-U then Ctrl-Y puts it back, sent again.
        try tmux.keys("Up", "Up", "C-u", "C-y", "Enter")
        try tmux.waitFor("the line from history sent again") { s in
            s.filter { $0.contains("<alice> one three") }.count == 2
        }

        // Alt-Backspace (ESC DEL, which ncurses reads as ESC then KEY_BACKSPACE) too.
        try tmux.type("four five six")
        try tmux.keys("M-BSpace")
        try tmux.type("seven")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "<alice> four five seven")

        // Tab completes a nick at the start of the line with ": ".
        try tmux.type("bo")
        try tmux.keys("Tab")
        try tmux.typeLine("hi")
        try tmux.waitFor(text: "<alice> bob: hi")
        try bob.expect("PRIVMSG #lobby :bob: hi")

        // A bracketed paste of five lines asks first.
        try tmux.cmd(["set-buffer", "pasted 1\npasted 2\npasted 3\npasted 4\npasted 5"])
        try tmux.cmd(["paste-buffer", "-p", "-t", ":0"])
        try tmux.waitFor(text: "Send 5 pasted lines? (y/n)")
        try tmux.type("y")
        try tmux.waitFor(text: "<alice> pasted 5")
        try bob.expect("PRIVMSG #lobby :pasted 5")

        // The mouse wheel (X10 reports, as tmux's "screen" terminal sends them) scrolls.
        for i in 0..<40 { try bob.line("PRIVMSG #lobby :filler \(i)") }
        try tmux.waitFor(text: "filler 39")
        try tmux.type("\u{1b}[M`!!")
        try tmux.waitFor(text: "more below (3)")
        try tmux.type("\u{1b}[Ma!!")
        try tmux.waitFor("back at the end") { s in !s.contains { $0.contains("more below") } }
    }
}
