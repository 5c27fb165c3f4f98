import ChatProtocol
import Testing
@testable import ChatTUI

/// mIRC formatting: parsed into formats the view shows, stripped on request, typed with
/// irssi's keys, never a control character on the screen.
@Suite(.serialized, .compute) struct FormattingTests {
    func channel(formatting: Bool = true, logging: Bool = false) -> ScriptedClient {
        var t = ScriptedClient(channels: ["#c"], logging: logging, formatting: formatting)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.recv(":me!u@h JOIN #c")
        _ = t.state.takeEffects()
        return t
    }

    func fmt(bold: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false,
             fg: UInt8? = nil, bg: UInt8? = nil) -> TextFormat {
        TextFormat(bold: bold, italic: italic, underline: underline, reverse: reverse, foreground: fg, background: bg)
    }

    @Test func codesBecomeFormats() {
        let spans = TextFormat.spans("a\u{2}b\u{1d}i\u{1f}u\u{16}r\u{f}n\u{3}4,12c\u{3}99d\u{3}e\u{3}5,f", style: .normal)
        #expect(spans.map(\.text) == ["a", "b", "i", "u", "r", "n", "c", "d", "e", ",f"])
        #expect(spans.map(\.format) == [
            .plain, fmt(bold: true), fmt(bold: true, italic: true), fmt(bold: true, italic: true, underline: true),
            fmt(bold: true, italic: true, underline: true, reverse: true), .plain, fmt(fg: 4, bg: 12), fmt(bg: 12), .plain, fmt(fg: 5),
        ])
        // Two digits at most; a comma not followed by a digit is text; 99 is the default.
        #expect(TextFormat.spans("\u{3}123", style: .normal) == [Span("3", .normal, fmt(fg: 12))])
        #expect(TextFormat.spans("\u{3}04,99x", style: .normal) == [Span("x", .normal, fmt(fg: 4))])
        // Hex colours are read and not shown; any other control shows nothing.
        #expect(TextFormat.spans("\u{4}ff0000,00ff00hex\u{11}mono\u{1e}x\u{7}", style: .action).map(\.text) == ["hexmonox"])
        #expect(TextFormat.spans("\u{2}\u{2}", style: .normal).isEmpty)
    }

    @Test func aFormattedMessageIsShownWithItsFormatsAndNoCodes() {
        var t = channel()
        t.recv(":bob!b@h PRIVMSG #c :plain \u{2}bold\u{2} \u{3}4,1red on black\u{f} \u{1f}under")
        let line = t.window("#c")!.scrollback.lines.last!
        #expect(line.formatted)
        let frame = t.state.frame()
        let spans = frame.chat.flatMap(\.spans).filter { $0.format != .plain }
        #expect(spans.map(\.text) == ["bold", "red on black", "under"])
        #expect(spans.map(\.format) == [fmt(bold: true), fmt(fg: 4, bg: 1), fmt(underline: true)])
        let rows = t.screen()
        #expect(rows.contains { $0.contains("<bob> plain bold red on black under") })
        for row in rows { #expect(!row.unicodeScalars.contains { $0.value < 0x20 }) }
        // Codes take no columns when lines wrap: the same text without them wraps the same.
        var u = channel()
        u.recv(":bob!b@h PRIVMSG #c :plain bold red on black under")
        for width in 20...40 {
            let a = Layout.rows(for: line, width: width, utcOffset: 0).map { $0.spans.map(\.text).joined() }
            let b = Layout.rows(for: u.window("#c")!.scrollback.lines.last!, width: width, utcOffset: 0).map { $0.spans.map(\.text).joined() }
            #expect(a == b, "width \(width)")
        }
    }

    @Test func stripFormattingShowsPlainText() {
        var t = channel(formatting: false)
        t.recv(":bob!b@h PRIVMSG #c :\u{2}bold\u{2} \u{3}4red")
        let line = t.window("#c")!.scrollback.lines.last!
        #expect(line.text == "bold red")
        #expect(!line.formatted)
        #expect(t.state.frame().chat.flatMap(\.spans).allSatisfy { $0.format == .plain })
    }

    @Test func irssisKeysTypeTheCodesAndTheyAreSentAsTyped() {
        var t = channel()
        t.key(.ctrl("b"))
        t.type("b")
        t.key(.ctrl("c"))
        t.type("4r")
        t.key(.ctrl("o"))
        t.key(.ctrl("v"))
        t.key(.ctrl("]"))
        t.key(.ctrl("_"))
        t.type("x")
        #expect(t.state.editor.text == "\u{2}b\u{3}4r\u{f}\u{16}\u{1d}\u{1f}x")
        // Each code shows as its key's letter, in reverse, one column each.
        let (row, cursor) = t.state.inputRow(width: 80)
        #expect(row.spans.map(\.text).joined() == "[#c] BbC4rOV]_x")
        #expect(row.spans.filter { $0.style == .inputCode }.map(\.text) == ["B", "C", "OV]_"])
        #expect(cursor == "[#c] BbC4rOV]_x".count)
        #expect(!t.screen().last!.unicodeScalars.contains { $0.value < 0x20 })
        t.key(.enter)
        #expect(t.sent() == ["PRIVMSG #c :\u{2}b\u{3}4r\u{f}\u{16}\u{1d}\u{1f}x"])
        let own = t.state.frame().chat.flatMap(\.spans).filter { $0.format != .plain }
        #expect(own.map(\.text) == ["b", "r", "x"])
        #expect(own.map(\.format) == [fmt(bold: true), fmt(bold: true, fg: 4), fmt(italic: true, underline: true, reverse: true)])
        // Ctrl-B is bold now, not a step back: Left is.
        t.type("ab")
        t.key(.left)
        t.type("X")
        #expect(t.state.editor.text == "aXb")
    }

    @Test func logsGetTheTextWithoutCodes() {
        var t = channel(logging: true)
        t.recv(":bob!b@h PRIVMSG #c :\u{2}bold\u{2} \u{3}4red")
        let logged = t.state.takeEffects().compactMap { if case .log(_, let l) = $0 { l } else { nil } }
        #expect(logged.last?.hasSuffix("<bob> bold red") == true)
    }
}
