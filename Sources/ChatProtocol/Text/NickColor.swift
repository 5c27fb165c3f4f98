/// Stable colours for nicks: the same nick gets the same colour in every session, in chat-tui
/// and for telnet users alike.
public enum NickColor {
    public static let paletteSize = 12

    /// FNV-1a over the lower-cased nick, so "Alice" and "alice" match.
    public static func index(for nick: String) -> Int {
        var h: UInt32 = 2166136261
        for b in nick.lowercased().utf8 {
            h ^= UInt32(b)
            h = h &* 16777619
        }
        return Int(h % UInt32(paletteSize))
    }

    /// The ANSI SGR sequence of palette entry `index`, the colours chat-tui gives the same
    /// entry: red, green, yellow, blue, magenta, cyan, then their bright forms in bold.
    public static func ansi(_ index: Int) -> String {
        let i = index % paletteSize
        return i < 6 ? "\u{1B}[\(31 + i)m" : "\u{1B}[1;\(91 + i - 6)m"
    }
}
