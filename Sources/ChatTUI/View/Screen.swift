@preconcurrency import CNcurses
import ChatPOSIX
import ChatProtocol

/// The terminal, through ncurses: start and stop it, and copy a `ScreenFrame` onto it.
///
/// With `KeyReader`, the only code that imports CNcurses. It draws what the model laid out
/// and nothing else; text passes `TextSafety.sanitize` once more on its way out, so no
/// escape sequence from the network can reach the terminal even if the model missed one.
final class Screen {
    private(set) var active = false
    private var mouse: Bool
    private(set) var framesDrawn = 0
    private var mircColors = MircColors()
    private var colors: ColorScheme

    init(mouse: Bool, colors: ColorScheme = ColorScheme()) {
        self.mouse = mouse
        self.colors = colors
    }

    /// Makes sure text is decoded as UTF-8 whatever the environment says: this machine has
    /// only C, C.UTF-8 and POSIX, and "en_US.UTF-8" there would leave ncurses in ASCII.
    static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }

    /// Columns glibc gives a scalar (-1: not printable); `DisplayWidth` mirrors this.
    static func systemWidth(_ scalar: Unicode.Scalar) -> Int {
        Int(wcwidth(wchar_t(bitPattern: scalar.value)))
    }

    func start() {
        initscr()
        raw()            // Ctrl-C/Z/S/Q/V come to us as keys, for the emacs bindings
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        nodelay(cn_stdscr(), true)
        _ = cn_set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
            setUpColors()
        }
        KeyReader.defineKeys()
        setMouse(mouse)
        // Bracketed paste, written straight to the terminal once ncurses has flushed its
        // own output: putp() here never reached it.
        refresh()
        try? FD.writeAll(1, "\u{1b}[?2004h")
        active = true
    }

    /// Back from a suspension (SIGTSTP, then `fg`): the shell turned bracketed paste off
    /// (and may have changed the mouse mode), which ncurses does not know to restore.
    func resumed() {
        guard active else { return }
        setMouse(mouse)
        refresh()
        try? FD.writeAll(1, "\u{1b}[?2004h")
    }

    func stop() {
        guard active else { return }
        active = false
        try? FD.writeAll(1, "\u{1b}[?2004l")
        if mouse { mousemask(0, nil) }
        endwin()
    }

    func setMouse(_ on: Bool) {
        mouse = on
        if on {
            mousemask(cn_wheel_mask(), nil)
            mouseinterval(0)
        } else {
            mousemask(0, nil)
        }
    }

    var size: (cols: Int, rows: Int) { (Int(cn_cols()), Int(cn_lines())) }

    /// Forgets what ncurses thinks is on the terminal and paints everything (Ctrl-L).
    func repaintAll() {
        clearok(cn_stdscr(), true)
    }

    // MARK: - Drawing

    func draw(_ frame: ScreenFrame) {
        let win = cn_stdscr()
        let g = frame.geometry
        werase(win)
        if let t = g.titleRow, let title = frame.title { put(title, y: t, x: 0, width: g.cols) }
        if g.buflistWidth > 0, g.chatHeight > 0 {
            wattr_set(win, 0, 0, nil)
            mvwvline_set(win, Int32(g.chatTop), Int32(g.buflistWidth), cn_wacs_vline(), Int32(g.chatHeight))
            for (i, row) in frame.buflist.enumerated() { put(row, y: g.chatTop + i, x: 0, width: g.buflistWidth) }
        }
        for (i, row) in frame.chat.enumerated() { put(row, y: g.chatTop + i, x: g.chatLeft, width: g.chatWidth) }
        if let left = g.nickListLeft, g.chatHeight > 0 {
            wattr_set(win, 0, 0, nil)
            mvwvline_set(win, Int32(g.chatTop), Int32(left - 1), cn_wacs_vline(), Int32(g.chatHeight))
            for (i, row) in frame.nickList.enumerated() { put(row, y: g.chatTop + i, x: left, width: g.nickListWidth) }
        }
        if let s = g.statusRow, let status = frame.status { put(status, y: s, x: 0, width: g.cols) }
        put(frame.input, y: g.inputRow, x: 0, width: g.cols)
        wattr_set(win, 0, 0, nil)
        wmove(win, Int32(g.inputRow), Int32(frame.cursorColumn))
        wnoutrefresh(win)
        doupdate()
        framesDrawn += 1
    }

    /// Draws a row's spans from column `x`, never past `x + width`.
    private func put(_ row: Row, y: Int, x: Int, width: Int) {
        let win = cn_stdscr()
        var col = x
        let end = x + width
        for span in row.spans {
            guard col < end else { break }
            var text = ""
            var w = 0
            for ch in TextSafety.sanitize(span.text) {
                var cw = 0
                var shown = ""
                for s in ch.unicodeScalars {
                    // Never hand ncurses something it would draw as ^X or not at all.
                    let sw = s.value < 0x300 ? 1 : Self.systemWidth(s)
                    if sw < 0 { shown.unicodeScalars.append("\u{FFFD}"); cw += 1 } else { shown.unicodeScalars.append(s); cw += sw }
                }
                if col + w + cw > end { break }
                text += shown
                w += cw
            }
            var (attr, pair) = Self.attributes(span.style)
            if span.format != .plain {
                let f = span.format
                if f.bold { attr |= CN_A_BOLD }
                if f.italic { attr |= CN_A_ITALIC }
                if f.underline { attr |= CN_A_UNDERLINE }
                if f.reverse { attr |= CN_A_REVERSE }
                if f.foreground != nil || f.background != nil {
                    let p = mircColors.pair(foreground: f.foreground, background: f.background)
                    if p != 0 { pair = p }
                }
            }
            wattr_set(win, attr, pair, nil)
            mvwaddstr(win, Int32(y), Int32(col), text)
            col += w
        }
    }

    // MARK: - Colours

    private static let nickColors: [Int16] = [
        Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE), Int16(COLOR_MAGENTA), Int16(COLOR_CYAN),
        9, 10, 11, 12, 13, 14,   // the bright ones, where the terminal has 16 colours
    ]

    private enum Pair: Int16 {
        case timestamp = 20, highlight, event, info, error, notice, action, marker
        case status, statusActive, statusMention, statusMore, title
        case nickOp, nickVoice, prompt
    }

    private func setUpColors() {
        let colors = Int(COLORS)
        for (i, c) in Self.nickColors.enumerated() {
            init_pair(Int16(1 + i), colors >= 16 ? c : (c >= 8 ? c - 8 : c), -1)
        }
        applyColors()
    }

    /// Sets the pairs of the screen's parts from `colors` (`[colors]`, `/set colors.…`).
    /// A colour the terminal lacks (above COLORS) falls back to its default.
    private func applyColors() {
        let count = Int(COLORS)
        func fit(_ c: Int) -> Int16 { c < count ? Int16(c) : -1 }
        for e in ColorScheme.Element.allCases {
            let p = colors[e]
            init_pair(Self.pair(e).rawValue, fit(p.foreground), fit(p.background))
        }
    }

    /// Changes the colours of the screen's parts (a `/set colors.…`).
    func setColors(_ scheme: ColorScheme) {
        colors = scheme
        if active && has_colors() { applyColors() }
    }

    private static func pair(_ e: ColorScheme.Element) -> Pair {
        switch e {
        case .timestamp: .timestamp
        case .highlight: .highlight
        case .event: .event
        case .info: .info
        case .error: .error
        case .notice: .notice
        case .action: .action
        case .marker: .marker
        case .status: .status
        case .status_active: .statusActive
        case .status_mention: .statusMention
        case .status_more: .statusMore
        case .title: .title
        case .nick_op: .nickOp
        case .nick_voice: .nickVoice
        case .prompt: .prompt
        }
    }

    private static func attributes(_ style: Style) -> (attr_t, Int16) {
        func p(_ x: Pair) -> Int16 { x.rawValue }
        switch style {
        case .normal: return (0, 0)
        case .timestamp: return (CN_A_DIM, p(.timestamp))
        case .nick(let i): return (i >= 6 ? CN_A_BOLD : 0, Int16(1 + i % nickColors.count))
        case .ownNick: return (CN_A_BOLD, 0)
        case .highlight: return (CN_A_BOLD, p(.highlight))
        case .event: return (0, p(.event))
        case .info: return (CN_A_DIM, p(.info))
        case .error: return (CN_A_BOLD, p(.error))
        case .notice: return (0, p(.notice))
        case .action: return (CN_A_BOLD, p(.action))
        case .marker: return (0, p(.marker))
        case .statusBar: return (0, p(.status))
        case .statusActive: return (CN_A_BOLD, p(.statusActive))
        case .statusMention: return (CN_A_BOLD, p(.statusMention))
        case .statusMore: return (CN_A_BOLD, p(.statusMore))
        case .title: return (0, p(.title))
        case .nickListOp: return (CN_A_BOLD, p(.nickOp))
        case .nickListVoice: return (0, p(.nickVoice))
        case .nickList: return (0, 0)
        case .prompt: return (CN_A_BOLD, p(.prompt))
        case .inputCode: return (CN_A_REVERSE, 0)
        // The window list takes the status bar's colours for the current window and its
        // activity colours for the others, as the `act:` list shows them.
        case .buflist: return (0, 0)
        case .buflistEvents: return (0, p(.event))
        case .buflistMessages: return (CN_A_BOLD, 0)
        case .buflistMention: return (CN_A_BOLD, p(.highlight))
        case .buflistActive: return (CN_A_BOLD, p(.status))
        }
    }
}
