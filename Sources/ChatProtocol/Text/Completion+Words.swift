extension Completion {
    /// Starts a completion of the word before the cursor from `words` (those it begins, any
    /// case, in the order given), each followed by a space; nil when none matches.
    public static func begin(editor: InputLine, words: [String]) -> Completion? {
        let (start, word) = editor.wordBeforeCursor()
        let p = word.lowercased()
        let options = words.filter { $0.lowercased().hasPrefix(p) }.map { $0 + " " }
        guard !options.isEmpty else { return nil }
        return Completion(start: start, candidates: options, index: 0, insertedCount: word.count)
    }
}
