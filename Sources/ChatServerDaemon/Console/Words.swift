/// Splits a command line into words on spaces and tabs; `rest` is what is left, trimmed, for
/// free text (reasons, messages).
struct Words {
    private var remaining: Substring

    init(_ line: String) { remaining = Substring(line) }

    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }

    func peek() -> String? {
        var copy = self
        return copy.next()
    }

    mutating func next() -> String? {
        remaining = remaining.drop(while: Self.isSpace)
        guard !remaining.isEmpty else { return nil }
        let word = remaining.prefix { !Self.isSpace($0) }
        remaining = remaining[word.endIndex...]
        return String(word)
    }

    var rest: String {
        var r = remaining.drop(while: Self.isSpace)
        while let last = r.last, Self.isSpace(last) { r = r.dropLast() }
        return String(r)
    }
}
