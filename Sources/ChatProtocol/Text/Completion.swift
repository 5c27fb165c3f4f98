/// Tab completion of nicks, channels and /commands, cycling through the matches on repeated
/// Tab (Shift-Tab goes back). Any other key ends a completion.
public struct Completion: Equatable, Sendable {
    /// Where the completed word starts in the input (a character position).
    public let start: Int
    public let candidates: [String]
    public private(set) var index: Int
    /// Characters the current candidate put into the line.
    public private(set) var insertedCount: Int

    /// What the line should read from `start`: the candidate and its suffix.
    public var replacement: String { candidates[index] }

    /// Starts a completion for the word before the cursor, or nil when nothing matches.
    /// - nicks: recent speakers first, then the rest of the channel.
    public static func begin(editor: InputLine, commands: [String], nicks: [String], channels: [String]) -> Completion? {
        let (start, word) = editor.wordBeforeCursor()
        let options = candidates(for: word, atLineStart: start == 0, commands: commands, nicks: nicks, channels: channels)
        guard !options.isEmpty else { return nil }
        return Completion(start: start, candidates: options, index: 0, insertedCount: word.count)
    }

    /// The full texts to put in place of `word`, best first.
    public static func candidates(for word: String, atLineStart: Bool, commands: [String], nicks: [String], channels: [String]) -> [String] {
        if word.hasPrefix("/") && atLineStart {
            let p = word.dropFirst().lowercased()
            return commands.filter { $0.hasPrefix(p) }.map { "/" + $0 + " " }
        }
        if word.hasPrefix("#") || word.hasPrefix("&") {
            let p = word.lowercased()
            return unique(channels.filter { $0.lowercased().hasPrefix(p) }).map { $0 + " " }
        }
        guard !word.isEmpty else { return [] }
        let p = word.lowercased()
        let suffix = atLineStart ? ": " : " "
        return unique(nicks.filter { $0.lowercased().hasPrefix(p) }).map { $0 + suffix }
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0.lowercased()).inserted }
    }

    /// Puts the current candidate into `editor`, replacing what the last one inserted.
    public mutating func apply(to editor: inout InputLine) {
        editor.replace(start..<(start + insertedCount), with: replacement)
        insertedCount = replacement.count
    }

    public mutating func next() { index = (index + 1) % candidates.count }
    public mutating func previous() { index = (index + candidates.count - 1) % candidates.count }
}
