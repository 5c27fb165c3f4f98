import ChatPOSIX
import ChatProtocol
import ChatTLS
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The parent process: accepts, has the spawner fork a session per connection, routes
/// requests to the chat state and its events to the sessions. It never blocks and never
/// touches a client socket after the fork (except one non-blocking line to refuse a
/// connection).
///
/// This file holds its state and its loop; each role is an extension in a file of its own:
/// accepting (`Hub+Accepting`), the spawner (`Hub+Spawner`), requests from sessions and their
/// end (`Hub+Sessions`), what requests cost (`Hub+Costs`), events to sessions (`Hub+Delivery`),
/// signals, reload and shutdown (`Hub+Signals`), statistics (`Hub+Statistics`), and what the
/// operator console may use (`Hub+ConsoleHost`). The state those files share is internal for their sake alone: the
/// console and the command see the hub through `ConsoleHost` and the methods here.
final class Hub {
    var config: ServerConfig
    let log: Logger
    let epoll: Epoll
    let signals: SignalQueue
    /// The routing state; set once in `init` (it needs the hub as its sink).
    private(set) var state: ChatState!
    var listeners: [(fd: Int32, address: SocketAddress)] = []
    /// Indexes in `listeners` where clients speak TLS, and the certificate the spawner still
    /// has to be sent (`Hub+TLS`).
    var tlsListeners: Set<Int> = []
    var certificateToSend = false
    /// The private key in force, which signs TLS sessions' handshakes (`Hub+TLS`).
    var tlsKey: TLSKeyHolder?
    var slots = SlotTable()
    /// Slots with something to write this turn.
    var dirty: [Int] = []
    /// Slots whose events wait for the delivery tick, and the earliest of their deadlines
    /// (`.max`: none) (`Hub+Delivery`).
    var parkedSlots: [Int] = []
    var parkedDeadline = UInt64.max
    var turnFrames = TurnFrames()
    /// The state store when channel lines are kept on disk: committed once per turn.
    var stateStore: StateStore?
    /// Sessions whose requests wait (`Hub+Costs`).
    var held: [Int] = []
    /// The session whose request is being answered, and the bytes of replies to it so far.
    var costed = -1
    var replyBytes = 0
    var gate = AcceptGate()
    /// The process that forks sessions (`Spawner`) and the hub's end of its channel; nil when
    /// it is gone (a new one is started) or the hub is stopping.
    var spawnerProcess: pid_t?
    var spawnerChannel: Int32?
    var spawns = SpawnQueue()
    /// Exits of children the hub cannot place yet: a session can end before the spawner's
    /// report of its pid arrives. Kept a few seconds.
    var unclaimedExits: [pid_t: (status: Proc.ExitStatus, at: UInt64)] = [:]
    /// Slots whose session closed its channel, waiting for its exit status (a bounded wait).
    var awaitingReap: [Int] = []
    let startedAt = Proc.monotonicNanos()
    var stats = HubStatistics()
    /// Refused connections, summed up in the log every 10 s (`Hub+Audit`).
    var refusals = RefusalTally()
    var shutdownDeadline: UInt64?
    var exitRequested = false
    private(set) var hooks: [HubHook] = []
    /// One read's worth of bytes, reused for every read.
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// epoll data tags: the kind of descriptor in the top 16 bits, an index below.
    enum Tag: UInt64 {
        case listener = 1, signal = 2, session = 3, hook = 5, spawner = 6
        func with(_ index: Int) -> UInt64 { rawValue << 48 | UInt64(index) }
        /// For hooks: which hook, and which of its descriptors.
        static func hook(_ hook: Int, _ sub: Int) -> UInt64 { Tag.hook.with(sub << 16 | hook) }
    }

    init(config: ServerConfig, log: Logger) throws {
        self.config = config
        self.log = log
        epoll = try Epoll(capacity: 1024)
        SignalQueue.ignore(SIGPIPE)
        signals = try SignalQueue([SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1])
        state = ChatState(settings: config.chatSettings(), sink: self, clock: Proc.wallMillis)
        try epoll.add(signals.fd, events: Epoll.readable, data: Tag.signal.with(0))
    }

    // MARK: Start-up

    /// Serves a bound listening socket.
    func addListener(_ fd: Int32, address: SocketAddress, tls: Bool = false) throws(SystemError) {
        try epoll.add(fd, events: Epoll.readable, data: Tag.listener.with(listeners.count))
        if tls { tlsListeners.insert(listeners.count) }
        listeners.append((fd, address))
    }

    var hasListeners: Bool { !listeners.isEmpty }

    func announceListeners() {
        for (i, l) in listeners.enumerated() { log.notice("listening on \(l.address)\(tlsListeners.contains(i) ? " (TLS)" : "")") }
    }

    func addHook(_ hook: HubHook) throws {
        hooks.append(hook)
        try hook.register(in: self, index: hooks.count - 1)
    }

    // MARK: The loop

    func run() {
        while !exitRequested {
            resumeHeld()
            let timeout = nextTimeout()
            do {
                try epoll.wait(timeoutNanos: timeout) { data, events in dispatch(data, events) }
            } catch {
                log.critical("epoll_wait failed: \(error)")
                return
            }
            flushParked()
            // This turn's channel lines are on disk before its events go out (`flush(slot:)`
            // commits too), and no transaction outlives the turn.
            stateStore?.commitTurn()
            flushDirty()
            checkTimers()
        }
        stateStore?.commitTurn()
        logRefusalSummary(now: Proc.monotonicNanos(), force: true)
    }

    /// Nanoseconds until the next deadline; -1: none.
    private func nextTimeout() -> Int64 {
        // Events queued after the last flush (by timers) go out now, not at the next wake-up.
        if !dirty.isEmpty { return 0 }
        let now = Proc.monotonicNanos()
        // The delivery tick's deadline to the microsecond; the others' to the next millisecond.
        let parked = parkedDeadline == .max ? Int64.max : Int64(clamping: parkedDeadline > now ? parkedDeadline - now : 0)
        var deadlines: [UInt64] = []
        if let paused = gate.pausedUntil, paused > now { deadlines.append(paused) }
        if let d = shutdownDeadline { deadlines.append(d) }
        if !awaitingReap.isEmpty { deadlines.append(now + 100_000_000) }
        if let d = refusals.deadline { deadlines.append(d) }
        if let d = heldDeadline(now: now) { deadlines.append(d) }
        // Protected nicks' grace periods, on the chat state's (wall) clock.
        if let d = state.nextNickDeadline { deadlines.append(now + UInt64(max(0, d - state.clock())) * 1_000_000) }
        for h in hooks { if let d = h.nextDeadline() { deadlines.append(d) } }
        guard let next = deadlines.min() else { return parked == .max ? -1 : parked }
        return min(parked, Int64(clamping: next > now ? ((next - now) / 1_000_000 + 1) * 1_000_000 : 0))
    }

    private func dispatch(_ data: UInt64, _ events: UInt32) {
        let index = Int(data & 0xFFFF_FFFF_FFFF)
        switch Tag(rawValue: data >> 48) {
        case .listener: acceptAll(listener: index)
        case .signal: handleSignals()
        case .session:
            if events & (Epoll.readable | Epoll.hangup | Epoll.error) != 0 { readRequests(slot: index) }
            if events & Epoll.writable != 0, slots.contains(index) { flush(slot: index) }
        case .hook: hooks[index & 0xFFFF].handle(events: events, data: UInt64(index >> 16), host: self)
        case .spawner:
            readSpawner()
            sendSpawnRequests()
        case nil: break
        }
    }

    private func checkTimers() {
        let now = Proc.monotonicNanos()
        if let paused = gate.pausedUntil, now >= paused {
            gate.pausedUntil = nil
            updateListening()
            sendSpawnRequests()  // some may have waited for descriptors in flight (Hub+Spawner)
        }
        if let d = shutdownDeadline, now >= d { finishShutdown() }
        if let d = refusals.deadline, now >= d { logRefusalSummary(now: now) }
        if !awaitingReap.isEmpty {
            awaitingReap.removeAll { id in
                guard let closedAt = slots.life(of: id)?.closedAt else { return true }
                if now - closedAt < 2_000_000_000 { return false }
                endSession(id, reason: "Connection closed")
                return true
            }
        }
        if let d = state.nextNickDeadline, d <= state.clock() { state.expireNickGuards() }
        for h in hooks { h.tick(now: now, host: self) }
    }
}
