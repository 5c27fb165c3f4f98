/// Stable colours for nicks: the same nick gets the same colour in every session.
enum NickColor {
    static let paletteSize = 12

    /// FNV-1a over the lower-cased nick, so "Alice" and "alice" match.
    static func index(for nick: String) -> Int {
        var h: UInt32 = 2166136261
        for b in nick.lowercased().utf8 {
            h ^= UInt32(b)
            h = h &* 16777619
        }
        return Int(h % UInt32(paletteSize))
    }
}
