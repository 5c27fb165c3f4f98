import ChatProtocol

/// Turning lines into screen rows: formatting, wrapping with a hanging indent, and walking
/// the scrollback from a scroll position. Pure functions of the line and the width.
enum Layout {
    /// The prefix (time, nick) and body of a line, styled.
    static func format(_ line: Line, utcOffset: Int, timestamps: Bool = true) -> (prefix: [Span], body: [Span]) {
        var prefix: [Span] = []
        if timestamps { prefix.append(Span(TimeFormat.hoursMinutes(line.time, utcOffset: utcOffset) + " ", .timestamp)) }
        let nickStyle: Style = line.own ? .ownNick : .nick(NickColor.index(for: line.nick ?? ""))
        let bodyStyle: Style
        switch line.kind {
        case .message:
            prefix.append(Span("<", .normal))
            prefix.append(Span(line.nick ?? "?", nickStyle))
            prefix.append(Span("> ", .normal))
            bodyStyle = line.highlight ? .highlight : .normal
        case .action:
            prefix.append(Span("* ", .action))
            prefix.append(Span((line.nick ?? "?") + " ", nickStyle))
            bodyStyle = line.highlight ? .highlight : .action
        case .notice:
            prefix.append(Span("-", .notice))
            prefix.append(Span(line.nick ?? "?", nickStyle))
            prefix.append(Span("- ", .notice))
            bodyStyle = line.highlight ? .highlight : .notice
        case .event:
            prefix.append(Span("-- ", .event))
            bodyStyle = .event
        case .info:
            prefix.append(Span("-!- ", .info))
            bodyStyle = .info
        case .error:
            prefix.append(Span("!!! ", .error))
            bodyStyle = .error
        case .plain:
            bodyStyle = line.own ? .ownNick : .normal
        }
        return (prefix, line.formatted ? TextFormat.spans(line.text, style: bodyStyle) : [Span(line.text, bodyStyle)])
    }

    /// Rows of one line at `width` columns, continuation rows indented under the text.
    static func rows(for line: Line, width: Int, utcOffset: Int) -> [Row] {
        let (prefix, body) = format(line, utcOffset: utcOffset)
        return wrap(prefix: prefix, body: body, width: width)
    }

    /// Wraps styled text, breaking after spaces where possible and never inside a grapheme
    /// cluster. Continuation rows start at the width of the prefix (a hanging indent), or
    /// two columns when the prefix is wider than half the row.
    static func wrap(prefix: [Span], body: [Span], width: Int) -> [Row] {
        guard width > 0 else { return [Row(spans: [])] }
        let prefixWidth = prefix.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let indent = prefixWidth <= width / 2 ? prefixWidth : min(2, width - 1)

        struct Cell { var ch: Character; var style: Style; var width: Int; var breakable: Bool; var format = TextFormat.plain }
        var rows: [Row] = []
        var cells: [Cell] = []
        var col = 0
        var rowStart = 0          // cells before this are the indent
        var lastSpace: Int?       // index in cells of a space we may break at

        func emit(_ cs: ArraySlice<Cell>) {
            var spans: [Span] = []
            for c in cs {
                if let last = spans.last, last.style == c.style, last.format == c.format {
                    spans[spans.count - 1].text.append(c.ch)
                } else {
                    spans.append(Span(String(c.ch), c.style, c.format))
                }
            }
            rows.append(Row(spans: spans))
        }

        func startRow(with carry: [Cell]) {
            cells = indent > 0 ? [Cell(ch: " ", style: .normal, width: 0, breakable: false)] : []
            // The indent is one cell of `indent` spaces.
            if indent > 0 { cells[0] = Cell(ch: " ", style: .normal, width: indent, breakable: false) }
            rowStart = cells.count
            col = indent
            lastSpace = nil
            for c in carry { add(c) }
        }

        func add(_ c: Cell) {
            if c.width > 0 && col + c.width > width && cells.count > rowStart {
                var carry: [Cell] = []
                var keep = cells.count
                if !c.breakable, let sp = lastSpace, sp >= rowStart {
                    carry = Array(cells[(sp + 1)...])
                    keep = sp
                }
                flush(upTo: keep)
                startRow(with: carry)
                if c.breakable { return }   // a space at a row break is dropped
                add(c)                      // the carried word may leave no room for it
                return
            }
            if c.breakable { lastSpace = cells.count }
            cells.append(c)
            col += c.width
        }

        func flush(upTo keep: Int) {
            var out = ArraySlice(cells[..<keep])
            while let l = out.last, l.breakable { out = out.dropLast() }
            // The indent cell expands to its spaces.
            var expanded: [Cell] = []
            for c in out {
                if c.ch == " " && !c.breakable && c.width > 1 {
                    for _ in 0..<c.width { expanded.append(Cell(ch: " ", style: .normal, width: 1, breakable: false)) }
                } else {
                    expanded.append(c)
                }
            }
            emit(expanded[...])
        }

        cells = []
        rowStart = 0
        col = 0
        var inBody = false
        for part in [prefix, body] {
            for span in part {
                for ch in span.text {
                    let w = DisplayWidth.of(ch)
                    // A cluster wider than the row could never fit: show a replacement.
                    let (c, cw) = w > width ? (Character("\u{FFFD}"), 1) : (ch, w)
                    add(Cell(ch: c, style: span.style, width: cw, breakable: inBody && ch == " ", format: span.format))
                }
            }
            inBody = true
        }
        flush(upTo: cells.count)
        return rows
    }

    /// The marker row drawn above the first unread line.
    static func markerRow(width: Int) -> Row {
        let label = " new "
        let w = max(0, width)
        let left = 3
        // Below left + label there is no room for the label: dashes only.
        if w < left + DisplayWidth.of(label) { return Row(spans: [Span(String(repeating: "-", count: w), .marker)]) }
        let right = w - left - DisplayWidth.of(label)
        return Row(spans: [Span(String(repeating: "─", count: left) + label + String(repeating: "─", count: right), .marker)])
    }

    /// Rows of line `seq` in `window`, the marker row included when it sits above that line.
    static func rows(of window: Window, seq: Int, width: Int, utcOffset: Int) -> [Row] {
        guard let line = window.scrollback[seq: seq] else { return [] }
        var r = rows(for: line, width: width, utcOffset: utcOffset)
        if window.showsMarker && window.markerSeq == seq { r.insert(markerRow(width: width), at: 0) }
        return r
    }

    /// The rows to show in a chat area of `height` rows, top to bottom, ending at the
    /// window's scroll position (or at the newest line when following).
    static func visibleRows(of window: Window, width: Int, height: Int, utcOffset: Int) -> [Row] {
        guard height > 0, width > 0, let last = window.scrollback.lastSeq else { return [] }
        var seq = last
        var skip = 0
        if let s = window.scroll {
            seq = max(window.scrollback.firstSeq, min(s.seq, last))
            skip = s.rowsBelow
        }
        var out: [Row] = []   // bottom-up
        while out.count < height && seq >= window.scrollback.firstSeq {
            var r = rows(of: window, seq: seq, width: width, utcOffset: utcOffset)
            if skip > 0 {
                r.removeLast(min(skip, max(0, r.count - 1)))
                skip = 0
            }
            for row in r.reversed() where out.count < height { out.append(row) }
            seq -= 1
        }
        return out.reversed()
    }

    /// Moves a scroll position `delta` rows (positive: up, into the past). Returns nil when
    /// the position reaches the newest row again (follow the end).
    static func scrolled(_ window: Window, by delta: Int, width: Int, height: Int, utcOffset: Int) -> ScrollPosition? {
        guard let last = window.scrollback.lastSeq, width > 0 else { return nil }
        var pos = window.scroll ?? ScrollPosition(seq: last, rowsBelow: 0)
        pos.seq = max(window.scrollback.firstSeq, min(pos.seq, last))
        func count(_ seq: Int) -> Int { max(1, rows(of: window, seq: seq, width: width, utcOffset: utcOffset).count) }
        pos.rowsBelow = min(pos.rowsBelow, count(pos.seq) - 1)
        if delta > 0 {
            // Up: never so far that the top row would be above the oldest line.
            let rowsAboveLimit = rowsAbove(window, pos, width: width, utcOffset: utcOffset, limit: delta + height)
            let room = max(0, rowsAboveLimit - (height - 1))
            var n = min(delta, room)
            while n > 0 {
                let c = count(pos.seq)
                if pos.rowsBelow + n < c {
                    pos.rowsBelow += n
                    n = 0
                } else {
                    n -= c - pos.rowsBelow
                    pos.seq -= 1
                    pos.rowsBelow = 0
                    if pos.seq < window.scrollback.firstSeq { pos.seq = window.scrollback.firstSeq; break }
                }
            }
        } else {
            var n = -delta
            while n > 0 {
                if pos.rowsBelow >= n {
                    pos.rowsBelow -= n
                    n = 0
                } else {
                    n -= pos.rowsBelow + 1
                    pos.seq += 1
                    if pos.seq > last { return nil }
                    pos.rowsBelow = count(pos.seq) - 1
                }
            }
        }
        if pos.seq == last && pos.rowsBelow == 0 { return nil }
        return pos
    }

    /// The window's scroll position, moved down where needed so that the chat area stays
    /// full: when a full scrollback drops the lines at the top of the view (or a resize makes
    /// lines take fewer rows), the view keeps starting at the oldest row there is instead of
    /// showing blank rows above it. nil when that brings it back to the end.
    static func anchored(_ window: Window, width: Int, height: Int, utcOffset: Int) -> ScrollPosition? {
        guard var pos = window.scroll, let last = window.scrollback.lastSeq, width > 0, height > 0 else { return window.scroll }
        // Every line is at least one row: this many lines above always fill the view.
        if pos.seq - window.scrollback.firstSeq >= height - 1 { return pos }
        if pos.seq < window.scrollback.firstSeq {
            // Its line is gone: start from the top row of the oldest one.
            pos.seq = window.scrollback.firstSeq
            pos.rowsBelow = rows(of: window, seq: pos.seq, width: width, utcOffset: utcOffset).count - 1
        }
        pos.seq = min(pos.seq, last)
        let above = rowsAbove(window, pos, width: width, utcOffset: utcOffset, limit: height)
        guard above < height - 1 else { return pos }
        var moved = window
        moved.scroll = pos
        return scrolled(moved, by: -(height - 1 - above), width: width, height: height, utcOffset: utcOffset)
    }

    /// Rows above the bottom row of `pos` (up to `limit`, counting stops there).
    private static func rowsAbove(_ window: Window, _ pos: ScrollPosition, width: Int, utcOffset: Int, limit: Int) -> Int {
        var total = max(0, rows(of: window, seq: pos.seq, width: width, utcOffset: utcOffset).count - 1 - pos.rowsBelow)
        var seq = pos.seq - 1
        while total < limit && seq >= window.scrollback.firstSeq {
            total += rows(of: window, seq: seq, width: width, utcOffset: utcOffset).count
            seq -= 1
        }
        return total
    }

    /// Fits `text` into `width` columns, cutting at a cluster and ending with "…" when cut.
    static func truncate(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var w = 0
        for ch in text {
            let cw = DisplayWidth.of(ch)
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }

    /// Pads or cuts `text` to exactly `width` columns.
    static func fit(_ text: String, width: Int) -> String {
        let t = truncate(text, width: width)
        let w = DisplayWidth.of(t)
        return w < width ? t + String(repeating: " ", count: width - w) : t
    }
}
