import ChatProtocol

/// Everything the screen shows, as rows of styled text: the model lays it out, the view only
/// copies it to the terminal. Tests render it to plain text.
struct ScreenFrame: Equatable, Sendable {
    var geometry: ScreenGeometry
    var title: Row?
    var chat: [Row]
    var nickList: [Row]
    /// The window list at the left, when the geometry has room for it (`ClientNetworks`).
    var buflist: [Row] = []
    var status: Row?
    var input: Row
    var cursorColumn: Int

    /// The screen as plain text lines, each exactly `cols` columns wide (a wide character
    /// fills two columns, as on a terminal).
    func lines() -> [String] {
        let g = geometry
        var out = Array(repeating: String(repeating: " ", count: g.cols), count: g.rows)
        func put(_ row: Row, at y: Int, x: Int, width: Int) {
            guard y >= 0, y < g.rows else { return }
            out[y] = overlay(out[y], with: Layout.fit(row.text, width: width), at: x)
        }
        if let t = g.titleRow, let title { put(title, at: t, x: 0, width: g.cols) }
        if g.buflistWidth > 0 {
            for y in g.chatTop..<(g.chatTop + g.chatHeight) {
                put(Row(spans: [Span("│", .normal)]), at: y, x: g.buflistWidth, width: 1)
            }
            for (i, r) in buflist.enumerated() { put(r, at: g.chatTop + i, x: 0, width: g.buflistWidth) }
        }
        for (i, r) in chat.enumerated() { put(r, at: g.chatTop + i, x: g.chatLeft, width: g.chatWidth) }
        if let left = g.nickListLeft {
            for y in g.chatTop..<(g.chatTop + g.chatHeight) {
                put(Row(spans: [Span("│", .normal)]), at: y, x: left - 1, width: 1)
            }
            for (i, r) in nickList.enumerated() { put(r, at: g.chatTop + i, x: left, width: g.nickListWidth) }
        }
        if let s = g.statusRow, let status { put(status, at: s, x: 0, width: g.cols) }
        put(input, at: g.inputRow, x: 0, width: g.cols)
        return out
    }

    /// Replaces the columns of `line` from `x` on with `text` (both measured in columns).
    private func overlay(_ line: String, with text: String, at x: Int) -> String {
        var cells: [String] = []
        for ch in line {
            cells.append(String(ch))
            for _ in 1..<max(1, DisplayWidth.of(ch)) { cells.append("") }
        }
        var col = x
        for ch in text where col < cells.count {
            let w = DisplayWidth.of(ch)
            cells[col] = String(ch)
            for k in 1..<max(1, w) where col + k < cells.count { cells[col + k] = "" }
            col += max(1, w)
        }
        return cells.joined()
    }
}
