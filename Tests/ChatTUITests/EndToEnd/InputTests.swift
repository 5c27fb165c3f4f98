import Foundation
import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

/// Keys through a real terminal: what KeyReader makes of tmux's bytes, end to end.
extension EndToEndTests {
    @Test func editingHistoryCompletionPasteAndWheelThroughTheTerminal() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }

        // Ctrl-A / Ctrl-E
        try await tmux.type("world")
        try await tmux.keys("C-a")
        try await tmux.type("hello ")
        try await tmux.keys("C-e")
        try await tmux.typeLine("!")
        try await tmux.waitFor(text: "<alice> hello world!")

        // Alt-B, then Ctrl-W kills the word before the cursor.
        try await tmux.type("one two three")
        try await tmux.keys("M-b", "C-w", "Enter")
        try await tmux.waitFor(text: "<alice> one three")

        // Arrows, Home, Delete.
        try await tmux.type("xabcz")
        try await tmux.keys("Left", "Left", "Left", "DC", "Home", "DC", "End", "Enter")
        try await tmux.waitFor(text: "<alice> acz")

        // History: Up twice, Ctrl-U then Ctrl-Y puts it back, sent again.
        try await tmux.keys("Up", "Up", "C-u", "C-y", "Enter")
        try await tmux.waitFor("the line from history sent again") { s in
            s.filter { $0.contains("<alice> one three") }.count == 2
        }

        // Alt-Backspace (ESC DEL, which ncurses reads as ESC then KEY_BACKSPACE) too.
        try await tmux.type("four five six")
        try await tmux.keys("M-BSpace")
        try await tmux.type("seven")
        try await tmux.keys("Enter")
        try await tmux.waitFor(text: "<alice> four five seven")

        // Tab completes a nick at the start of the line with ": ".
        try await tmux.type("bo")
        try await tmux.keys("Tab")
        try await tmux.typeLine("hi")
        try await tmux.waitFor(text: "<alice> bob: hi")
        try await bob.expect("PRIVMSG #lobby :bob: hi")

        // A bracketed paste of five lines asks first.
        try await tmux.cmd(["set-buffer", "pasted 1\npasted 2\npasted 3\npasted 4\npasted 5"])
        try await tmux.cmd(["paste-buffer", "-p", "-t", ":0"])
        try await tmux.waitFor(text: "Send 5 pasted lines? (y/n)")
        try await tmux.type("y")
        try await tmux.waitFor(text: "<alice> pasted 5")
        try await bob.expect("PRIVMSG #lobby :pasted 5")

        // The mouse wheel (X10 reports, as tmux's "screen" terminal sends them) scrolls.
        for i in 0..<40 { try bob.line("PRIVMSG #lobby :filler \(i)") }
        try await tmux.waitFor(text: "filler 39")
        try await tmux.type("\u{1b}[M`!!")
        try await tmux.waitFor(text: "more below (3)")
        try await tmux.type("\u{1b}[Ma!!")
        try await tmux.waitFor("back at the end") { s in !s.contains { $0.contains("more below") } }
    }
}
