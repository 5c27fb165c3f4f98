/// mIRC formatting of a run of text: bold, italic, underline, reverse and colours (mIRC
/// numbers 0-98; 99 and none mean the terminal's default). The view maps it onto the
/// attributes and colour pairs the terminal has.
struct TextFormat: Hashable, Sendable {
    var bold = false
    var italic = false
    var underline = false
    var reverse = false
    var foreground: UInt8?
    var background: UInt8?

    static let plain = TextFormat()

    /// The codes, as typed with irssi's keys and sent on the wire.
    static let boldCode: Character = "\u{02}", colorCode: Character = "\u{03}", resetCode: Character = "\u{0F}"
    static let reverseCode: Character = "\u{16}", italicCode: Character = "\u{1D}", underlineCode: Character = "\u{1F}"

    /// Whether `text` may hold formatting codes (any C0 control: the model keeps no others).
    static func mayBeFormatted(_ text: String) -> Bool { text.utf8.contains { $0 < 0x20 } }

    /// `text` cut into spans of one format each, codes removed, all in `style`. Other
    /// controls are dropped (the model has removed them already; this is only a second net).
    static func spans(_ text: String, style: Style) -> [Span] {
        var out: [Span] = []
        var current = TextFormat.plain
        var run = String.UnicodeScalarView()
        func flush() {
            if !run.isEmpty { out.append(Span(String(run), style, current)) }
            run = String.UnicodeScalarView()
        }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func digit(at j: Int, radix: Int) -> Int? {
            guard j < scalars.count, scalars[j].isASCII else { return nil }
            return Int(String(scalars[j]), radix: radix)
        }
        /// Up to `max` digits from `i` on, consumed; nil when there is none.
        func number(_ max: Int, radix: Int) -> Int? {
            var n = 0, v = 0
            while n < max, let d = digit(at: i, radix: radix) {
                v = v * radix + d
                n += 1
                i += 1
            }
            return n == 0 ? nil : v
        }
        while i < scalars.count {
            let s = scalars[i]
            guard s.value < 0x20 else { run.append(s); i += 1; continue }
            i += 1
            var next = current
            switch s.value {
            case 0x02: next.bold.toggle()
            case 0x1D: next.italic.toggle()
            case 0x1F: next.underline.toggle()
            case 0x16: next.reverse.toggle()
            case 0x0F: next = .plain
            case 0x03:
                // ^C alone resets the colours; ^Cfg[,bg] with one or two digits each.
                if let fg = number(2, radix: 10) {
                    next.foreground = fg >= 99 ? nil : UInt8(fg)
                    if i < scalars.count, scalars[i] == ",", digit(at: i + 1, radix: 10) != nil {
                        i += 1
                        if let bg = number(2, radix: 10) { next.background = bg >= 99 ? nil : UInt8(bg) }
                    }
                } else {
                    next.foreground = nil
                    next.background = nil
                }
            case 0x04:
                // Hex colours (^DRRGGBB[,RRGGBB]): read and not shown.
                _ = number(6, radix: 16)
                if i < scalars.count, scalars[i] == ",", digit(at: i + 1, radix: 16) != nil {
                    i += 1
                    _ = number(6, radix: 16)
                }
            default: break   // monospace, strikethrough and any other control: nothing shown
            }
            if next != current {
                flush()
                current = next
            }
        }
        flush()
        return out
    }
}
