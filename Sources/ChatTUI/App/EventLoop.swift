import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc   // pollfd and the signal numbers only; the calls go through ChatPOSIX
#endif

/// The client's single thread: poll() on the terminal, the socket and the signal queue,
/// feed what arrives to the model as actions, carry out its effects, and redraw at most
/// about 60 times a second. Nothing wakes it while nothing happens except the model's own
/// timers (the 30 s lag probe; while disconnected, the once-a-second countdown).
final class EventLoop {
    private(set) var state: ClientState
    private let screen: Screen
    private let host: String
    private let port: Int
    private var signals: SignalQueue?
    private var logs: LogFiles?
    private let statsFile: String?
    /// ircs:// or --tls: how to speak TLS and whom to trust (nil: plaintext).
    private let tls: ClientTLS?
    /// The server said, in plaintext, that its port speaks TLS.
    private var serverSaidTLS = false

    private var connection: Connection?
    private var addresses: [SocketAddress] = []
    private var lastConnectError = ""
    private var connectedAt: Int64?
    /// When the connect in progress gives up (a server that never answers a SYN would
    /// otherwise keep us waiting for the kernel's two minutes).
    private var connectDeadline: Int64?
    static let connectTimeout: Int64 = 15_000
    private var reconnectAt: Int64?
    private var backoff = ReconnectBackoff()

    private var dirty = true
    private var lastDrawNanos: UInt64 = 0
    private var socketHasMore = false
    private var done = false

    // Figures for docs/CLIENT.md, written to --stats-file at exit.
    private var linesReceived = 0
    private var firstLineNanos: UInt64?
    private var lastLineNanos: UInt64 = 0
    private var longestTurnNanos: UInt64 = 0

    /// What our server answers a plaintext client on its TLS port.
    static let tlsPortHint = Array("ERROR :This port speaks TLS".utf8)
    static let frameInterval: UInt64 = 16_000_000   // ns: at most ~60 frames a second
    static let readSlice = 256 * 1024               // bytes read before the keyboard gets a turn
    static let readBudget: UInt64 = 8_000_000       // ns of reading before it gets one anyway

    init(config: ClientConfig, host: String, port: Int, logDirectory: String?, mouse: Bool, statsFile: String?, tls: ClientTLS? = nil) {
        self.tls = tls
        self.state = ClientState(config: config)
        self.screen = Screen(mouse: mouse, colors: ColorScheme(config.settings))
        self.host = host
        self.port = port
        self.statsFile = statsFile
        if let dir = logDirectory {
            do {
                logs = try LogFiles(directory: dir)
            } catch {
                state.apply(.failure("Cannot write logs to \(dir): \(error)", inServerWindow: true), now: Proc.wallMillis())
            }
        }
    }

    /// Runs until /quit or a signal; the terminal is given back before this returns.
    func run() -> Int32 {
        SignalQueue.ignore(SIGPIPE)
        // Signals whose default would end us without giving the terminal back, and that
        // mean nothing to a chat client, are ignored.
        for s in [SIGUSR1, SIGUSR2, SIGALRM] { SignalQueue.ignore(s) }
        TTY.saveModesForFullScreen()
        do {
            // Blocked before initscr, so ncurses' own SIGINT/SIGTERM handlers never run and
            // the signals arrive here as records on a descriptor. SIGQUIT leaves as SIGTERM
            // does (its default, a core dump, would leave the terminal in our modes).
            // SIGCONT (blocking it does not stop it continuing us) says we are back from a
            // suspension: ncurses redraws, and the terminal modes it does not know of are
            // turned on again.
            signals = try SignalQueue([SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCONT])
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-tui: \(error)\n")
            return 1
        }
        screen.start()
        defer {
            screen.stop()
            TTY.restore()
            writeStats()
        }
        let (c, r) = screen.size
        apply(.resize(cols: c, rows: r))
        connect()
        while !done { turn() }
        return 0
    }

    // MARK: - One turn of the loop

    private func turn() {
        let now = Proc.wallMillis()
        if let d = state.nextDeadline, now >= d { apply(.tick) }
        // The status bar's countdown is the model's: it asks for a tick each second.
        if let at = reconnectAt, now >= at { connect() }
        if let d = connectDeadline, now >= d, connection?.isOpen == false {
            lastConnectError = "no answer within \(Self.connectTimeout / 1000) s"
            connection = nil
            tryNextAddress()
        }
        if done { return }
        drawIfDue()

        var fds = [
            pollfd(fd: 0, events: Poll.readable, revents: 0),
            pollfd(fd: signals?.fd ?? -1, events: Poll.readable, revents: 0),
            pollfd(fd: connection?.fd ?? -1, events: Poll.readable | ((connection?.wantsWrite ?? false) ? Poll.writable : 0), revents: 0),
        ]
        _ = try? Poll.wait(&fds, timeoutMS: timeout(now: Proc.wallMillis()))
        let started = Proc.monotonicNanos()

        if fds[1].revents != 0, let signals {
            for sig in signals.drain() where !done {
                if sig == SIGCONT {
                    screen.resumed()
                    dirty = true
                } else {
                    apply(.quit(reason: "Caught \(Proc.signalName(sig)); leaving."))
                }
            }
        }
        if fds[0].revents & (Poll.hangup | Poll.error | Int16(POLLNVAL)) != 0 {
            // The terminal is gone (window closed, ssh dropped): leave, or poll would spin.
            apply(.quit(reason: "The terminal went away; leaving."))
            return
        }
        // Always drain the keyboard: a SIGWINCH interrupts poll() and leaves KEY_RESIZE there.
        for input in KeyReader.drain() {
            switch input {
            case .key(let k): apply(.key(k))
            case .resize(let c, let r): apply(.resize(cols: c, rows: r))
            }
        }
        if let conn = connection, !done { serviceSocket(conn, revents: fds[2].revents) }
        let spent = Proc.monotonicNanos() - started
        if spent > longestTurnNanos { longestTurnNanos = spent }
    }

    private func timeout(now: Int64) -> Int32 {
        if socketHasMore { return 0 }
        var ms: Int64 = 3_600_000
        if let d = state.nextDeadline { ms = min(ms, d - now) }
        if let d = connectDeadline, connection?.isOpen == false { ms = min(ms, d - now) }
        if let at = reconnectAt { ms = min(ms, at - now) }
        if dirty {
            let since = Proc.monotonicNanos() - lastDrawNanos
            ms = min(ms, since >= Self.frameInterval ? 0 : Int64((Self.frameInterval - since) / 1_000_000) + 1)
        }
        return Int32(max(0, ms))
    }

    private func drawIfDue() {
        guard dirty else { return }
        let t = Proc.monotonicNanos()
        guard t - lastDrawNanos >= Self.frameInterval else { return }
        screen.draw(state.frame())
        lastDrawNanos = t
        dirty = false
    }

    // MARK: - Model

    private func apply(_ action: Action) {
        state.apply(action, now: Proc.wallMillis())
        dirty = true
        perform(state.takeEffects())
    }

    private func perform(_ effects: [Effect]) {
        for e in effects {
            switch e {
            case .send(let line):
                if let c = connection, c.isOpen {
                    c.send(line)
                } else if !state.quitting {
                    state.apply(.failure("Not connected: not sent.", inServerWindow: false), now: Proc.wallMillis())
                }
            case .log(let window, let text):
                if let err = logs?.write(window: window, text: text) {
                    state.apply(.failure("Logging stopped: \(err)", inServerWindow: true), now: Proc.wallMillis())
                }
            case .quit:
                quit()
            case .reconnect:
                drop(reason: "reconnecting", retryIn: 0)
            case .dropConnection(let reason):
                drop(reason: reason, retryIn: nil)
            case .repaint:
                screen.repaintAll()
            case .saveSetting(let key, let value):
                saveSetting(key, value)
            case .discardPartialLine:
                connection?.discardPartial()
            }
        }
    }

    /// `/set`: the view's part of a setting, then the file.
    private func saveSetting(_ key: String, _ value: SettingValue?) {
        if key.hasPrefix("colors.") { screen.setColors(ColorScheme(state.settings)) }
        if key == "mouse" { screen.setMouse(value?.bool ?? true) }
        guard let path = state.config.configPath else {
            return state.apply(.failure("No configuration file (no HOME): not saved.", inServerWindow: false), now: Proc.wallMillis())
        }
        do {
            try ConfigFile(path: path).save(key, value)
        } catch {
            state.apply(.failure("\(error)", inServerWindow: false), now: Proc.wallMillis())
        }
    }

    private func quit() {
        if let c = connection, c.isOpen {
            // Give the QUIT line a moment to leave; never hang on a dead server.
            let deadline = Proc.monotonicNanos() + 1_000_000_000
            while c.wantsWrite && Proc.monotonicNanos() < deadline {
                do { try c.flush() } catch { break }
                if c.wantsWrite {
                    var p = [pollfd(fd: c.fd, events: Poll.writable, revents: 0)]
                    _ = try? Poll.wait(&p, timeoutMS: 100)
                }
            }
            Socket.shutdownWrite(c.fd)
        }
        connection = nil
        done = true
    }

    // MARK: - Connection

    private func connect() {
        reconnectAt = nil
        connection = nil
        apply(.connecting("\(host):\(port)"))
        do {
            addresses = try SocketAddress.resolve(host: host, port: port)
        } catch {
            lost(reason: "cannot resolve \(host): \(error)")
            return
        }
        tryNextAddress()
    }

    private func tryNextAddress() {
        while !addresses.isEmpty {
            let a = addresses.removeFirst()
            do {
                let c = try Connection(address: a, tls: tls.map { try TLSConnection(context: $0.context, host: host) })
                if state.config.mode == .raw { c.telnet = TelnetFilter() }
                connection = c
                connectDeadline = Proc.wallMillis() + Self.connectTimeout
                if c.isOpen { opened() }
                return
            } catch {
                lastConnectError = "\(error)"
            }
        }
        lost(reason: lastConnectError.isEmpty ? "cannot connect" : lastConnectError)
    }

    private func opened() {
        connectDeadline = nil
        connectedAt = Proc.wallMillis()
        serverSaidTLS = false
        apply(.connected)
        do { try connection?.startTLS() } catch { return fatal(ClientTLS.handshakeFailure("\(host):\(port)", error.description)) }
        try? connection?.flush()
    }

    private func serviceSocket(_ conn: Connection, revents: Int16) {
        if !conn.isOpen {
            guard revents & (Poll.writable | Poll.error | Poll.hangup) != 0 else { return }
            do {
                try conn.finishOpen()
                opened()
            } catch {
                lastConnectError = "\(error)"
                connection = nil
                tryNextAddress()
            }
            return
        }
        if revents & (Poll.readable | Poll.hangup | Poll.error) != 0 || socketHasMore {
            let outcome: Connection.ReadOutcome
            do {
                outcome = try conn.read(maxBytes: Self.readSlice, deadline: Proc.monotonicNanos() + Self.readBudget) { event in
                    switch event {
                    case .line(let bytes):
                        linesReceived += 1
                        // One byte compared per line (the burst path), the prefix only for ERROR lines.
                        if bytes.first == 69, conn.tls == nil, bytes.starts(with: Self.tlsPortHint) { serverSaidTLS = true }
                        if firstLineNanos == nil { firstLineNanos = Proc.monotonicNanos() }
                        state.apply(.received(bytes), now: Proc.wallMillis())
                    case .overlong:
                        state.apply(.receivedOverlong, now: Proc.wallMillis())
                    }
                }
            } catch {
                // A TLS port answers a plaintext line with an alert, then resets.
                if let wrong = wrongKindOfPort(conn, closed: true) { return fatal(wrong) }
                drop(reason: "\(error)", retryIn: nil)
                return
            }
            if case .tlsFailed(let why) = outcome { return fatal(ClientTLS.handshakeFailure("\(host):\(port)", why)) }
            if let wrong = wrongKindOfPort(conn, closed: outcome == .closed) { return fatal(wrong) }
            if let session = conn.tls, session.handshakeDone, !conn.verified, let tls {
                if let refusal = tls.refusal(session) { return fatal(refusal) }
                conn.verified = true
            }
            lastLineNanos = Proc.monotonicNanos()
            if state.config.mode == .raw { state.apply(.receivedPartial(conn.partial), now: Proc.wallMillis()) }
            dirty = true
            perform(state.takeEffects())
            socketHasMore = outcome == .more
            if outcome == .closed {
                drop(reason: "the server closed the connection", retryIn: nil)
                return
            }
        }
        guard connection === conn else { return }
        do { try conn.flush() } catch { drop(reason: "\(error)", retryIn: nil) }
    }

    /// A plaintext connection that met a TLS port: a TLS record came back (an alert, as
    /// ngIRCd's TLS port answers a plaintext line), or our server said so in plaintext. Nil
    /// otherwise (a server that closes without a word is retried as before: a proxy in front
    /// of a server that is down does that too).
    private func wrongKindOfPort(_ conn: Connection, closed: Bool) -> String? {
        guard conn.tls == nil else { return nil }
        let b = conn.firstBytes
        let tlsRecord = b.count >= 2 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 3
        guard tlsRecord || (closed && serverSaidTLS) else { return nil }
        return "this port speaks TLS: try ircs://\(host):\(port) (or --tls)"
    }

    /// A failure a retry would not mend (a certificate, the wrong kind of port): said once,
    /// no reconnect; /reconnect tries again.
    private func fatal(_ reason: String) {
        connection = nil
        socketHasMore = false
        connectDeadline = nil
        reconnectAt = nil
        apply(.disconnected(reason: reason, retryAt: nil))
    }

    /// The connection is gone (or dropped on purpose): schedule the next attempt.
    private func drop(reason: String, retryIn: Int64?) {
        connection = nil
        socketHasMore = false
        lost(reason: reason, retryIn: retryIn)
    }

    private func lost(reason: String, retryIn: Int64? = nil) {
        connectDeadline = nil
        if state.quitting { done = true; return }
        let now = Proc.wallMillis()
        // Only a connection that got us in counts as having worked: one that never got past
        // registration (a server that accepts and says nothing) keeps the backoff growing.
        let worked = state.connection == .connected
        backoff.connectionEnded(lasted: worked ? connectedAt.map { now - $0 } : nil)
        connectedAt = nil
        // A deliberate reconnect goes at once and does not count as a failure.
        reconnectAt = now + (retryIn ?? backoff.next())
        apply(.disconnected(reason: reason, retryAt: reconnectAt))
    }

    // MARK: - Measurements

    private func writeStats() {
        guard let path = statsFile else { return }
        let burst = firstLineNanos.map { Double(lastLineNanos - $0) / 1e9 } ?? 0
        let text = """
        lines_received \(linesReceived)
        frames_drawn \(screen.framesDrawn)
        first_to_last_line_seconds \(burst)
        longest_turn_ms \(Double(longestTurnNanos) / 1e6)

        """
        if let fd = try? FD.openForAppend(path) {
            try? FD.writeAll(fd, text)
            FD.close(fd)
        }
    }
}
