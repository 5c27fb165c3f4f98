/// How a message line looks on a character-mode telnet user's terminal: with colour (a
/// terminal type that has it, and `/colour on`), the time dim, the nick in its colour (as
/// chat-tui colours it, `NickColor`) and a line that mentions the user bold; without colour a
/// mention is marked with `>> ` in front.
///
/// The line is cleaned again before any escape is added: the hub's sanitiser already removed
/// controls and escapes from what users send, but what reaches a terminal here must not
/// depend on that.
public enum HumanStyle {
    static let dim = "\u{1B}[2m"
    static let bold = "\u{1B}[1m"
    static let reset = "\u{1B}[0m"
    /// In front of a line that mentions the user, without colour.
    public static let mentionMark = ">> "

    /// `line` as rendered (`[12:34] <bob> hi`, `[12:34] * bob waves`, `-> *bob* hi`), styled.
    public static func message(_ line: String, from nick: Substring, mentions: Bool, colour: Bool) -> String {
        let safe = TextSafety.sanitize(line)
        guard colour else { return mentions ? mentionMark + safe : safe }
        var rest = safe[...]
        var out = ""
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            let stampEnd = rest.index(after: close)
            out += dim + rest[..<stampEnd] + reset
            rest = rest[stampEnd...]
        }
        let cleanNick = TextSafety.sanitize(String(nick))
        if !cleanNick.isEmpty, let at = rest.firstRange(of: cleanNick) {
            out += rest[..<at.lowerBound] + NickColor.ansi(NickColor.index(for: cleanNick)) + cleanNick + reset
            rest = rest[at.upperBound...]
        }
        out += mentions ? bold + rest + reset : String(rest)
        return out
    }

    /// Whether `text` names `nick` as a word (ASCII case ignored): `alice: hi`, `hi Alice!`,
    /// not `malice`.
    public static func mentions(_ text: String, nick: String) -> Bool {
        let n = Array(nick.utf8.map(lower))
        guard !n.isEmpty else { return false }
        let t = Array(text.utf8)
        guard t.count >= n.count else { return false }
        func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b >= 0x80
        }
        var i = 0
        while i + n.count <= t.count {
            var j = 0
            while j < n.count && lower(t[i + j]) == n[j] { j += 1 }
            if j == n.count && (i == 0 || !isWordByte(t[i - 1])) && (i + n.count == t.count || !isWordByte(t[i + n.count])) {
                return true
            }
            i += 1
        }
        return false
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
}
