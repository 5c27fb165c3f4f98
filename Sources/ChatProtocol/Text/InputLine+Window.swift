extension InputLine {
    /// Moves `scrollColumn` so the cursor stays within `width` columns of text, jumping by a
    /// third of the width so the view does not shift at every key. `widthOf`: the columns a
    /// character takes on this screen (chat-tui shows a formatting code as one letter).
    public mutating func keepCursorVisible(width: Int, widthOf: (Character) -> Int = DisplayWidth.of) {
        let avail = max(1, width)
        let cursorCol = chars[..<cursor].reduce(0) { $0 + widthOf($1) }
        var s = scrollColumn
        if cursorCol < s {
            s = max(0, cursorCol - avail / 3)
        } else if cursorCol >= s + avail {
            s = cursorCol - avail + 1 + avail / 3
        }
        let total = chars.reduce(0) { $0 + widthOf($1) }
        // Do not leave blank space on the right when the text got shorter.
        s = max(0, min(s, total + 1 - avail))
        s = min(s, cursorCol)
        scrollColumn = s
    }

    /// The text shown in `width` columns from `scrollColumn` (half of a wide character cut at
    /// the left edge becomes a space), and the cursor's column within it.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        var shown = ""
        let cursorCol = forEachVisible(width: width) { ch, spaces in
            if let ch { shown.append(ch) } else { shown += String(repeating: " ", count: spaces) }
        }
        return (shown, cursorCol)
    }

    /// Calls `body` for what shows in `width` columns from `scrollColumn`, left to right: each
    /// character that fits whole, or nil and a count of spaces for the part of a wide
    /// character cut at the left edge. Returns the cursor's column within the window.
    @discardableResult
    public func forEachVisible(width: Int, widthOf: (Character) -> Int = DisplayWidth.of,
                               _ body: (_ character: Character?, _ spaces: Int) -> Void) -> Int {
        let avail = max(1, width)
        var col = 0  // column within the whole text
        var cursorCol = 0
        let start = scrollColumn
        for (i, ch) in chars.enumerated() {
            let cw = widthOf(ch)
            if i == cursor { cursorCol = max(0, col - start) }
            if col >= start && col + cw <= start + avail {
                body(ch, 0)
            } else if col < start && col + cw > start {
                body(nil, col + cw - start)
            }
            col += cw
        }
        if cursor == chars.count { cursorCol = max(0, col - start) }
        return cursorCol
    }
}
