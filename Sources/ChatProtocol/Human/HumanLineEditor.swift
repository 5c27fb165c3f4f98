/// A telnet user's input line, edited on the server: fed the client's bytes (after the telnet
/// filter) and its window width, it keeps the line, the cursor and the history, and writes
/// what the terminal must show. Pure: no sockets, no clock.
///
/// The screen is the last row of the terminal: prompt and input, scrolled sideways to keep
/// the cursor in view when the input is wider than the window (the last column is never
/// used, so no terminal wraps). Text from elsewhere goes above it (`printAbove`): the input
/// row is cleared, the text printed, the row drawn again with the cursor where it was.
/// With `usesEscapes` off (a dumb or unknown terminal) only CR, BS and spaces are sent.
///
/// Keys: text inserts; Backspace (BS or DEL), Delete (`ESC [ 3 ~`, or Ctrl-D on a non-empty
/// line), Left/Right, Home/End (CSI, SS3 and `~` forms, Ctrl-A/E), Ctrl-U/K/W, Ctrl-L
/// redraws, Up/Down (Ctrl-P/N) browse the history, Enter (CR LF, CR NUL, CR or LF) sends,
/// Ctrl-C clears the line, Ctrl-D on an empty line asks to quit and a second one quits.
public struct HumanLineEditor: Sendable {
    /// What the session must act on.
    public enum Event: Equatable, Sendable {
        /// Enter: the line typed, UTF-8, without its line end.
        case line([UInt8])
        /// Ctrl-D twice on an empty line.
        case quit
    }

    /// Lines kept for Up/Down.
    public static let historyLimit = 100
    /// Incomplete escape or UTF-8 sequences longer than this are dropped.
    static let maxPending = 16
    public static let quitQuestion: [UInt8] = Array("Press Ctrl-D again to quit.\r\n".utf8)

    public private(set) var prompt: String
    private var promptWidth: Int
    /// The terminal's width in columns.
    public private(set) var columns: Int
    /// Whether the terminal understands ANSI escape sequences (CSI K, CSI n D).
    public var usesEscapes: Bool
    /// The longest line, in UTF-8 bytes; typing past it rings the bell.
    public let maxBytes: Int
    public private(set) var input = InputLine()
    public private(set) var history = History(limit: HumanLineEditor.historyLimit)
    private var inputBytes = 0
    /// An incomplete escape or UTF-8 sequence, completed by the next bytes.
    private var pending: [UInt8] = []
    /// The last byte was a CR: an LF or NUL right after it is part of the same Enter.
    private var afterCR = false
    /// Ctrl-D on an empty line was pressed once.
    private var quitAsked = false
    /// Columns of the input row as last drawn (prompt included), for clearing it without
    /// escapes; and whether it is on the screen at all.
    private var drawnWidth = 0
    public private(set) var isShown = false
    /// A password is being typed: each character shows as `*`, and the line is not kept in
    /// the history.
    public private(set) var isMasked = false
    /// What Tab completes: nicks of the current channel, channels, command names (without
    /// the `/`). Set by the session from what its conversation knows.
    public var nicks: [String] = []
    public var channels: [String] = []
    public var commands: [String] = []
    /// The completion Tab started; any other key ends it.
    private var completion: Completion?

    public init(prompt: String = "", columns: Int = 80, usesEscapes: Bool = false, maxBytes: Int = 510) {
        self.prompt = prompt
        self.promptWidth = DisplayWidth.of(prompt)
        self.columns = max(1, columns)
        self.usesEscapes = usesEscapes
        self.maxBytes = maxBytes
    }

    /// The text typed so far.
    public var text: String { input.text }

    /// Where the password starts in a line that carries one (a character position), shown as
    /// `*`s and never kept in the history; nil for any other line. `/oper NAME PASSWORD`, `/regain NICK PASSWORD`;
    /// `/register PASSWORD` and `/identify [ACCOUNT] PASSWORD` (all of it: while it is typed,
    /// one word may be either); `/msg NickServ ...`.
    var secretStart: Int? {
        let c = input.chars
        guard c.first == "/" else { return nil }
        var i = 1
        /// The word at `i`, lowercased; `i` moves past it and the spaces after it.
        func word() -> String {
            let start = i
            while i < c.count && c[i] != " " { i += 1 }
            let w = String(c[start..<i]).lowercased()
            while i < c.count && c[i] == " " { i += 1 }
            return w
        }
        switch word() {
        case "oper", "regain": if i < c.count { _ = word() }
        case "register", "identify": break
        case "msg": guard word() == "nickserv" else { return nil }
        default: return nil
        }
        return i < c.count ? i : nil
    }

    /// Columns left for the input after the prompt, keeping the last column free.
    private var room: Int { max(1, columns - promptWidth - 1) }

    // MARK: Input

    /// Applies the client's bytes, appending what the terminal must show to `screen` and what
    /// the session must do to `events`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, screen: inout [UInt8], events: inout [Event]) {
        var i = 0
        let n = bytes.count
        // Complete a sequence left from the last call first.
        while !pending.isEmpty && i < n {
            pending.append(bytes[i])
            i += 1
            if let used = take(pending, at: 0, screen: &screen, events: &events) {
                pending.removeFirst(used)
                if !pending.isEmpty {
                    // The sequence ended before the bytes just added: start over on the rest.
                    let rest = pending
                    pending = []
                    rest.withUnsafeBytes { feed($0, screen: &screen, events: &events) }
                }
            } else if pending.count > Self.maxPending {
                pending = []
            }
        }
        while i < n {
            let b = bytes[i]
            // Fast path: a run of printable ASCII at the end of the line.
            if b >= 0x20 && b < 0x7F {
                afterCR = false
                quitAsked = false
                insert(Unicode.Scalar(b), screen: &screen)
                i += 1
                continue
            }
            if b < 0x80 && b != 0x1B {
                control(b, screen: &screen, events: &events)
                i += 1
                continue
            }
            let used: Int? = bytes.withMemoryRebound(to: UInt8.self) { all in
                take(Array(all[i..<min(n, i + Self.maxPending)]), at: 0, screen: &screen, events: &events)
            }
            if let used {
                i += used
            } else {
                pending = Array(bytes[i...])
                if pending.count > Self.maxPending { pending = [] }
                break
            }
        }
    }

    /// Array convenience.
    public mutating func feed(_ bytes: [UInt8], screen: inout [UInt8], events: inout [Event]) {
        bytes.withUnsafeBytes { feed($0, screen: &screen, events: &events) }
    }

    /// Handles the escape sequence or UTF-8 scalar (or ASCII byte) at `i`: the bytes used, or
    /// nil when it is not complete yet.
    private mutating func take(_ bytes: [UInt8], at i: Int, screen: inout [UInt8], events: inout [Event]) -> Int? {
        let b = bytes[i]
        afterCR = afterCR && (b == 0x0A || b == 0x00)
        if b < 0x80 && b != 0x1B {
            if b >= 0x20 && b < 0x7F { quitAsked = false; insert(Unicode.Scalar(b), screen: &screen) } else { control(b, screen: &screen, events: &events) }
            return 1
        }
        quitAsked = false
        if b == 0x1B {
            guard let (key, used) = TerminalKey.escape(bytes, at: i) else { return nil }
            apply(key, screen: &screen)
            return used
        }
        // UTF-8: the scalar's length from its first byte; a bad sequence drops its first byte.
        let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + need <= bytes.count else {
            // Wait for the rest only while what came so far can still be valid.
            for k in (i + 1)..<bytes.count where bytes[k] & 0xC0 != 0x80 { return 1 }
            return nil
        }
        var it = bytes[i..<(i + need)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&it), s.value >= 0x80 {
            insert(s, screen: &screen)
            return need
        }
        return 1
    }

    private mutating func control(_ b: UInt8, screen: inout [UInt8], events: inout [Event]) {
        let wasAfterCR = afterCR
        afterCR = false
        if b == 0x09 {
            quitAsked = false
            return complete(forward: true, screen: &screen)
        }
        completion = nil
        if b == 0x04 {
            ctrlD(screen: &screen, events: &events)
            return
        }
        quitAsked = false
        switch b {
        case 0x0D:
            afterCR = true
            enter(screen: &screen, events: &events)
        case 0x0A:
            if !wasAfterCR { enter(screen: &screen, events: &events) }
        case 0x00:
            break  // CR NUL is one Enter (RFC 854); any other NUL is nothing
        case 0x03:
            // Ctrl-C: a fresh line, not a quit.
            input.clear()
            inputBytes = 0
            history.stopBrowsing()
            redraw(screen: &screen)
        default:
            if let key = TerminalKey.control(b) { apply(key, screen: &screen) }
        }
    }

    private mutating func ctrlD(screen: inout [UInt8], events: inout [Event]) {
        guard input.isEmpty else {
            quitAsked = false
            apply(.delete, screen: &screen)
            return
        }
        if quitAsked {
            events.append(.quit)
        } else {
            quitAsked = true
            printAbove(Self.quitQuestion, screen: &screen)
        }
    }

    private mutating func enter(screen: inout [UInt8], events: inout [Event]) {
        let line = input.text
        if isMasked || secretStart != nil { history.stopBrowsing() } else { history.add(line) }
        input.clear()
        inputBytes = 0
        events.append(.line(Array(line.utf8)))
        redraw(screen: &screen)
    }

    /// Tab (Shift-Tab backwards): the word before the cursor completed, then the next (or
    /// previous) candidate on each press; the bell when nothing matches.
    private mutating func complete(forward: Bool, screen: inout [UInt8]) {
        guard !isMasked else { return }
        if var c = completion {
            if forward { c.next() } else { c.previous() }
            completion = c
        } else {
            completion = Completion.begin(editor: input, commands: commands, nicks: nicks, channels: channels)
        }
        guard var c = completion else { return screen.append(0x07) }
        let before = input
        c.apply(to: &input)
        completion = c
        guard input.text.utf8.count <= maxBytes else {
            // A candidate that does not fit: taken back.
            input = before
            completion = nil
            return screen.append(0x07)
        }
        refresh(screen: &screen)
    }

    /// Inserts one typed scalar; controls and format characters are not text.
    private mutating func insert(_ s: Unicode.Scalar, screen: inout [UInt8]) {
        completion = nil
        if s.value >= 0x80 && TextSafety.cannotBeShown(s) { return }
        let size = UTF8.width(s)
        guard inputBytes + size <= maxBytes else {
            screen.append(0x07)  // the bell: the line is full
            return
        }
        let atEnd = input.cursor == input.chars.count
        let count = input.chars.count
        let scroll = input.scrollColumn
        input.insert(String(s))
        inputBytes += size
        input.keepCursorVisible(width: room)
        if atEnd && isShown && input.chars.count == count + 1 && input.scrollColumn == scroll
            && (!isMasked || input.chars.count <= room) && !(input.chars.first == "/" && secretStart != nil) {
            // Typing at the end of a line that did not scroll: the character alone.
            let w = isMasked ? 1 : DisplayWidth.of(s)
            if isMasked { screen.append(UInt8(ascii: "*")) } else { screen.append(contentsOf: String(s).utf8) }
            drawnWidth += w
        } else {
            redraw(screen: &screen)
        }
    }

    private mutating func apply(_ key: TerminalKey, screen: inout [UInt8]) {
        if key == .backTab { return complete(forward: false, screen: &screen) }
        completion = nil
        switch key {
        case .left: input.apply(.left)
        case .right: input.apply(.right)
        case .home: input.apply(.home)
        case .end: input.apply(.end)
        case .wordLeft: input.apply(.wordLeft)
        case .wordRight: input.apply(.wordRight)
        case .backspace:
            guard input.cursor > 0 else { return }
            let atEnd = input.cursor == input.chars.count
            let removed = input.chars[input.cursor - 1]
            let scroll = input.scrollColumn
            input.apply(.deleteBackward)
            inputBytes -= removed.utf8.count
            input.keepCursorVisible(width: room)
            if atEnd && isShown && input.scrollColumn == scroll && (!isMasked || input.chars.count < room)
                && !(input.chars.first == "/" && secretStart != nil) {
                // At the end: step back over it and blank it.
                let w = isMasked ? 1 : DisplayWidth.of(removed)
                let back = [UInt8](repeating: 0x08, count: w)
                screen += back + [UInt8](repeating: 0x20, count: w) + back
                drawnWidth -= w
                return
            }
        case .delete:
            guard input.cursor < input.chars.count else { return }
            inputBytes -= input.chars[input.cursor].utf8.count
            input.apply(.deleteForward)
        case .killStart: input.apply(.killToStart)
        case .killEnd: input.apply(.killToEnd)
        case .killWord: input.apply(.killWordBackward)
        case .up, .down:
            let recalled = key == .up ? history.older(current: input.text) : history.newer()
            guard let recalled else { return }
            input.setText(recalled)
        case .redraw, .ignore, .backTab:
            break
        }
        if key != .ignore { refresh(screen: &screen) }
    }

    /// After an edit that may change the byte count: recount, scroll, redraw.
    private mutating func refresh(screen: inout [UInt8]) {
        inputBytes = input.text.utf8.count
        input.keepCursorVisible(width: room)
        redraw(screen: &screen)
    }

    // MARK: Output

    /// Prints `text` (whole lines, each ending in CR LF) above the input row, then draws the
    /// row again with the cursor where it was.
    public mutating func printAbove(_ text: [UInt8], screen: inout [UInt8]) {
        clear(screen: &screen)
        screen += text
        draw(screen: &screen)
    }

    /// Changes the prompt (where a line goes), redrawing the row when it is shown.
    public mutating func setPrompt(_ prompt: String, screen: inout [UInt8]) {
        guard prompt != self.prompt else { return }
        self.prompt = prompt
        promptWidth = DisplayWidth.of(prompt)
        input.keepCursorVisible(width: room)
        if isShown { redraw(screen: &screen) }
    }

    /// Starts or ends hiding what is typed (a password), redrawing the row when it is shown.
    public mutating func setMasked(_ masked: Bool, screen: inout [UInt8]) {
        guard masked != isMasked else { return }
        isMasked = masked
        input.keepCursorVisible(width: room)
        if isShown { redraw(screen: &screen) }
    }

    /// The window changed size (NAWS): the row is drawn again for the new width.
    public mutating func resize(columns: Int, screen: inout [UInt8]) {
        let columns = max(1, min(columns, 1000))
        guard columns != self.columns else { return }
        self.columns = columns
        input.keepCursorVisible(width: room)
        if isShown {
            // A narrower window may have wrapped the old row: start on a fresh one.
            clear(screen: &screen)
            draw(screen: &screen)
        }
    }

    /// Draws the row again in place (Ctrl-L, or after an edit).
    public mutating func redraw(screen: inout [UInt8]) {
        draw(screen: &screen)
    }

    /// Removes the input row from the screen, leaving the cursor at its start (before the
    /// session prints something that is not followed by `draw`, such as a farewell).
    public mutating func clear(screen: inout [UInt8]) {
        guard isShown else { return }
        if usesEscapes {
            screen += [0x0D, 0x1B, 0x5B, 0x4B]  // CR, CSI K
        } else {
            screen.append(0x0D)
            screen += [UInt8](repeating: 0x20, count: drawnWidth)
            screen.append(0x0D)
        }
        isShown = false
        drawnWidth = 0
    }

    /// Draws prompt and visible input from the start of the row, erasing what was there, and
    /// puts the cursor in place.
    public mutating func draw(screen: inout [UInt8]) {
        var (shown, cursorColumn) = input.visible(width: room)
        if let k = secretStart {
            // The password of `/oper NAME PASSWORD`: one star per character.
            var masked = InputLine(String(input.chars[..<k]) + String(repeating: "*", count: input.chars.count - k))
            masked.apply(.home)
            for _ in 0..<input.cursor { masked.apply(.right) }
            masked.keepCursorVisible(width: room)
            (shown, cursorColumn) = masked.visible(width: room)
        } else if isMasked {
            // One star per character, never wider than the room; the cursor on its star.
            let stars = min(input.chars.count, room)
            shown = String(repeating: "*", count: stars)
            cursorColumn = min(input.cursor, stars)
        }
        let width = promptWidth + DisplayWidth.of(shown)
        screen.append(0x0D)
        screen += prompt.utf8
        screen += shown.utf8
        var end = width
        if usesEscapes {
            screen += [0x1B, 0x5B, 0x4B]  // CSI K: erase to the end of the row
        } else if isShown && drawnWidth > width {
            screen += [UInt8](repeating: 0x20, count: drawnWidth - width)
            end = drawnWidth
        }
        let cursor = promptWidth + cursorColumn
        let back = end - cursor
        if back > 0 {
            if usesEscapes && back > 3 {
                screen += [0x1B, 0x5B] + Array(String(back).utf8) + [0x44]  // CSI n D
            } else {
                screen += [UInt8](repeating: 0x08, count: back)
            }
        }
        isShown = true
        drawnWidth = width
    }
}
