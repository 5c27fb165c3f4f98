extension InputLine {
    /// Moves `scrollColumn` so the cursor stays within `width` columns of text, jumping by a
    /// third of the width so the view does not shift at every key.
    public mutating func keepCursorVisible(width: Int) {
        let avail = max(1, width)
        let cursorCol = chars[..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        var s = scrollColumn
        if cursorCol < s {
            s = max(0, cursorCol - avail / 3)
        } else if cursorCol >= s + avail {
            s = cursorCol - avail + 1 + avail / 3
        }
        let total = chars.reduce(0) { $0 + DisplayWidth.of($1) }
        // Do not leave blank space on the right when the text got shorter.
        s = max(0, min(s, total + 1 - avail))
        s = min(s, cursorCol)
        scrollColumn = s
    }

    /// The text shown in `width` columns from `scrollColumn` (half of a wide character cut at
    /// the left edge becomes a space), and the cursor's column within it.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        let avail = max(1, width)
        var shown = ""
        var col = 0  // column within the whole text
        var cursorCol = 0
        let start = scrollColumn
        for (i, ch) in chars.enumerated() {
            let cw = DisplayWidth.of(ch)
            if i == cursor { cursorCol = max(0, col - start) }
            if col >= start && col + cw <= start + avail {
                shown.append(ch)
            } else if col < start && col + cw > start {
                shown += String(repeating: " ", count: col + cw - start)
            }
            col += cw
        }
        if cursor == chars.count { cursorCol = max(0, col - start) }
        return (shown, cursorCol)
    }
}
