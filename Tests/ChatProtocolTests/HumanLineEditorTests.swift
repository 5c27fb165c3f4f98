import Testing
import TestSupport
@testable import ChatProtocol

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// An editor wired to a virtual terminal: what it draws lands on the terminal at once.
private struct Rig {
    var editor: HumanLineEditor
    var term: VirtualTerminal
    var events: [HumanLineEditor.Event] = []

    init(prompt: String = "[#lobby] ", columns: Int = 40, escapes: Bool = true, maxBytes: Int = 510) {
        editor = HumanLineEditor(prompt: prompt, columns: columns, usesEscapes: escapes, maxBytes: maxBytes)
        term = VirtualTerminal(width: columns)
        var screen: [UInt8] = []
        editor.draw(screen: &screen)
        term.write(screen)
    }

    mutating func type(_ bytes: [UInt8]) {
        var screen: [UInt8] = []
        editor.feed(bytes, screen: &screen, events: &events)
        term.write(screen)
    }

    mutating func type(_ s: String) { type(b(s)) }

    mutating func print(_ s: String) {
        var screen: [UInt8] = []
        editor.printAbove(b(s), screen: &screen)
        term.write(screen)
    }

    mutating func resize(_ columns: Int) {
        var screen: [UInt8] = []
        editor.resize(columns: columns, screen: &screen)
        term.write(screen)
    }

    /// The cursor's column on the input row.
    var column: Int { term.column }

    var lines: [String] { events.compactMap { if case .line(let l) = $0 { String(decoding: l, as: UTF8.self) } else { nil } } }
}

private let left = "\u{1B}[D", right = "\u{1B}[C", up = "\u{1B}[A", down = "\u{1B}[B"

@Suite(.serialized, .compute) struct HumanLineEditorTests {
    @Test func typingShowsTheTextAfterThePrompt() {
        var r = Rig()
        r.type("hello")
        #expect(r.term.cursorRow == "[#lobby] hello" && r.column == 14)
        #expect(r.term.unknown.isEmpty && r.term.wraps == 0)
    }

    @Test(arguments: [true, false]) func aLinePrintedAboveLeavesTheHalfLineIntactAndTheCursorInPlace(escapes: Bool) {
        var r = Rig(escapes: escapes)
        r.type("I am typing a long sent" + left + left)
        r.print("[07:38] <bob> interrupting you!\r\n")
        #expect(r.term.lines == ["[07:38] <bob> interrupting you!", "[#lobby] I am typing a long sent"])
        #expect(r.term.row == 1 && r.column == 9 + 21)
        // Still editable where the cursor was: finish and send.
        r.type("\u{05}ence here\r\n")
        #expect(r.lines == ["I am typing a long sentence here"])
        #expect(r.term.cursorRow == "[#lobby]" && r.column == 9)
        #expect(r.term.unknown.isEmpty && r.term.wraps == 0)
        if !escapes { #expect(r.term.escapes == 0) }
    }

    @Test func withoutEscapesAShorterLineIsBlankedWithSpaces() {
        var r = Rig(escapes: false)
        r.type("abcdef" + "\u{01}" + "\u{0B}")  // Home, then kill to end
        #expect(r.term.cursorRow == "[#lobby]" && r.column == 9 && r.term.escapes == 0)
        r.type("xyz" + left + "\u{15}")  // Ctrl-U kills before the cursor
        #expect(r.term.cursorRow == "[#lobby] z" && r.column == 9 && r.term.escapes == 0)
    }

    @Test func bothBackspacesAndBothDeletes() {
        var r = Rig()
        r.type("abcd\u{08}\u{7F}")
        #expect(r.editor.text == "ab" && r.term.cursorRow == "[#lobby] ab")
        r.type("\u{01}\u{1B}[3~")  // Home, Delete
        #expect(r.editor.text == "b" && r.column == 9)
        r.type("\u{04}")  // Ctrl-D on a non-empty line deletes too
        #expect(r.editor.text == "" && r.events.isEmpty)
    }

    @Test(arguments: ["\u{1B}[H", "\u{1B}OH", "\u{1B}[1~", "\u{1B}[7~", "\u{01}"])
    func homeInItsEncodings(key: String) {
        var r = Rig()
        r.type("word" + key + "X")
        #expect(r.editor.text == "Xword" && r.column == 10)
    }

    @Test(arguments: ["\u{1B}[F", "\u{1B}OF", "\u{1B}[4~", "\u{1B}[8~", "\u{05}"])
    func endInItsEncodings(key: String) {
        var r = Rig()
        r.type("word\u{01}" + key + "X")
        #expect(r.editor.text == "wordX" && r.term.cursorRow == "[#lobby] wordX")
    }

    @Test func leftRightAndTheKillKeys() {
        var r = Rig()
        r.type("one two three" + left + left + "\u{1B}OD" + right + "_")
        #expect(r.editor.text == "one two thr_ee")
        r.type("\u{17}")  // Ctrl-W: back to the space
        #expect(r.editor.text == "one two ee" && r.term.cursorRow == "[#lobby] one two ee" && r.column == 17)
        r.type("\u{0B}")
        #expect(r.editor.text == "one two " && r.term.cursorRow == "[#lobby] one two")
        r.type("\u{15}")
        #expect(r.editor.text == "" && r.term.cursorRow == "[#lobby]")
    }

    @Test func ctrlLDrawsTheSameRowAgain() {
        var r = Rig()
        r.type("redraw me" + left)
        let (row, column) = (r.term.cursorRow, r.column)
        var screen: [UInt8] = []
        var events: [HumanLineEditor.Event] = []
        r.editor.feed([0x0C], screen: &screen, events: &events)
        #expect(!screen.isEmpty)
        r.term.write(screen)
        #expect(r.term.cursorRow == row && r.column == column)
    }

    @Test func historyBrowsesOlderAndBackToTheDraft() {
        var r = Rig()
        r.type("first\r\nsecond\r\ndraft")
        r.type(up)
        #expect(r.term.cursorRow == "[#lobby] second")
        r.type("\u{10}")  // Ctrl-P
        #expect(r.editor.text == "first")
        r.type(up)
        #expect(r.editor.text == "first")
        r.type(down + down)
        #expect(r.editor.text == "draft" && r.term.cursorRow == "[#lobby] draft")
        r.type(up + "\r\n")
        #expect(r.lines == ["first", "second", "second"])
    }

    @Test func historyKeepsAtMostItsLimit() {
        var r = Rig()
        for i in 0..<(HumanLineEditor.historyLimit + 20) { r.type("line \(i)\r") }
        #expect(r.editor.history.entries.count == HumanLineEditor.historyLimit)
    }

    @Test func ctrlCClearsTheLineAndSendsNothing() {
        var r = Rig()
        r.type("oops\u{03}")
        #expect(r.editor.text == "" && r.events.isEmpty && r.term.cursorRow == "[#lobby]")
        r.type("\u{03}")
        #expect(r.events.isEmpty)
    }

    @Test func ctrlDOnAnEmptyLineAsksThenQuits() {
        var r = Rig()
        r.type("\u{04}")
        #expect(r.events.isEmpty && r.term.lines == ["Press Ctrl-D again to quit.", "[#lobby]"])
        r.type("x\u{08}\u{04}")  // another key in between: asks again
        #expect(r.events.isEmpty)
        r.type("\u{04}")
        #expect(r.events == [.quit])
    }

    @Test func everyLineEndIsOneEnter() {
        var r = Rig()
        r.type("a\r\nb\r\u{0}c\rd\ne\r")
        r.type("\nf\r")
        r.type([0])
        #expect(r.lines == ["a", "b", "c", "d", "e", "f"])
        r.type("\r\n\n")  // an empty line, and another after it
        #expect(r.lines == ["a", "b", "c", "d", "e", "f", "", ""])
    }

    @Test(arguments: [true, false]) func longInputScrollsWithinTheWindow(escapes: Bool) {
        var r = Rig(columns: 30, escapes: escapes)
        let text = (0..<60).map { String(UnicodeScalar(UInt8(97 + $0 % 26))) }.joined()
        r.type(text)
        // The last column stays free: 20 columns of input, the cursor in the last of them.
        #expect(r.term.wraps == 0 && r.column == 28)
        #expect(r.term.cursorRow == "[#lobby] " + text.suffix(19))
        r.type("\u{01}")
        #expect(r.term.cursorRow == "[#lobby] " + text.prefix(20) && r.column == 9 && r.term.wraps == 0)
        r.print("someone said something\r\n")
        #expect(r.term.cursorRow == "[#lobby] " + text.prefix(20) && r.column == 9)
        r.type("\u{05}\r")
        #expect(r.lines == [text] && r.term.wraps == 0)
    }

    @Test func wideCharactersTakeTwoColumnsAndSplitUTF8Waits() {
        var r = Rig()
        for byte in b("世界é") { r.type([byte]) }
        #expect(r.editor.text == "世界é" && r.column == 9 + 5)
        r.type("\u{7F}")
        #expect(r.column == 9 + 4)
        r.type("\u{7F}")
        #expect(r.term.cursorRow == "[#lobby] 世" && r.column == 11)
        r.type(left + "x")
        #expect(r.editor.text == "x世" && r.column == 10)
    }

    @Test func invalidUTF8AndFormatCharactersAreNotText() {
        var r = Rig()
        r.type([0x61, 0xFF, 0xC3, 0x28, 0x80, 0x62] + b("\u{202E}c\u{9B}d"))
        #expect(r.editor.text == "a(bcd")
        r.type([0xE4, 0xB8])  // two thirds of 世, then Enter: the fragment is dropped later
        r.type("\r")
        #expect(r.lines == ["a(bcd"])
    }

    @Test func aFullLineRingsTheBell() {
        var r = Rig(maxBytes: 5)
        r.type("abcdef世")
        #expect(r.editor.text == "abcde" && r.term.bells == 2)
        r.type("\u{08}é")
        #expect(r.editor.text == "abcd" && r.term.bells == 3)
    }

    @Test func resizingKeepsTheRowWithinTheWindow() {
        var r = Rig(columns: 60)
        r.type(String(repeating: "x", count: 40))
        r.resize(20)
        r.term = VirtualTerminal(width: 20)
        var screen: [UInt8] = []
        r.editor.redraw(screen: &screen)
        r.term.write(screen)
        #expect(r.term.wraps == 0 && r.column == 19 - 1 && r.term.cursorRow.count <= 19)
    }

    @Test func thePromptCanChange() {
        var r = Rig()
        r.type("hi")
        var screen: [UInt8] = []
        r.editor.setPrompt("[bob] ", screen: &screen)
        r.term.write(screen)
        #expect(r.term.cursorRow == "[bob] hi" && r.column == 8)
    }

    @Test func aMaskedLineShowsStarsAndIsNotKept() {
        var r = Rig(prompt: "Password for boss (not shown): ", columns: 60)
        var screen: [UInt8] = []
        r.editor.setMasked(true, screen: &screen)
        r.term.write(screen)
        r.type("se世same\u{7F}e")
        #expect(r.term.cursorRow == "Password for boss (not shown): *******" && !r.term.cursorRow.contains("same"))
        r.type("\r")
        #expect(r.lines == ["se世same"] && r.editor.history.entries.isEmpty)
        screen = []
        r.editor.setMasked(false, screen: &screen)
        r.type("shown\r")
        #expect(r.editor.history.entries == ["shown"])
    }

    @Test func tabCompletesNicksChannelsAndCommands() {
        var r = Rig()
        r.editor.nicks = ["bob", "bobby", "carol"]
        r.editor.channels = ["#lobby", "#rust"]
        r.editor.commands = ["join", "msg", "me"]
        r.type("ca\t")
        #expect(r.editor.text == "carol: " && r.term.cursorRow == "[#lobby] carol:")
        r.type("\u{15}bo\t")
        #expect(r.editor.text == "bob: ")
        r.type("\t")
        #expect(r.editor.text == "bobby: ")
        r.type("\u{1B}[Z")  // Shift-Tab goes back
        #expect(r.editor.text == "bob: ")
        r.type("hi #ru\t")
        #expect(r.editor.text == "bob: hi #rust ")
        r.type("\u{15}/jo\t")
        #expect(r.editor.text == "/join ")
        r.type("\u{15}zz\t")
        #expect(r.editor.text == "zz" && r.term.bells == 1)
    }

    @Test func theOperPasswordIsStarredAndNotKept() {
        var r = Rig(columns: 60)
        r.type("/oper boss sesame")
        #expect(r.term.cursorRow == "[#lobby] /oper boss ******" && r.column == 9 + 17)
        r.type("\u{7F}\r")
        #expect(r.lines == ["/oper boss sesam"] && r.editor.history.entries.isEmpty)
        r.type("/oper boss")
        #expect(r.term.cursorRow == "[#lobby] /oper boss")
    }

    @Test func accountPasswordsAreStarredAndNotKept() {
        var r = Rig(columns: 60)
        r.type("/register sesame\r")
        #expect(r.term.lines.allSatisfy { !$0.contains("sesame") })
        r.type("/identify alice sesame")
        #expect(r.term.cursorRow == "[#lobby] /identify ************" && r.column == 9 + 22)
        r.type("\r/msg NickServ IDENTIFY sesame")
        #expect(r.term.cursorRow == "[#lobby] /msg NickServ ***************")
        r.type("\r/msg bob sesame\r")
        #expect(r.lines == ["/register sesame", "/identify alice sesame", "/msg NickServ IDENTIFY sesame", "/msg bob sesame"])
        #expect(r.editor.history.entries == ["/msg bob sesame"])
    }

    @Test func aRegainPasswordIsStarredAndTheNickShown() {
        var r = Rig(columns: 60)
        r.type("/regain alice sesame")
        #expect(r.term.cursorRow == "[#lobby] /regain alice ******")
        r.type("\r")
        #expect(r.lines == ["/regain alice sesame"] && r.editor.history.entries.isEmpty)
    }

    @Test func unknownEscapesAndAltKeysAreIgnored() {
        var r = Rig()
        r.type("ab\u{1B}[15~\u{1B}[2J\u{1B}x\u{1B}Oz" + "c")
        #expect(r.editor.text == "abc" && r.term.cursorRow == "[#lobby] abc")
    }

    @Test func howTheBytesAreCutChangesNothing() {
        let script = b("héllo 世界\u{1B}[D\u{1B}[Dx\u{01}\u{1B}[3~\r\nnext\u{1B}[A\u{17}\r\u{0}\u{04}\u{04}")
        var whole = Rig()
        whole.type(script)
        var split = Rig()
        for byte in script { split.type([byte]) }
        #expect(whole.events == split.events && whole.editor.text == split.editor.text)
        #expect(whole.term.lines == split.term.lines && whole.column == split.column)
        #expect(whole.events == [.line(b("éllo x世界")), .line(b("éllo ")), .quit])
    }
}
