// HumanLineEditor: the keystrokes a telnet user's client sends in character mode (after the
// telnet filter), cut four ways, at data-derived window widths, with and without escape
// sequences; between chunks, as the data decides, a line is printed above the input, the
// window is resized or the prompt changes. Tab and Shift-Tab complete from a few names.
//
// Oracles:
// - the events (lines, quit) and the final text, cursor and history do not depend on how the
//   keystrokes were cut, nor on what is printed above or the window size;
// - every line sent is valid UTF-8 within the byte limit, without controls (C0, DEL, C1) or
//   format characters, and each line and the text typed so far stay within the limit;
// - the cursor stays within the text, the history within its limit;
// - without escapes, the screen bytes hold no ESC; with them, only CSI K and CSI n D;
// - whatever is drawn stays valid UTF-8 (text bytes are never split).

struct EditorOutcome: Equatable {
    var events: [HumanLineEditor.Event] = []
    var text = ""
    var cursor = 0
    var history: [String] = []
}

func check(screen: [UInt8], escapes: Bool) {
    require(stdlibValidUTF8(screen), "screen bytes are not UTF-8: \(hex(screen.prefix(80)))")
    var i = 0
    while i < screen.count {
        if screen[i] == 0x1B {
            require(escapes, "an escape sequence without escapes: \(hex(screen.prefix(80)))")
            require(i + 2 < screen.count && screen[i + 1] == UInt8(ascii: "["), "not a CSI: \(hex(screen[i...].prefix(8)))")
            var j = i + 2
            while j < screen.count, (0x30...0x39).contains(screen[j]) { j += 1 }
            require(j < screen.count && (screen[j] == UInt8(ascii: "K") || screen[j] == UInt8(ascii: "D")), "unexpected CSI \(hex(screen[i...].prefix(8)))")
            i = j + 1
            continue
        }
        i += 1
    }
}

func run(_ input: [UInt8], _ sizes: [Int], escapes: Bool, maxBytes: Int, _ rng: inout SplitMix, disturb: Bool) -> EditorOutcome {
    var editor = HumanLineEditor(prompt: "[#c] ", columns: 1 + rng.below(120), usesEscapes: escapes, maxBytes: maxBytes)
    editor.nicks = ["bob", "bobby", "ünï"]
    editor.channels = ["#c", "#chat"]
    editor.commands = HumanText.commandNames
    var result = EditorOutcome()
    var screen: [UInt8] = []
    editor.draw(screen: &screen)
    for piece in pieces(input, sizes) {
        editor.feed(Array(piece), screen: &screen, events: &result.events)
        if disturb {
            switch rng.below(6) {
            case 0: editor.printAbove(Array("[00:00] <bob> ünïcödé 世界\r\n".utf8), screen: &screen)
            case 1: editor.resize(columns: rng.below(300), screen: &screen)
            case 2: editor.setPrompt(rng.below(2) == 0 ? "" : "[#a-long-channel-name-here] ", screen: &screen)
            default: break
            }
        }
        require(editor.input.cursor >= 0 && editor.input.cursor <= editor.input.chars.count, "cursor outside the text")
        require(editor.text.utf8.count <= maxBytes, "text over the limit: \(editor.text.utf8.count) > \(maxBytes)")
    }
    check(screen: screen, escapes: escapes)
    for e in result.events {
        guard case .line(let l) = e else { continue }
        require(l.count <= maxBytes, "line over the limit")
        require(stdlibValidUTF8(l), "line not UTF-8: \(hex(l))")
        for s in String(decoding: l, as: UTF8.self).unicodeScalars {
            require(s.value >= 0x20 && s.value != 0x7F && !(0x80..<0xA0).contains(s.value) && !TextSafety.cannotBeShown(s),
                    "a control or format character in a line: U+\(String(s.value, radix: 16))")
        }
    }
    require(editor.history.entries.count <= HumanLineEditor.historyLimit, "history over its limit")
    result.text = editor.text
    result.cursor = editor.input.cursor
    result.history = editor.history.entries
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    let maxBytes = [8, 64, 510][rng.below(3)]
    for escapes in [true, false] {
        let whole = run(input, [input.count], escapes: escapes, maxBytes: maxBytes, &rng, disturb: false)
        for sizes in chunkings(count: input.count, &rng) {
            let other = run(input, sizes, escapes: escapes, maxBytes: maxBytes, &rng, disturb: true)
            require(other == whole, "cut \(sizes.prefix(40)) changed the outcome: \(other.events) vs \(whole.events), text \(other.text) vs \(whole.text)")
        }
    }
    return 0
}
