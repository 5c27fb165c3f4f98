import ChatProtocol

/// The model laid out as a `ScreenFrame`: prompt, title, chat, nick list, status bar and input.
extension ClientState {
    /// The prompt before the input line.
    var prompt: String {
        switch paste {
        case .confirm(let lines): return "Send \(lines.count) pasted lines? (y/n) "
        case .collecting: return "[pasting…] "
        case .none:
            if quitConfirm { return "Quit chat-tui? (y/n) " }
            if let s = search { return (s.failed ? "(no match) " : "(search) ") + s.query }
            if let p = visibleServerPrompt { return Layout.truncate(String(p[...].trimmingTrailing(while: { $0 == " " })), width: 40) + " " }
            return "[\(Layout.truncate(Self.shown(activeWindow.name), width: 20))] "
        }
    }

    /// Names as the server spelled them (channels, nicks, status symbols, the network) are kept
    /// as they are, to address the server with; on the screen they are sanitised like every
    /// other text from the network, so that the frame's widths are those the terminal shows.
    static func shown(_ name: String) -> String { TextSafety.sanitize(name) }

    /// Lays out the whole screen for the current state.
    mutating func frame() -> ScreenFrame {
        anchorScroll()
        let g = geometry
        let w = windows[active]
        let chat = Layout.visibleRows(of: w, width: g.chatWidth, height: g.chatHeight, utcOffset: config.utcOffset)
        var nickRows: [Row] = []
        if g.nickListLeft != nil {
            let members = windows[active].nicks.sorted()
            let shown = members.prefix(g.chatHeight)
            for m in shown {
                let style: Style
                if irc.isOperatorSymbol(m.shownPrefix) {
                    style = .nickListOp
                } else {
                    style = m.shownPrefix == nil ? .nickList : .nickListVoice
                }
                let label = Layout.truncate(Self.shown((m.shownPrefix.map(String.init) ?? " ") + m.nick), width: g.nickListWidth)
                nickRows.append(Row(spans: [Span(label, style)]))
            }
            if members.count > g.chatHeight, g.chatHeight > 0 {
                nickRows[g.chatHeight - 1] = Row(spans: [Span("… \(members.count - g.chatHeight + 1) more", .nickList)])
            }
        }
        let (input, cursor) = inputRow(width: g.cols)
        return ScreenFrame(
            geometry: g,
            title: g.titleRow == nil ? nil : titleRow(width: g.cols),
            chat: chat,
            nickList: nickRows,
            status: g.statusRow == nil ? nil : statusRow(width: g.cols),
            input: input,
            cursorColumn: cursor)
    }

    private func titleRow(width: Int) -> Row {
        let w = activeWindow
        var text: String
        switch w.kind {
        case .server: text = "\(config.version) — \(config.server)" + (irc.network.map { " (\($0))" } ?? "")
        case .channel: text = w.topic.isEmpty ? w.name : "\(w.name): \(w.topic)"
        case .query: text = "Conversation with \(w.name)"
        }
        return Row(spans: [Span(Layout.fit(Self.shown(text), width: width), .title)])
    }

    /// ` nick │ 2:#chan (12) │ connected, lag 0.04 s │ act: 3,4! │ -- more below (5) --`
    private func statusRow(width: Int) -> Row {
        var spans: [Span] = []
        func add(_ text: String, _ style: Style = .statusBar) { spans.append(Span(text, style)) }
        let w = activeWindow
        if let n = config.mode == .irc ? nick : rawNick { add(" " + Self.shown(n) + (isAway ? " (away)" : "") + " │ ") } else { add(" ") }
        add("\(context.numberOffset + active + 1):" + (context.networkName.map { Self.shown($0) + "/" } ?? "") + Self.shown(w.name))
        if w.isChannel && config.mode == .irc { add(" (\(w.nicks.count))") }
        if w.isChannel && !w.joined { add(" (not joined)") }
        add(" │ ")
        switch connection {
        case .idle: add("idle")
        case .connecting: add("connecting…")
        case .registering: add("registering…")
        case .connected:
            add("connected")
            if let lag = shownLag {
                add(lag.waiting ? ", lag \(lag.millis / 1000) s?" : ", lag \(formatLag(lag.millis))")
            }
        case .disconnected(_, let at):
            if let at {
                add("disconnected, retry in \(max(0, (at - now + 999) / 1000)) s", .statusMention)
            } else {
                add("disconnected", .statusMention)
            }
        }
        if !pacer.queue.isEmpty { add(" │ "); add("queued \(pacer.queue.count)", .statusActive) }
        let busy = context.activity
            ?? windows.indices.filter { $0 != active && windows[$0].activity > .none }.map { ($0 + 1, windows[$0].activity) }
        if !busy.isEmpty {
            add(" │ act: ")
            for (k, (number, a)) in busy.enumerated() {
                if k > 0 { add(",") }
                let style: Style = a == .mention ? .statusMention : (a == .messages ? .statusActive : .statusBar)
                add("\(number)" + (a == .mention ? "!" : ""), style)
            }
        }
        if w.scroll != nil {
            add(" │ ")
            add("-- more below (\(w.linesBelow)) --", .statusMore)
        }
        // Fit to the width: cut spans that run past it, pad the rest.
        var out: [Span] = []
        var used = 0
        for s in spans {
            let sw = DisplayWidth.of(s.text)
            if used + sw <= width {
                out.append(s)
                used += sw
            } else {
                let t = Layout.truncate(s.text, width: width - used)
                if !t.isEmpty { out.append(Span(t, s.style)); used += DisplayWidth.of(t) }
                break
            }
        }
        if used < width { out.append(Span(String(repeating: " ", count: width - used), .statusBar)) }
        return Row(spans: out)
    }

    private func formatLag(_ ms: Int64) -> String {
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// The letter a formatting code in the input line shows as (its Ctrl key), nil for text.
    static func codeLetter(_ ch: Character) -> Character? {
        guard let v = ch.unicodeScalars.first?.value, v < 0x20, ch.unicodeScalars.count == 1 else { return nil }
        return Character(Unicode.Scalar(UInt8(v + 0x40)))
    }

    /// Columns a character of the input line takes (a formatting code: one, its letter).
    static func inputWidth(_ ch: Character) -> Int { codeLetter(ch) == nil ? DisplayWidth.of(ch) : 1 }

    /// The input line cut to the screen around the cursor, and the cursor's column.
    func inputRow(width: Int) -> (Row, Int) {
        let p = Layout.truncate(prompt, width: max(0, width - 1))
        let pw = DisplayWidth.of(p)
        let avail = max(1, width - pw)
        if case .confirm = paste { return (Row(spans: [Span(p, .prompt)]), min(width - 1, pw)) }
        if quitConfirm || search != nil { return (Row(spans: [Span(p, .prompt)]), min(width - 1, pw)) }
        var spans = [Span(p, .prompt)]
        func put(_ text: String, _ style: Style) {
            if let last = spans.last, last.style == style, spans.count > 1 { spans[spans.count - 1].text += text } else { spans.append(Span(text, style)) }
        }
        let column = editor.forEachVisible(width: avail, widthOf: Self.inputWidth) { ch, spaces in
            guard let ch else { return put(String(repeating: " ", count: spaces), .normal) }  // half a wide character
            // A formatting code shows as its key's letter in reverse (Ctrl-B: B), as in irssi.
            if let code = Self.codeLetter(ch) { put(String(code), .inputCode) } else { put(String(ch), .normal) }
        }
        if spans.count == 1 { spans.append(Span("", .normal)) }
        return (Row(spans: spans), min(max(0, width - 1), pw + column))
    }
}
