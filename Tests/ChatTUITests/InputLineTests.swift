import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

/// chat-tui's input line (`InputLine`).
@Suite(.serialized, .compute) struct InputLineTests {
    @Test func insertMoveAndDelete() {
        var e = InputLine()
        e.insert("hello world")
        e.apply(.home)
        e.apply(.deleteForward)
        #expect(e.text == "ello world")
        e.apply(.end)
        e.apply(.deleteBackward)
        #expect(e.text == "ello worl")
        e.apply(.left)
        e.insert("X")
        #expect(e.text == "ello worXl")
        #expect(e.cursor == 9)
    }

    @Test func wordMotionLikeEmacs() {
        var e = InputLine("one two  three")
        e.apply(.wordLeft)
        #expect(e.cursor == 9)
        e.apply(.wordLeft)
        #expect(e.cursor == 4)
        e.apply(.wordRight)
        #expect(e.cursor == 7)
        e.apply(.home)
        e.apply(.wordRight)
        #expect(e.cursor == 3)
    }

    @Test func killsAndYank() {
        var e = InputLine("alpha beta gamma")
        e.apply(.killWordBackward)          // Ctrl-W
        #expect(e.text == "alpha beta ")
        e.apply(.yank)
        #expect(e.text == "alpha beta gamma")
        e.apply(.wordLeft)
        e.apply(.killToEnd)                 // Ctrl-K
        #expect(e.text == "alpha beta ")
        #expect(e.killBuffer == Array("gamma"))
        e.apply(.left)
        e.apply(.killToStart)               // irssi's erase_to_beg_of_line (unbound)
        #expect(e.text == " ")
        e.apply(.yank)
        #expect(e.text == "alpha beta ")
        e.setText("x yz")
        e.apply(.home)
        e.apply(.killWordForward)           // Alt-D
        #expect(e.text == " yz")
    }

    @Test func transpose() {
        var e = InputLine("ab")
        e.apply(.transpose)
        #expect(e.text == "ba")
    }

    @Test func cursorStepsOverWholeClusters() {
        var e = InputLine()
        // Keys arrive one scalar at a time: the joiner and the next emoji join the cluster.
        for s in ["a", "👨", "\u{200D}", "👩", "e", "\u{301}"] { e.insert(s) }
        #expect(e.chars.count == 3)
        #expect(e.text == "a👨‍👩é")
        e.apply(.deleteBackward)
        e.apply(.deleteBackward)
        #expect(e.text == "a")
        e.insert("你好")
        e.apply(.left)
        #expect(e.cursor == 2)
    }
}
