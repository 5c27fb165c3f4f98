import ChatProtocol

/// Splits a command line into words on spaces and tabs; `rest` is what is left, trimmed, for
/// free text (reasons, messages).
struct Words {
    private var remaining: Substring

    init(_ line: String) { remaining = Substring(line) }

    func peek() -> String? {
        var copy = self
        return copy.next()
    }

    mutating func next() -> String? {
        remaining = remaining.trimmingLeading(while: Character.isSpaceOrTab)
        guard !remaining.isEmpty else { return nil }
        let word = remaining.prefix { !Character.isSpaceOrTab($0) }
        remaining = remaining[word.endIndex...]
        return String(word)
    }

    var rest: String {
        String(remaining.trimming(while: Character.isSpaceOrTab))
    }
}
