/// Keys by the names the file and `/bind` use: `ctrl-b`, `alt-1`, `alt-N` (Alt-Shift-N),
/// `f7`, `pageup`, `ctrl-home`, `shift-tab`…
enum KeyName {
    static let plain: [(String, Key)] = [
        ("enter", .enter), ("tab", .tab), ("shift-tab", .backTab), ("backspace", .backspace), ("delete", .delete),
        ("escape", .escape), ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("home", .home), ("end", .end), ("pageup", .pageUp), ("pagedown", .pageDown),
        ("ctrl-left", .ctrlLeft), ("ctrl-right", .ctrlRight), ("ctrl-home", .ctrlHome), ("ctrl-end", .ctrlEnd),
        ("alt-backspace", .altBackspace), ("wheel-up", .wheelUp), ("wheel-down", .wheelDown),
    ]

    /// The key called `name`; nil for a name no key has (or a key that cannot be bound:
    /// text, the paste markers).
    static func key(_ name: String) -> Key? {
        if let k = plain.first(where: { $0.0 == name })?.1 { return k }
        let chars = Array(name)
        if name.hasPrefix("ctrl-"), chars.count == 6 {
            let c = chars[5]
            // Ctrl-I, Ctrl-M and Ctrl-[ reach us as Tab, Enter and Esc.
            if c.isASCII && c.isLowercase && c.isLetter && c != "i" && c != "m" || c == "]" || c == "_" { return .ctrl(c) }
            return nil
        }
        if name.hasPrefix("alt-"), chars.count == 5 {
            let c = chars[4]
            if c.isASCII && (c.isLetter || c.isNumber || c.isPunctuation || c.isSymbol) && c != "." { return .alt(c) }
            return nil
        }
        if name.hasPrefix("f"), let n = Int(name.dropFirst()), (1...12).contains(n), name.count <= 3 { return .function(n) }
        return nil
    }

    /// The name of `key` (nil for keys that have none: text, paste markers, unknown).
    static func name(_ key: Key) -> String? {
        if let n = plain.first(where: { $0.1 == key })?.0 { return n }
        switch key {
        case .ctrl(let c): return "ctrl-\(c)"
        case .alt(let c): return "alt-\(c)"
        case .function(let n): return "f\(n)"
        default: return nil
        }
    }
}
