/// The input line as a plain value: text, cursor and the kill buffer, edited with the
/// emacs-style operations irssi users expect. Positions count grapheme clusters, so the
/// cursor never lands inside an emoji sequence or a combining mark.
public struct InputLine: Equatable, Sendable {
    public private(set) var chars: [Character] = []
    public private(set) var cursor = 0
    /// Text removed by the last kill (Ctrl-K/U/W, Alt-D), put back by Ctrl-Y.
    public private(set) var killBuffer: [Character] = []
    /// First visible column of the line when it is wider than the screen; kept here so the
    /// view does not jump while the cursor moves inside it.
    public var scrollColumn = 0

    public enum Op: Equatable, Sendable {
        case left, right, home, end
        case wordLeft, wordRight
        case deleteBackward, deleteForward
        case killToEnd, killToStart, killLine, killWordBackward, killWordForward
        case yank
        case transpose
    }

    public init(_ text: String = "") {
        chars = Array(text)
        cursor = chars.count
    }

    public var text: String { String(chars) }
    public var isEmpty: Bool { chars.isEmpty }

    public mutating func insert(_ text: String) {
        let new = Array(text)
        guard !new.isEmpty else { return }
        let start = cursor
        chars.insert(contentsOf: new, at: cursor)
        cursor += new.count
        // Keys arrive one scalar at a time: a combining mark, ZWJ or the second half of an
        // emoji sequence must join the cluster next to it, as the string would.
        let lo = max(0, start - 1), hi = min(chars.count, cursor + 1)
        let regrouped = Array(String(chars[lo..<hi]))
        if regrouped.count != hi - lo {
            let cursorInside = Array(String(chars[lo..<cursor])).count
            chars.replaceSubrange(lo..<hi, with: regrouped)
            cursor = lo + cursorInside
        }
    }

    public mutating func setText(_ text: String) {
        chars = Array(text)
        cursor = chars.count
        scrollColumn = 0
    }

    public mutating func clear() { setText("") }

    public mutating func apply(_ op: Op) {
        switch op {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(chars.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = chars.count
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .deleteBackward:
            if cursor > 0 { chars.remove(at: cursor - 1); cursor -= 1 }
        case .deleteForward:
            if cursor < chars.count { chars.remove(at: cursor) }
        case .killToEnd: kill(cursor..<chars.count)
        case .killToStart: kill(0..<cursor)
        case .killLine: kill(0..<chars.count)
        case .killWordBackward: kill(chars.startOfSpaceSeparatedWord(before: cursor)..<cursor)
        case .killWordForward: kill(cursor..<wordEnd(after: cursor))
        case .yank:
            chars.insert(contentsOf: killBuffer, at: cursor)
            cursor += killBuffer.count
        case .transpose:
            // Swap the two characters before the cursor (at the end) or around it.
            guard chars.count >= 2, cursor > 0 else { return }
            let i = cursor == chars.count ? cursor - 1 : cursor
            chars.swapAt(i - 1, i)
            cursor = i + 1
        }
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killBuffer = Array(chars[range])
        chars.removeSubrange(range)
        cursor = range.lowerBound
    }

    private func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Alt-B: back to the start of the previous word.
    private func wordStart(before i: Int) -> Int {
        var j = i
        while j > 0 && !isWordChar(chars[j - 1]) { j -= 1 }
        while j > 0 && isWordChar(chars[j - 1]) { j -= 1 }
        return j
    }

    /// Alt-F: forward to the end of the next word.
    private func wordEnd(after i: Int) -> Int {
        var j = i
        while j < chars.count && !isWordChar(chars[j]) { j += 1 }
        while j < chars.count && isWordChar(chars[j]) { j += 1 }
        return j
    }

    /// Replaces `range` (character positions) with `text`, leaving the cursor after it.
    public mutating func replace(_ range: Range<Int>, with text: String) {
        let new = Array(text)
        chars.replaceSubrange(range, with: new)
        cursor = range.lowerBound + new.count
    }

    /// The word the cursor ends: its start position and text (for completion).
    public func wordBeforeCursor() -> (start: Int, word: String) {
        var j = cursor
        while j > 0 && chars[j - 1] != " " { j -= 1 }
        return (j, String(chars[j..<cursor]))
    }
}
