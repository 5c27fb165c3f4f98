import ChatProtocol

/// The whole client as one value, changed only by `apply(_:now:)`.
///
/// Keys, terminal size, connection events and the clock come in as actions; lines to send,
/// log lines and quitting go out as effects (`takeEffects`). Nothing here touches a terminal
/// or a socket, so every behaviour is tested by feeding actions.
struct ClientState: Sendable {
    let config: ClientConfig
    var windows: [Window]
    private(set) var active = 0
    var editor = InputLine()
    var history = History()
    var completion: Completion?
    /// The nick the server knows us by (from 001 and NICK).
    var nick: String
    var connection: ConnectionStatus = .idle
    var lagMillis: Int64?
    var cols = 80
    var rows = 24
    /// The user's choice; narrow terminals hide the list anyway.
    var nickListEnabled = true
    /// The list of windows at the left (`buflist`, Alt-Shift-B); narrow terminals hide it.
    var buflistEnabled = false
    /// Where this network sits among the client's others (`ClientNetworks`).
    var context = NetworkContext()
    var paste: PasteState = .none
    var pasteEscape: PasteEscape = .none
    /// --raw: text the server sent without a line end yet, and since when. Shown as the
    /// input line's prompt once it has waited a moment (a prompt, not a line cut by a read).
    var serverPrompt: (text: String, since: Int64)?
    static let promptDelay: Int64 = 250
    var irc = IRCLinkState()
    /// What the user sends waits here when it comes faster than servers accept.
    var pacer: SendPacer
    private(set) var now: Int64 = 0
    private(set) var effects: [Effect] = []
    /// Set by /quit: the app flushes and exits.
    var quitting = false
    /// The message /quit gave, for the client's other networks to leave with.
    var quitMessage = "chat-tui"
    /// The server's default channel (ISUPPORT `DEFCHAN`) has been joined once this session,
    /// or the user named channels: it is not joined again.
    var landed = false
    /// `/away`'s message while the user wants to be away (sent again after a reconnect), and
    /// whether the server says we are (305/306).
    var awayMessage: String?
    var isAway = false
    /// `/ignore` and `/hilight`.
    var ignores: [Ignore] = []
    var highlights: [String] = []
    /// The configuration's settings as `/set` left them.
    var settings = Settings()
    /// Which key does what (`[keys]`, `/bind`).
    var keyTable = KeyTable()
    /// Show mIRC formatting (`strip_formatting` off); `/set` changes it.
    var showFormatting = true
    /// Ctrl-R's search while it runs.
    var search: ScrollbackSearch?
    /// Ctrl-D on an empty line asked whether to quit; the next key answers.
    var quitConfirm = false
    /// --raw: the nick the status bar shows, as the user gave it (`--nick`, or the answer to
    /// the server's nickname prompt); nil shows none (a plain server has no nick we know of).
    var rawNick: String?

    init(config: ClientConfig) {
        self.config = config
        self.nick = config.nick
        pacer = SendPacer(burst: config.sendBurst, interval: config.sendInterval)
        var server = Window(name: config.server, kind: .server, capacity: config.scrollbackLines)
        server.joined = true
        windows = [server]
        for c in config.channels where config.mode == .irc {
            let i = ensureWindow(c, kind: .channel)
            windows[i].joined = true   // join it once registered
        }
        if config.mode == .irc, windows.count > 1 { active = 1 }
        landed = !config.channels.isEmpty
        if config.mode == .raw && config.nickGiven { rawNick = config.nick }
        settings = config.settings
        showFormatting = config.showFormatting
        buflistEnabled = settings.values["buflist"]?.bool ?? false
        keyTable = KeyTable(settings)
        highlights = settings.values["highlights"]?.list ?? []
        ignores = (settings.values["ignores"]?.list ?? []).compactMap { try? Ignore.parse($0).get() }
    }

    // MARK: - Actions

    mutating func apply(_ action: Action, now: Int64) {
        self.now = now
        switch action {
        case .key(let k): handleKey(k)
        case .resize(let c, let r):
            cols = c
            rows = r
            updateInputScroll()
        case .connecting(let address):
            connection = .connecting
            info("Connecting to \(address)…", window: 0)
        case .connected:
            pacer.reset()
            if config.mode == .raw {
                connection = .connected
                info("Connected.", window: 0)
            } else {
                connection = .registering
                ircConnected()
            }
        case .received(let bytes):
            if config.mode == .raw { receivedPlainLine(bytes) } else { receivedIRCLine(bytes) }
        case .receivedPartial(let bytes):
            guard config.mode == .raw else { break }
            let text = TextSafety.sanitize(TextSafety.repairUTF8(bytes))
            if text.isEmpty {
                serverPrompt = nil
            } else if serverPrompt?.text != text {
                serverPrompt = (text, now)
            }
        case .receivedOverlong:
            error("A line from the server was too long and was dropped.", window: 0)
        case .disconnected(let reason, let retryAt):
            // Channel windows hear of the loss once; each failed retry after it is told in
            // the server window only, so a long outage does not fill every window.
            let wasUp = connection == .connected || connection == .registering
            connection = .disconnected(reason: reason, retryAt: retryAt)
            lagMillis = nil
            isAway = false
            irc.connectionLost()
            // Lines queued for the lost connection are not sent to the next one, whose
            // channels and state may differ.
            let dropped = pacer.clear()
            if dropped > 0 { error("\(dropped) line\(dropped == 1 ? "" : "s") waiting to be sent dropped.", window: 0) }
            var text = "Disconnected: \(reason)."
            if let at = retryAt { text += at <= now ? " Reconnecting now." : " Reconnecting in \((at - now + 999) / 1000) s." }
            for i in windows.indices where i == 0 || (wasUp && windows[i].isChannel) {
                error(text, window: i)
            }
            // What we knew of the channels may be out of date when we are back.
            for i in windows.indices where windows[i].isChannel {
                windows[i].nicks.removeAll()
                windows[i].namesInProgress = false
                windows[i].topic = ""
            }
        case .tick:
            tick()
        case .failure(let text, let inServer):
            error(text, window: inServer ? 0 : nil)
        case .quit(let reason):
            info(reason, window: 0)
            runCommand("quit", "")
        }
    }

    /// Effects produced since the last call, oldest first.
    mutating func takeEffects() -> [Effect] {
        defer { effects.removeAll(keepingCapacity: true) }
        return effects
    }

    mutating func emit(_ e: Effect) { effects.append(e) }

    /// A line the user sends (a message, a command): paced (`SendPacer`). The client's own
    /// protocol lines (registration, PONG, the lag probe, CTCP replies, QUIT) go at once.
    mutating func send(_ line: String) {
        if let l = pacer.submit(line, now: now) { emit(.send(l)) }
    }

    private mutating func tick() {
        if case .collecting(let text, let since) = paste, now - since > 1500 {
            // The end marker never came (irssi#942): treat what arrived as the paste.
            paste = .none
            pasteEscape = .none
            finishPaste(text)
        }
        for l in pacer.release(now: now) { emit(.send(l)) }
        if config.mode == .irc { ircTick() }
    }

    /// When the model next needs a `.tick` (ms since the epoch), if ever.
    var nextDeadline: Int64? {
        var d: Int64?
        if case .collecting(_, let since) = paste { d = since + 1600 }
        if config.mode == .irc, let t = irc.nextTimer(connection: connection) { d = min(d ?? t, t) }
        if let p = serverPrompt, now < p.since + Self.promptDelay { d = min(d ?? (p.since + Self.promptDelay), p.since + Self.promptDelay) }
        if let t = countdownChange { d = min(d ?? t, t) }
        if let t = lagWaitChange { d = min(d ?? t, t) }
        if let t = pacer.nextRelease { d = min(d ?? t, t) }
        return d
    }

    /// The lag the status bar shows: the last round trip, or, while our probe has waited
    /// longer than that (and at least a second), how long it has waited so far.
    var shownLag: (millis: Int64, waiting: Bool)? {
        if connection == .connected, let sent = irc.pingSentAt {
            let waited = now - sent
            if waited >= 1000 && waited > (lagMillis ?? 0) { return (waited, true) }
        }
        return lagMillis.map { ($0, false) }
    }

    /// While a probe waits, when the whole seconds of its wait change (the status bar counts
    /// them once they pass the last lag).
    private var lagWaitChange: Int64? {
        guard connection == .connected, let sent = irc.pingSentAt, now >= sent else { return nil }
        let next = sent + ((now - sent) / 1000 + 1) * 1000
        return max(next, sent + (lagMillis ?? 0) + 1)
    }

    /// While waiting to reconnect, when the whole seconds the status bar counts down next
    /// change (the model only sees the clock through actions, so it asks for a tick then).
    private var countdownChange: Int64? {
        guard case .disconnected(_, let at?) = connection, at > now else { return nil }
        return at - (at - now - 1) / 1000 * 1000
    }

    // MARK: - Windows

    var activeWindow: Window { windows[active] }
    var activeIndex: Int { active }

    var caseMapping: CaseMapping { irc.caseMapping }

    /// The window named `name` under the casemapping (never the server window). A lookup, not
    /// a scan: a flood of lines from thousands of nicks must not fold every window's name
    /// for each line.
    func windowIndex(_ name: String) -> Int? { windowByName[caseMapping.fold(name)] }

    /// Window numbers by folded name, window 0 left out. Kept in step by every change to the
    /// windows' names or order (`ensureWindow`, `closeWindow`, `renameWindow`) and to the
    /// casemapping (`reindexWindows`).
    private(set) var windowByName: [String: Int] = [:]

    /// Rebuilds `windowByName`, after windows moved or the casemapping changed. Should two
    /// names become equal under a new casemapping, the first window keeps the name.
    mutating func reindexWindows() {
        windowByName = [:]
        for i in windows.indices.dropFirst() where windowByName[caseMapping.fold(windows[i].name)] == nil {
            windowByName[caseMapping.fold(windows[i].name)] = i
        }
    }

    /// Gives window `index` a new name (a query following a nick change, a channel taking
    /// the server's spelling).
    mutating func renameWindow(_ index: Int, to name: String) {
        let old = caseMapping.fold(windows[index].name)
        if windowByName[old] == index { windowByName[old] = nil }
        windows[index].name = name
        windowByName[caseMapping.fold(name)] = index
    }

    /// At most this many private conversations are opened by messages arriving: beyond it,
    /// messages from new nicks go to the server window, so a flood from thousands of nicks
    /// costs at most this many scrollbacks.
    static let maxQueryWindows = 100

    var queryWindowCount: Int { windows.count { $0.kind == .query } }

    /// At most this many channel windows are opened by what the server sends (a JOIN we did
    /// not ask for, a message to a channel we have no window for): a hostile server cannot make
    /// the client's memory grow without end. The user's own /join is not limited.
    static let maxServerChannelWindows = 500

    /// The server window has said that the channel window limit was reached.
    var channelLimitNoted = false

    /// The window for a channel the server names: the existing one, a new one while there are
    /// fewer than the limit, else nil (said once in the server window).
    mutating func channelWindowFromServer(_ name: String) -> Int? {
        if let i = windowIndex(name) { return i }
        if windows.count(where: { $0.kind == .channel }) >= Self.maxServerChannelWindows {
            if !channelLimitNoted {
                channelLimitNoted = true
                info("\(Self.maxServerChannelWindows) channel windows are open: the server's lines for further channels are shown here.", window: 0)
            }
            return nil
        }
        return ensureWindow(name, kind: .channel)
    }

    @discardableResult
    mutating func ensureWindow(_ name: String, kind: Window.Kind) -> Int {
        if let i = windowIndex(name) { return i }
        var w = Window(name: name, kind: kind, capacity: config.scrollbackLines)
        w.nicks.configure(modes: irc.prefixModes, symbols: irc.prefixSymbols, mapping: caseMapping)
        windows.append(w)
        windowByName[caseMapping.fold(name)] = windows.count - 1
        return windows.count - 1
    }

    /// The server window has said that the query window limit was reached (said once until a
    /// window is closed).
    var queryLimitNoted = false

    mutating func switchTo(_ index: Int) {
        guard windows.indices.contains(index), index != active else { return }
        // Lines arriving after the user leaves are the unread ones: the marker goes there.
        windows[active].markerSeq = windows[active].scrollback.endSeq
        active = index
        windows[index].activity = .none
        windows[index].unread = 0
        completion = nil
        updateInputScroll()
    }

    mutating func closeWindow(_ index: Int) {
        guard index > 0, windows.indices.contains(index) else { return }
        windows.remove(at: index)
        reindexWindows()
        queryLimitNoted = false
        channelLimitNoted = false
        if active == index {
            active = min(index, windows.count - 1)
            windows[active].activity = .none
            windows[active].unread = 0
        } else if active > index {
            active -= 1
        }
    }

    /// Makes window `index` the active one without moving any read marker: the user comes to
    /// this network from another one's window (`ClientNetworks`), so what arrived meanwhile
    /// in the window this network had active is still unread.
    mutating func focus(_ index: Int) {
        guard windows.indices.contains(index) else { return }
        active = index
        context.focused = true
        windows[index].activity = .none
        windows[index].unread = 0
        completion = nil
        updateInputScroll()
    }

    /// Moves window `index` to place `to` (`/window move`); the server window stays first.
    mutating func moveWindow(_ index: Int, to: Int) {
        guard index > 0, to > 0, windows.indices.contains(index), windows.indices.contains(to), index != to else { return }
        let w = windows.remove(at: index)
        windows.insert(w, at: to)
        if active == index { active = to } else if index < active && active <= to { active -= 1 } else if to <= active && active < index { active += 1 }
        reindexWindows()
    }

    /// The next window with the most important unread activity (Alt-A).
    func nextActiveWindow() -> Int? {
        let candidates = windows.indices.filter { $0 != active && windows[$0].activity > .events }
        return candidates.max { windows[$0].activity < windows[$1].activity || (windows[$0].activity == windows[$1].activity && $0 > $1) }
    }

    // MARK: - Lines

    /// Adds a line to a window, marking mentions and activity and asking for it to be logged.
    mutating func append(_ line: Line, to index: Int) {
        guard windows.indices.contains(index) else { return }
        var line = line
        // mIRC formatting stays (unless the user strips it) for the layout to show; every
        // other control goes here.
        line.text = TextSafety.sanitize(line.text, keepIRCFormatting: showFormatting)
        line.formatted = showFormatting && TextFormat.mayBeFormatted(line.text)
        if let n = line.nick { line.nick = TextSafety.sanitize(n) }
        if !line.own, line.nick != nil, config.mode == .irc,
           mentions(line.text, nick: nick) || (!highlights.isEmpty && highlights.contains { mentions(line.text, nick: $0) }) {
            line.highlight = true
        }
        // A full scrollback drops its oldest line here; a view scrolled up to it is moved
        // down before it is next drawn or scrolled (`anchorScroll`), not once per line.
        windows[index].scrollback.append(line)
        if (index != active || !context.focused) && !line.own {
            let level: Activity
            switch line.kind {
            case .message, .action, .notice:
                level = (line.highlight || windows[index].kind == .query) ? .mention : .messages
                windows[index].unread += 1
            case .plain:
                level = .messages
                windows[index].unread += 1
            case .event, .info, .error:
                level = .events
            }
            if level > windows[index].activity { windows[index].activity = level }
        }
        if config.logging {
            emit(.log(window: windows[index].name, text: logText(line)))
        }
    }

    private func logText(_ line: Line) -> String {
        let t = TimeFormat.dateTime(line.time, utcOffset: config.utcOffset)
        let n = line.nick ?? ""
        var line = line
        if line.formatted { line.text = TextSafety.stripIRCFormatting(line.text) }
        switch line.kind {
        case .message: return "\(t) <\(n)> \(line.text)"
        case .action: return "\(t) * \(n) \(line.text)"
        case .notice: return "\(t) -\(n)- \(line.text)"
        case .event: return "\(t) -- \(line.text)"
        case .info: return "\(t) -!- \(line.text)"
        case .error: return "\(t) !!! \(line.text)"
        case .plain: return "\(t) \(line.text)"
        }
    }

    mutating func info(_ text: String, window: Int? = nil) {
        append(Line(time: now, kind: .info, nick: nil, text: text), to: window ?? active)
    }

    mutating func error(_ text: String, window: Int? = nil) {
        append(Line(time: now, kind: .error, nick: nil, text: text), to: window ?? active)
    }

    mutating func event(_ text: String, window: Int, time: Int64? = nil) {
        append(Line(time: time ?? now, kind: .event, nick: nil, text: text), to: window)
    }

    /// Whether `text` names `nick` as a word (case-insensitive).
    func mentions(_ text: String, nick: String) -> Bool {
        guard !nick.isEmpty else { return false }
        let t = Array(caseMapping.fold(text).utf8)
        let n = Array(caseMapping.fold(nick).utf8)
        guard t.count >= n.count else { return false }
        func isNickByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7D) || b == UInt8(ascii: "-") || b >= 0x80
        }
        var i = 0
        while i + n.count <= t.count {
            if t[i] == n[0] && Array(t[i..<(i + n.count)]) == n {
                let before = i == 0 || !isNickByte(t[i - 1])
                let after = i + n.count == t.count || !isNickByte(t[i + n.count])
                if before && after { return true }
            }
            i += 1
        }
        return false
    }

    // MARK: - Layout

    var geometry: ScreenGeometry {
        ScreenGeometry(cols: cols, rows: rows, showNickList: nickListEnabled && activeWindow.isChannel && config.mode == .irc,
                       showBuflist: buflistEnabled && context.delegatesWindows)
    }

    /// Keeps the active window's scrolled-up view full at the current size (see
    /// `Layout.anchored`): lines dropped from a full scrollback, a resize or the nick list
    /// may have left its position with fewer rows above it than the chat area has. Done
    /// before each frame and each scroll, so "more below" and PgDn start from what is shown.
    mutating func anchorScroll() {
        guard windows[active].scroll != nil else { return }
        let g = geometry
        windows[active].scroll = Layout.anchored(windows[active], width: g.chatWidth, height: g.chatHeight, utcOffset: config.utcOffset)
    }

    mutating func scroll(by delta: Int) {
        anchorScroll()
        let g = geometry
        windows[active].scroll = Layout.scrolled(windows[active], by: delta, width: g.chatWidth, height: g.chatHeight, utcOffset: config.utcOffset)
    }

    // MARK: - Plain line servers

    /// The server's prompt, once it has been waiting long enough to be one.
    var visibleServerPrompt: String? {
        guard let p = serverPrompt, now >= p.since + Self.promptDelay else { return nil }
        return p.text
    }

    private mutating func receivedPlainLine(_ bytes: [UInt8]) {
        serverPrompt = nil
        let text = TextSafety.repairUTF8(bytes)
        append(Line(time: now, kind: .plain, nick: nil, text: text), to: 0)
    }
}
