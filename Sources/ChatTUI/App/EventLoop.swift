import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc   // pollfd and the signal numbers only; the calls go through ChatPOSIX
#endif

/// The client's single thread: one poll() on the terminal, every network's socket and the
/// signal queue, feed what arrives to the model as actions, carry out its effects, and redraw
/// at most about 60 times a second. Nothing wakes it while nothing happens except the model's
/// own timers (the 30 s lag probe; while disconnected, the once-a-second countdown).
final class EventLoop {
    var model: ClientNetworks
    let screen: Screen
    private var signals: SignalQueue?
    let statsFile: String?
    /// One a network, in the model's order.
    var links: [NetworkLink] = []
    /// `/connect NAME|HOST:PORT`: what the configuration (as `/set` left it) and the command
    /// line make of it, or why nothing can be made of it.
    let resolve: (String, Settings) -> Result<NetworkStart, ConfigError>
    static let connectTimeout: Int64 = 15_000

    var dirty = true
    private var lastDrawNanos: UInt64 = 0
    var done = false

    // Figures for docs/CLIENT.md, written to --stats-file at exit.
    var linesReceived = 0
    var firstLineNanos: UInt64?
    var lastLineNanos: UInt64 = 0
    private var longestTurnNanos: UInt64 = 0

    /// What our server answers a plaintext client on its TLS port.
    static let tlsPortHint = Array("ERROR :This port speaks TLS".utf8)
    static let frameInterval: UInt64 = 16_000_000   // ns: at most ~60 frames a second
    static let readSlice = 256 * 1024               // bytes read before the keyboard gets a turn
    static let readBudget: UInt64 = 8_000_000       // ns of reading before it gets one anyway

    /// `networks` (at least one) are connected to at start; the first is on the screen.
    init(networks: [NetworkStart], mouse: Bool, statsFile: String?,
         resolve: @escaping (String, Settings) -> Result<NetworkStart, ConfigError>) {
        let first = networks[0]
        self.model = ClientNetworks(name: first.name, config: first.config)
        self.screen = Screen(mouse: mouse, colors: ColorScheme(first.config.settings))
        self.statsFile = statsFile
        self.resolve = resolve
        links = [link(for: first, network: 0)]
        for n in networks.dropFirst() { add(n, focus: false) }
    }

    /// A network added beside those open (a further one at start, `/connect`).
    @discardableResult
    func add(_ start: NetworkStart, focus: Bool) -> Int {
        let i = model.add(name: start.name, config: start.config, focus: focus, now: Proc.wallMillis())
        links.append(link(for: start, network: i))
        return i
    }

    private func link(for start: NetworkStart, network i: Int) -> NetworkLink {
        let link = NetworkLink(host: start.host, port: start.port, tls: start.tls)
        if let dir = start.logDirectory {
            do {
                link.logs = try LogFiles(directory: dir)
            } catch {
                model.apply(.failure("Cannot write logs to \(dir): \(error)", inServerWindow: true), to: i, now: Proc.wallMillis())
            }
        }
        return link
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
        for i in links.indices { connect(i) }
        while !done { turn() }
        return 0
    }

    // MARK: - One turn of the loop

    private func turn() {
        let now = Proc.wallMillis()
        if let d = model.nextDeadline, now >= d { apply(.tick) }
        // The status bar's countdown is the model's: it asks for a tick each second.
        for (i, link) in links.enumerated() where !done {
            if let at = link.reconnectAt, now >= at { connect(i) }
            if let d = link.connectDeadline, now >= d, link.connection?.isOpen == false {
                link.lastConnectError = "no answer within \(Self.connectTimeout / 1000) s"
                link.connection = nil
                tryNextAddress(i)
            }
        }
        if done { return }
        drawIfDue()

        // One poll for the terminal, the signals and every network's socket.
        var fds = [
            pollfd(fd: 0, events: Poll.readable, revents: 0),
            pollfd(fd: signals?.fd ?? -1, events: Poll.readable, revents: 0),
        ]
        for link in links {
            let c = link.connection
            fds.append(pollfd(fd: c?.fd ?? -1, events: Poll.readable | ((c?.wantsWrite ?? false) ? Poll.writable : 0), revents: 0))
        }
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
        // Networks added by a key above (/connect) were not polled: their turn comes next.
        for i in 0..<min(links.count, fds.count - 2) where !done {
            if let conn = links[i].connection { serviceSocket(i, conn, revents: fds[i + 2].revents) }
        }
        let spent = Proc.monotonicNanos() - started
        if spent > longestTurnNanos { longestTurnNanos = spent }
    }

    private func timeout(now: Int64) -> Int32 {
        if links.contains(where: \.socketHasMore) { return 0 }
        var ms: Int64 = 3_600_000
        if let d = model.nextDeadline { ms = min(ms, d - now) }
        for link in links {
            if let d = link.connectDeadline, link.connection?.isOpen == false { ms = min(ms, d - now) }
            if let at = link.reconnectAt { ms = min(ms, at - now) }
        }
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
        screen.draw(model.frame())
        lastDrawNanos = t
        dirty = false
    }

    // MARK: - Model

    /// An action for the screen's network (keys, the size, the clock: see `ClientNetworks`).
    private func apply(_ action: Action) {
        model.apply(action, now: Proc.wallMillis())
        dirty = true
        perform(model.takeEffects())
    }

    /// An action from network `i`'s connection.
    func apply(_ action: Action, to i: Int) {
        model.apply(action, to: i, now: Proc.wallMillis())
        dirty = true
        perform(model.takeEffects())
    }

    /// Tells network `i` something went wrong, without carrying out effects (it adds a line).
    func fail(_ text: String, inServerWindow: Bool, network i: Int) {
        model.apply(.failure(text, inServerWindow: inServerWindow), to: i, now: Proc.wallMillis())
    }

    func perform(_ effects: [RoutedEffect]) {
        for routed in effects {
            let i = routed.network
            let link = links[i]
            switch routed.effect {
            case .send(let line):
                if let c = link.connection, c.isOpen {
                    c.send(line)
                } else if !model.networks[i].quitting {
                    fail("Not connected: not sent.", inServerWindow: false, network: i)
                }
            case .log(let window, let text):
                if let err = link.logs?.write(window: window, text: text) {
                    fail("Logging stopped: \(err)", inServerWindow: true, network: i)
                }
            case .quit:
                quit()
            case .reconnect:
                drop(i, reason: "reconnecting", retryIn: 0)
            case .dropConnection(let reason):
                drop(i, reason: reason, retryIn: nil)
            case .repaint:
                screen.repaintAll()
            case .saveSetting(let key, let value):
                saveSetting(key, value, network: i)
            case .discardPartialLine:
                link.connection?.discardPartial()
            case .connectNetwork(let name):
                connectNetwork(name, from: i)
            case .disconnectNetwork:
                disconnect(i)
            case .window:
                break   // the model's own (ClientNetworks), never handed out
            }
        }
    }

    /// `/set`: the view's part of a setting, then the file.
    private func saveSetting(_ key: String, _ value: SettingValue?, network i: Int) {
        let state = model.networks[i]
        if key.hasPrefix("colors.") { screen.setColors(ColorScheme(state.settings)) }
        if key == "mouse" { screen.setMouse(value?.bool ?? true) }
        guard let path = state.config.configPath else {
            return fail("No configuration file (no HOME): not saved.", inServerWindow: false, network: i)
        }
        do {
            try ConfigFile(path: path).save(key, value)
        } catch {
            fail("\(error)", inServerWindow: false, network: i)
        }
    }

    private func quit() {
        // Give the QUIT lines a moment to leave; never hang on a dead server.
        let deadline = Proc.monotonicNanos() + 1_000_000_000
        for link in links {
            guard let c = link.connection, c.isOpen else { continue }
            while c.wantsWrite && Proc.monotonicNanos() < deadline {
                do { try c.flush() } catch { break }
                if c.wantsWrite {
                    var p = [pollfd(fd: c.fd, events: Poll.writable, revents: 0)]
                    _ = try? Poll.wait(&p, timeoutMS: 100)
                }
            }
            Socket.shutdownWrite(c.fd)
            link.connection = nil
        }
        done = true
    }

    // MARK: - Measurements

    func writeStats() {
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
