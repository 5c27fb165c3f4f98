import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One connected session as the hub keeps it: the child's pid, its end of the socket pair, the
/// decoder for its requests and the queue of event frames not yet written to it.
struct SessionSlot {
    /// 0 until the spawner reports the session's pid.
    var pid: pid_t
    /// The hub's end of the session's socket pair: requests come up it, events go down.
    var channel: Int32
    var host: String
    var port: Int
    var decoder = FrameDecoder()
    /// Events of this loop turn, as ranges of the hub's `turnFrames`: a broadcast is stored
    /// once and written to every member from there. Empty whenever `out` is not.
    var shared: [Range<Int>] = []
    /// Events not yet written, copied: what a write left over, and what came after it.
    var out: [UInt8] = []
    var outStart = 0
    var waitingForWritable = false
    var connectedAt: Int64
    /// The spawner request that forks this session, and the client's socket, which the hub
    /// keeps until the session exists (to refuse the client if the fork fails).
    var spawn: UInt32 = 0
    var pendingClient: Int32 = -1
    /// The session's end of the socket pair, until the request goes to the spawner.
    var unsentEnd: Int32 = -1
    /// The channel reached EOF: the process is exiting; its exit status (from SIGCHLD)
    /// tells the others why it left.
    var eofAt: UInt64?

    var pending: Int { out.count - outStart }

    func withPending<R>(_ body: (Int32, UnsafeRawBufferPointer) -> R) -> R {
        out.withUnsafeBytes { body(channel, UnsafeRawBufferPointer(rebasing: $0[outStart...])) }
    }

    /// Drops `n` written bytes; returns true when the queue is empty.
    mutating func consume(_ n: Int) -> Bool {
        outStart += n
        if outStart == out.count {
            out.removeAll(keepingCapacity: out.capacity <= 65536)
            outStart = 0
            return true
        }
        // Written bytes are dropped once they are half the queue: each byte is moved at most
        // once on average, however far behind the session is.
        if outStart > 65536 && outStart >= out.count / 2 {
            out.removeFirst(outStart)
            outStart = 0
        }
        return false
    }
}

/// The parent process: accepts, forks a session per connection, routes requests to the
/// chat state and its events to the sessions. It never blocks and never touches a client
/// socket after the fork (except one non-blocking line to refuse a connection).
final class Hub: EventSink {
    var config: ServerConfig
    let log: Logger
    let epoll: Epoll
    let signals: SignalQueue
    var state: ChatState!
    var listeners: [(fd: Int32, address: SocketAddress)] = []
    var slots: [SessionSlot?] = []
    var freeSlots: [Int] = []
    var slotOfPID: [pid_t: Int] = [:]
    var dirty: [Int] = []
    /// The process that forks sessions (`Spawner`), the hub's end of its channel, and the
    /// requests it has not answered yet (request → slot).
    var spawnerPID: pid_t = 0
    var spawnerChannel: Int32 = -1
    var nextSpawn: UInt32 = 1
    var pendingSpawns: [UInt32: Int] = [:]
    /// Requests the spawner's channel had no room for yet (its buffer holds a few hundred): while any
    /// wait, the hub stops accepting, and connections wait in the listen backlog instead.
    var spawnBacklog: [(id: Int, spawn: UInt32)] = []
    var spawnBacklogStart = 0
    /// Whether the listeners are in the epoll set.
    var listening = true
    /// Exits of children the hub cannot place yet: a session can end before the spawner's
    /// report of its pid arrives. Kept a few seconds.
    var unclaimedExits: [pid_t: (status: Proc.ExitStatus, at: UInt64)] = [:]
    /// Every event frame delivered in this loop turn, once; see `SessionSlot.shared`.
    var turnFrames: [UInt8] = []
    var perHost: [String: Int] = [:]
    var liveSessions = 0
    let startedAt = Proc.monotonicNanos()
    var stats = HubStatistics()
    var acceptPausedUntil: UInt64 = 0
    var shutdownDeadline: UInt64?
    var exitRequested = false
    var hooks: [HubHook] = []
    var awaitingReap: [Int] = []
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

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

    func announceListeners() {
        for l in listeners { log.notice("listening on \(l.address)") }
    }

    func addHook(_ hook: HubHook) throws {
        hooks.append(hook)
        try hook.register(in: self, index: hooks.count - 1)
    }

    // MARK: The loop

    func run() {
        while !exitRequested {
            let timeout = nextTimeout()
            do {
                try epoll.wait(timeoutMS: timeout) { data, events in dispatch(data, events) }
            } catch {
                log.critical("epoll_wait failed: \(error)")
                return
            }
            flushDirty()
            checkTimers()
        }
    }

    private func nextTimeout() -> Int32 {
        // Events queued after the last flush (by timers) go out now, not at the next wake-up.
        if !dirty.isEmpty { return 0 }
        let now = Proc.monotonicNanos()
        var deadlines: [UInt64] = []
        if acceptPausedUntil > now { deadlines.append(acceptPausedUntil) }
        if let d = shutdownDeadline { deadlines.append(d) }
        if !awaitingReap.isEmpty { deadlines.append(now + 100_000_000) }
        for h in hooks { if let d = h.nextDeadline() { deadlines.append(d) } }
        guard let next = deadlines.min() else { return -1 }
        return Int32(clamping: next > now ? (next - now) / 1_000_000 + 1 : 0)
    }

    private func dispatch(_ data: UInt64, _ events: UInt32) {
        let index = Int(data & 0xFFFF_FFFF_FFFF)
        switch Tag(rawValue: data >> 48) {
        case .listener: acceptAll(listener: index)
        case .signal: handleSignals()
        case .session:
            if events & (Epoll.readable | Epoll.hangup | Epoll.error) != 0 { readRequests(slot: index) }
            if events & Epoll.writable != 0, slots[index] != nil { flush(slot: index) }
        case .hook: hooks[index & 0xFFFF].handle(events: events, data: UInt64(index >> 16), hub: self)
        case .spawner:
            readSpawner()
            sendSpawnRequests()
        case nil: break
        }
    }

    private func checkTimers() {
        let now = Proc.monotonicNanos()
        if acceptPausedUntil != 0 && now >= acceptPausedUntil {
            acceptPausedUntil = 0
            updateListening()
        }
        if let d = shutdownDeadline, now >= d { finishShutdown() }
        if !awaitingReap.isEmpty {
            awaitingReap.removeAll { id in
                guard let s = slots[id], let eof = s.eofAt else { return true }
                if now - eof < 2_000_000_000 { return false }
                endSession(id, reason: "Connection closed")
                return true
            }
        }
        for h in hooks { h.tick(now: now, hub: self) }
    }

    // MARK: Accepting

    private func acceptAll(listener index: Int) {
        guard shutdownDeadline == nil, listening else { return }
        let fd = listeners[index].fd
        // Bounded per wake-up so a connect flood cannot starve the sessions already talking.
        for _ in 0..<256 {
            let accepted: (Int32, SocketAddress)?
            do {
                accepted = try Socket.accept(fd)
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE || error.errno == ENOBUFS || error.errno == ENOMEM {
                    pauseAccepting(error)
                } else {
                    log.error("accept: \(error)")
                }
                return
            }
            guard let (client, address) = accepted else { return }
            admit(client, address)
        }
    }

    /// Out of descriptors or memory: stop accepting for a moment instead of spinning on a
    /// listener that stays readable.
    private func pauseAccepting(_ error: SystemError) {
        log.warning("\(error); pausing accepts for 250 ms")
        acceptPausedUntil = Proc.monotonicNanos() + 250_000_000
        updateListening()
        stats.acceptBackoffs += 1
    }

    /// Listeners leave the epoll set while accepting is paused or the spawner is behind (a
    /// readable listener would wake us at once), and come back after.
    private func updateListening() {
        let wanted = acceptPausedUntil == 0 && spawnBacklogStart == spawnBacklog.count
        guard wanted != listening else { return }
        listening = wanted
        for (i, l) in listeners.enumerated() {
            if wanted {
                try? epoll.add(l.fd, events: Epoll.readable, data: Tag.listener.with(i))
            } else {
                epoll.remove(l.fd)
            }
        }
    }

    private func refuse(_ fd: Int32, _ line: String) {
        // The one time the hub writes to a client socket: a single non-blocking line into an
        // empty send buffer, then close.
        let text = "ERROR :\(line)\r\n"
        _ = try? Array(text.utf8).withUnsafeBytes { raw throws(SystemError) in try FD.write(fd, raw) }
        FD.close(fd)
        stats.refused += 1
    }

    private func admit(_ fd: Int32, _ address: SocketAddress) {
        let host = address.host
        if let ban = hooks.lazy.compactMap({ $0.banReason(host: host) }).first {
            log.info("refused \(address): banned (\(ban))")
            return refuse(fd, "You are banned from this server: \(ban)")
        }
        if config.limits.maxClients > 0 && liveSessions >= config.limits.maxClients {
            log.warning("refused \(address): server full (\(config.limits.maxClients) clients)")
            return refuse(fd, "Server is full (\(config.limits.maxClients) clients), try again later")
        }
        if config.limits.maxPerIP > 0 && perHost[host, default: 0] >= config.limits.maxPerIP {
            log.warning("refused \(address): too many connections from \(host)")
            return refuse(fd, "Too many connections from your address (\(config.limits.maxPerIP))")
        }
        // One socket pair per session: a pipe each way would cost the hub two descriptors per
        // session, and 10,000 sessions would not fit a limit of 20,000 (docs/ARCHITECTURE.md).
        let pair = Result { () throws(SystemError) in try Socket.pair(nonBlocking: true) }
        guard case .success(let (hubEnd, sessionEnd)) = pair else {
            if case .failure(let error) = pair {
                log.error("socketpair for \(address): \(error)")
                if error.errno == EMFILE || error.errno == ENFILE { pauseAccepting(error) }
            }
            return refuse(fd, "Server cannot take connections right now, try again later")
        }
        Socket.setNoDelay(fd)
        // A fixed send buffer instead of autotuning up to megabytes: chat needs little, and
        // a client that stops reading is noticed (and dropped) sooner.
        try? Socket.setOption(fd, SOL_SOCKET, SO_SNDBUF, 128 * 1024)
        let spawn = nextSpawn
        nextSpawn &+= 1
        let id = freeSlots.popLast() ?? { slots.append(nil); return slots.count - 1 }()
        slots[id] = SessionSlot(pid: 0, channel: hubEnd, host: host, port: address.port,
                                connectedAt: Proc.wallMillis(), spawn: spawn, pendingClient: fd, unsentEnd: sessionEnd)
        pendingSpawns[spawn] = id
        perHost[host, default: 0] += 1
        liveSessions += 1
        do {
            try epoll.add(hubEnd, events: Epoll.readable, data: Tag.session.with(id))
        } catch {
            log.error("epoll add: \(error)")
        }
        spawnBacklog.append((id, spawn))
        sendSpawnRequests()
        state.connect(session: id, host: host)
    }

    // MARK: The spawner

    /// Starts the process that forks sessions; the hub adopts the sessions it forks.
    func startSpawner() throws(SystemError) {
        try Proc.becomeSubreaper()
        let (pid, channel) = try Spawner.start()
        spawnerPID = pid
        spawnerChannel = channel
        try epoll.add(channel, events: Epoll.readable, data: Tag.spawner.with(0))
        log.debug("session spawner pid \(pid)")
    }

    /// At exit: the spawner leaves when its channel closes; it is reaped, not left a zombie.
    func stopSpawner() {
        guard spawnerPID > 0 else { return }
        epoll.remove(spawnerChannel)
        FD.close(spawnerChannel)
        Proc.signal(spawnerPID, SIGKILL)
        Proc.waitFor(spawnerPID)
        spawnerPID = 0
        spawnerChannel = -1
    }

    /// Hands the waiting connections to the spawner, as many as its channel takes.
    private func sendSpawnRequests() {
        while spawnBacklogStart < spawnBacklog.count && spawnerChannel >= 0 {
            let (id, spawn) = spawnBacklog[spawnBacklogStart]
            guard let slot = slots[id], slot.spawn == spawn, slot.unsentEnd >= 0 else {
                spawnBacklogStart += 1  // ended while it waited
                continue
            }
            let request = Spawner.request(spawn: spawn, config: config.sessionConfig())
            let sent = Result { () throws(SystemError) in
                try Socket.send(spawnerChannel, request, passing: [slot.pendingClient, slot.unsentEnd])
            }
            switch sent {
            case .success(.done):
                FD.close(slot.unsentEnd)
                slots[id]!.unsentEnd = -1
                spawnBacklogStart += 1
            case .success(.wouldBlock), .success(.eof):
                // Full: wait until it drains (readable or writable wakes us).
                if listening {
                    log.debug("spawner behind: \(spawnBacklog.count - spawnBacklogStart) connections wait, accepting paused")
                }
                try? epoll.modify(spawnerChannel, events: Epoll.readable | Epoll.writable, data: Tag.spawner.with(0))
                updateListening()
                return
            case .failure(let error):
                return spawnerLost("sending to it failed (\(error))")
            }
        }
        if spawnBacklogStart == spawnBacklog.count {
            spawnBacklog.removeAll(keepingCapacity: true)
            spawnBacklogStart = 0
            if spawnerChannel >= 0 {
                try? epoll.modify(spawnerChannel, events: Epoll.readable, data: Tag.spawner.with(0))
            }
        }
        updateListening()
    }

    private func readSpawner() {
        while spawnerChannel >= 0 {
            let received: Result<(IOResult, [Int32]), SystemError> = scratch.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try Socket.receive(spawnerChannel, into: raw) }
            }
            guard case .success(let (result, fds)) = received else { return spawnerLost("its channel failed") }
            for fd in fds { FD.close(fd) }
            switch result {
            case .done(let n):
                if let reply = scratch.withUnsafeBytes({ Spawner.Reply(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) {
                    spawned(reply)
                }
            case .wouldBlock: return
            case .eof: return spawnerLost("it closed its channel")
            }
        }
    }

    private func spawned(_ reply: Spawner.Reply) {
        guard let id = pendingSpawns.removeValue(forKey: reply.spawn), let slot = slots[id],
              slot.spawn == reply.spawn, slot.pid == 0 else {
            // The connection ended before its session existed: the session finds its channel
            // closed and leaves by itself.
            return
        }
        let client = slot.pendingClient
        slots[id]!.pendingClient = -1
        if reply.pid > 0 {
            FD.close(client)
            slots[id]!.pid = reply.pid
            slotOfPID[reply.pid] = id
            stats.sessionsForked += 1
            log.debug("session \(id) pid \(reply.pid) for \(slot.host) port \(slot.port)")
            if let exit = unclaimedExits.removeValue(forKey: reply.pid) { sessionExited(reply.pid, exit.status) }
        } else {
            log.error("fork for \(slot.host) port \(slot.port): \(SystemError("fork", errno: reply.errno))")
            stats.forkFailures += 1
            refuse(client, "Server cannot start a session right now (fork failed), try again later")
            endSession(id, reason: "")
        }
    }

    /// The spawner died or its channel broke: the connections waiting for it are refused, and
    /// a new spawner takes over (a fresh start again, `Spawner.start`).
    private func spawnerLost(_ why: String) {
        guard spawnerChannel >= 0 else { return }
        log.error("the session spawner (pid \(spawnerPID)) stopped: \(why); starting a new one")
        epoll.remove(spawnerChannel)
        FD.close(spawnerChannel)
        spawnerChannel = -1
        Proc.signal(spawnerPID, SIGKILL)
        let waiting = pendingSpawns
        pendingSpawns.removeAll()
        for (_, id) in waiting where slots[id] != nil && slots[id]!.pid == 0 {
            let client = slots[id]!.pendingClient
            slots[id]!.pendingClient = -1
            if client >= 0 { refuse(client, "Server cannot start a session right now, try again later") }
            endSession(id, reason: "")
        }
        guard shutdownDeadline == nil else { return }
        do {
            try startSpawner()
        } catch {
            log.critical("cannot start a session spawner: \(error); shutting down")
            beginShutdown(reason: "Server error", grace: 5)
        }
    }

    // MARK: Requests from sessions

    private func readRequests(slot id: Int) {
        guard slots[id] != nil else { return }
        let fd = slots[id]!.channel
        let r: Result<IOResult, SystemError> = scratch.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in try FD.read(fd, into: raw) }
        }
        switch r {
        case .failure(let e) where e.errno == ECONNRESET:
            // The session died with events unread in its end (a socket pair resets where a
            // pipe would just end): its exit status tells how.
            sessionClosedChannel(id)
        case .failure(let e):
            endSession(id, reason: "Connection lost (\(e))")
        case .success(.wouldBlock):
            return
        case .success(.eof):
            sessionClosedChannel(id)
        case .success(.done(let n)):
            stats.bytesIn += n
            scratch.withUnsafeBytes { slots[id]!.decoder.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            processFrames(slot: id)
        }
    }

    private func processFrames(slot id: Int) {
        while slots[id] != nil {
            do {
                guard let request = try slots[id]!.decoder.next({ type, payload in
                    try HubRequest(type: type, payload: payload)
                }) else { return }
                stats.requests += 1
                if case .quit = request { slots[id]!.decoder = FrameDecoder() }
                state.handle(request, from: id)
                if case .quit = request { return }
            } catch {
                log.warning("session \(id) (pid \(slots[id]!.pid)) sent a corrupt frame: \(error); ending it")
                stats.corruptFrames += 1
                Proc.signal(slots[id]!.pid, SIGKILL)
                endSession(id, reason: "Session error (corrupt frame)")
                return
            }
        }
    }

    /// The session closed its end: it is exiting. Wait for SIGCHLD to learn how it ended
    /// (killed, crashed); a bounded wait, in case the process lingers after closing it.
    private func sessionClosedChannel(_ id: Int) {
        guard let s = slots[id], s.eofAt == nil else { return }
        epoll.remove(s.channel)
        slots[id]!.eofAt = Proc.monotonicNanos()
        slots[id]!.shared = []
        slots[id]!.out = []
        slots[id]!.outStart = 0
        awaitingReap.append(id)
    }

    /// Forgets a session: announces its quit if it had not quit, closes its channel. Its process
    /// is reaped on SIGCHLD.
    func endSession(_ id: Int, reason: String) {
        guard let s = slots[id] else { return }
        // Requests already in the channel (a QUIT with its reason, last messages) still count.
        drain(slot: id)
        state.disconnect(session: id, reason: reason)
        epoll.remove(s.channel)
        FD.close(s.channel)
        if s.pendingClient >= 0 { FD.close(s.pendingClient) }
        if s.unsentEnd >= 0 { FD.close(s.unsentEnd) }
        if s.pid == 0 { pendingSpawns[s.spawn] = nil }
        slots[id] = nil
        freeSlots.append(id)
        if let n = perHost[s.host] { perHost[s.host] = n > 1 ? n - 1 : nil }
        liveSessions -= 1
        log.debug("session \(id) pid \(s.pid) ended: \(reason)")
        if liveSessions == 0 {
            // Everyone left: the queues and tables of the peak are free; give them back.
            Proc.releaseFreeMemory()
        }
    }

    private func drain(slot id: Int) {
        for _ in 0..<64 {
            guard let fd = slots[id]?.channel else { return }
            let r: Result<IOResult, SystemError> = scratch.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try FD.read(fd, into: raw) }
            }
            guard case .success(.done(let n)) = r else { return }
            scratch.withUnsafeBytes { slots[id]!.decoder.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            while let request = try? slots[id]!.decoder.next({ try HubRequest(type: $0, payload: $1) }) {
                state.handle(request, from: id)
            }
        }
    }

    // MARK: Events to sessions

    func deliver(_ frame: [UInt8], to id: Int) {
        guard id < slots.count, slots[id] != nil, slots[id]!.eofAt == nil else { return }
        let range = storeForTurn(frame)
        let limit = config.hubQueueLimit
        turnFrames.withUnsafeBufferPointer { frames in
            Self.enqueue(range, of: frames, in: &slots[id]!, id: id, limit: limit, dirty: &dirty)
        }
        stats.framesOut += 1
    }

    /// The hot path of every channel message: the frame is stored once for this loop turn
    /// and each member's queue gets its range (no copy, no reference counting); the slots are
    /// borrowed once for the whole loop.
    func deliver(_ frame: [UInt8], toEach ids: [Int]) {
        let range = storeForTurn(frame)
        var added = 0
        let limit = config.hubQueueLimit
        turnFrames.withUnsafeBufferPointer { frames in
            slots.withUnsafeMutableBufferPointer { slots in
                for id in ids where id < slots.count && slots[id] != nil && slots[id]!.eofAt == nil {
                    Self.enqueue(range, of: frames, in: &slots[id]!, id: id, limit: limit, dirty: &dirty)
                    added += 1
                }
            }
        }
        stats.framesOut += added
    }

    /// Appends a frame to this turn's shared buffer; returns where it is.
    private func storeForTurn(_ frame: [UInt8]) -> Range<Int> {
        let start = turnFrames.count
        frame.withUnsafeBufferPointer { turnFrames.append(contentsOf: $0) }
        return start..<turnFrames.count
    }

    /// Behind a backlog, a frame is copied after it (order); otherwise its range joins the
    /// slot's shared ranges, merged with the previous one when they touch. A backlog that
    /// grows past `limit` marks the slot dirty: this turn's flush gives the session one more
    /// chance to take it, and ends it if it does not (`afterShortWrite`). So the hub's memory
    /// for a session that stopped reading stays bounded, however long it stays stopped.
    @inline(__always)
    private static func enqueue(_ range: Range<Int>, of frames: UnsafeBufferPointer<UInt8>, in slot: inout SessionSlot,
                                id: Int, limit: Int, dirty: inout [Int]) {
        let backlog = slot.pending
        if backlog > 0 {
            slot.out.append(contentsOf: UnsafeBufferPointer(rebasing: frames[range]))
            if backlog <= limit && backlog + range.count > limit { dirty.append(id) }
            return
        }
        if slot.shared.isEmpty {
            dirty.append(id)
            slot.shared.append(range)
        } else if slot.shared[slot.shared.count - 1].upperBound == range.lowerBound {
            slot.shared[slot.shared.count - 1] = slot.shared[slot.shared.count - 1].lowerBound..<range.upperBound
        } else {
            slot.shared.append(range)
        }
    }

    private func flushDirty() {
        // Flushing can end a session (one too far behind), and its quit is delivered to the
        // others as new ranges of this turn's frames: flush again until nothing refers to them.
        while !dirty.isEmpty {
            let list = dirty
            dirty.removeAll(keepingCapacity: true)
            for id in list where slots[id] != nil { flush(slot: id) }
        }
        // Every slot with shared ranges was dirty and is flushed: the turn's frames are done.
        if !turnFrames.isEmpty { turnFrames.removeAll(keepingCapacity: turnFrames.capacity <= 1 << 20) }
    }

    /// Writes a slot's shared ranges with one `writev`; what the session did not take is
    /// copied into its own queue, so nothing refers to this turn's frames afterwards.
    private func flushShared(slot id: Int) -> Result<IOResult, SystemError> {
        let fd = slots[id]!.channel
        let result: Result<IOResult, SystemError> = turnFrames.withUnsafeBytes { frames in
            let r = Result { () throws(SystemError) in try FD.writev(fd, frames.baseAddress!, slots[id]!.shared) }
            var written = 0
            if case .success(.done(let n)) = r { written = n }
            if case .failure = r { slots[id]!.shared.removeAll(keepingCapacity: true); return r }
            for range in slots[id]!.shared {
                if written >= range.count { written -= range.count; continue }
                slots[id]!.out.append(contentsOf: UnsafeRawBufferPointer(rebasing: frames[(range.lowerBound + written)..<range.upperBound])
                    .assumingMemoryBound(to: UInt8.self))
                written = 0
            }
            slots[id]!.shared.removeAll(keepingCapacity: true)
            return r
        }
        return result
    }

    private func flush(slot id: Int) {
        guard slots[id] != nil, slots[id]!.eofAt == nil else { return }
        if !slots[id]!.shared.isEmpty {
            let r = flushShared(slot: id)
            if case .failure = r { return sessionClosedChannel(id) }
            if case .success(.done(let n)) = r { stats.bytesOut += n }
            return slots[id]!.pending == 0 ? drained(slot: id) : afterShortWrite(slot: id)
        }
        // Mutated in place: a copy of the slot would copy its whole queue.
        let result: Result<IOResult, SystemError> = slots[id]!.withPending { fd, raw in
            Result { () throws(SystemError) in try FD.write(fd, raw) }
        }
        switch result {
        case .success(.done(let n)):
            stats.bytesOut += n
            if slots[id]!.consume(n) { return drained(slot: id) }
        case .success(.wouldBlock), .success(.eof):
            break
        case .failure:
            return sessionClosedChannel(id)
        }
        afterShortWrite(slot: id)
    }

    /// Everything written: stop watching for the channel to become writable.
    private func drained(slot id: Int) {
        guard slots[id]!.waitingForWritable else { return }
        slots[id]!.waitingForWritable = false
        try? epoll.modify(slots[id]!.channel, events: Epoll.readable, data: Tag.session.with(id))
    }

    /// The session did not take everything: end it if it is too far behind, else wait until
    /// its channel is writable.
    private func afterShortWrite(slot id: Int) {
        let pending = slots[id]!.pending
        if pending > config.hubQueueLimit {
            let pid = slots[id]!.pid
            log.warning("session \(id) (pid \(pid)) fell \(pending) bytes behind; ending it")
            stats.queueOverflows += 1
            Proc.signal(pid, SIGKILL)
            return endSession(id, reason: "Send queue exceeded")
        }
        if !slots[id]!.waitingForWritable {
            slots[id]!.waitingForWritable = true
            try? epoll.modify(slots[id]!.channel, events: Epoll.readable | Epoll.writable, data: Tag.session.with(id))
        }
    }

    // MARK: Signals

    private func handleSignals() {
        for sig in signals.drain() {
            switch sig {
            case SIGCHLD: reap()
            case SIGTERM, SIGINT:
                if shutdownDeadline == nil {
                    beginShutdown(reason: "Server shutting down", grace: 5)
                } else {
                    log.notice("second \(Proc.signalName(sig)): stopping now")
                    finishShutdown()
                }
            case SIGHUP: reload()
            case SIGUSR1: log.notice("\(statisticsLine())")
            default: break
            }
        }
    }

    private func reap() {
        let now = Proc.monotonicNanos()
        Proc.reapChildren { pid, status in
            if pid == spawnerPID {
                spawnerPID = 0
                spawnerLost("it exited (\(status))")
            } else if slotOfPID[pid] != nil {
                sessionExited(pid, status)
            } else {
                unclaimedExits[pid] = (status, now)
            }
        }
        unclaimedExits = unclaimedExits.filter { now - $0.value.at < 10_000_000_000 }
        if shutdownDeadline != nil && liveSessions == 0 && slotOfPID.isEmpty { exitRequested = true }
    }

    private func sessionExited(_ pid: pid_t, _ status: Proc.ExitStatus) {
        guard let id = slotOfPID.removeValue(forKey: pid) else { return }
        guard let s = slots[id], s.pid == pid else { return }
        let reason: String
        switch status {
        case .exited(0): reason = "Connection closed"
        case .exited(let c): reason = "Session ended (exit \(c))"
        case .signaled(SIGKILL): reason = "Session killed"
        case .signaled(let sig): reason = "Session crashed (\(Proc.signalName(sig)))"
        }
        if case .signaled(let sig) = status, sig != SIGKILL {
            log.warning("session \(id) pid \(pid) died: \(status)")
        }
        endSession(id, reason: reason)
    }

    /// SIGHUP (or `reload` at the console): reopens the log first (so rotation works even
    /// when the rest fails), then reads the config file and the MOTD again, all or nothing.
    /// New limits apply to new connections (flood control) or at once (the others).
    /// Returns the error, if the settings could not be read.
    @discardableResult
    func reload(by who: String = "SIGHUP") -> String? {
        LogOutput.shared.reopen()
        log.notice("\(who): reopened the log; reading the MOTD\(config.configFile == nil ? "" : " and " + config.configFile!) again")
        do {
            let changes = try config.reload()
            state.updateSettings(config.chatSettings())
            log.notice("reload: \(changes.isEmpty ? "nothing changed" : changes.joined(separator: ", "))")
            return nil
        } catch {
            log.error("reload failed, keeping the old settings: \(error)")
            return "\(error)"
        }
    }

    // MARK: Shutdown

    /// Tells everyone, asks every session to close, and stops accepting; stragglers are
    /// killed after `grace` seconds.
    func beginShutdown(reason: String, grace: Int) {
        log.notice("shutting down: \(reason)")
        state.serverNotice(reason)
        let frame = HubEvent.disconnect(reason: reason).frame()
        for (id, s) in slots.enumerated() where s != nil { deliver(frame, to: id) }
        for l in listeners { epoll.remove(l.fd); FD.close(l.fd) }
        listeners.removeAll()
        for h in hooks { h.shutdown(hub: self) }
        shutdownDeadline = Proc.monotonicNanos() + UInt64(grace) * 1_000_000_000
        if liveSessions == 0 { exitRequested = true }
    }

    private func finishShutdown() {
        for pid in slotOfPID.keys { Proc.signal(pid, SIGKILL) }
        // Reap what we just killed (bounded): no zombies left behind.
        let until = Proc.monotonicNanos() + 1_000_000_000
        while !slotOfPID.isEmpty && Proc.monotonicNanos() < until {
            Proc.reapChildren { pid, _ in slotOfPID[pid] = nil }
            var p = [pollfd(fd: signals.fd, events: Poll.readable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 20)
            _ = signals.drain()
        }
        exitRequested = true
    }

    // MARK: Statistics

    func statisticsLine() -> String {
        let up = Double(Proc.monotonicNanos() - startedAt) / 1e9
        return "stats: uptime \(Int(up))s, clients \(liveSessions) (registered \(state.registeredCount)), "
            + "channels \(state.channels.count), sessions forked \(stats.sessionsForked), "
            + "requests \(stats.requests), frames out \(stats.framesOut), bytes in \(stats.bytesIn), "
            + "bytes out \(stats.bytesOut), refused \(stats.refused), corrupt frames \(stats.corruptFrames), "
            + "queue overflows \(stats.queueOverflows), hub queue \(slots.reduce(0) { $0 + ($1?.pending ?? 0) }) bytes"
    }
}

struct HubStatistics {
    var sessionsForked = 0
    var requests = 0
    var framesOut = 0
    var bytesIn = 0
    var bytesOut = 0
    var refused = 0
    var forkFailures = 0
    var corruptFrames = 0
    var queueOverflows = 0
    var acceptBackoffs = 0
}

/// Something else the hub's loop serves: the operator console, the control socket.
protocol HubHook: AnyObject {
    func register(in hub: Hub, index: Int) throws
    func handle(events: UInt32, data: UInt64, hub: Hub)
    func nextDeadline() -> UInt64?
    func tick(now: UInt64, hub: Hub)
    func banReason(host: String) -> String?
    func shutdown(hub: Hub)
}

extension HubHook {
    func nextDeadline() -> UInt64? { nil }
    func tick(now: UInt64, hub: Hub) {}
    func banReason(host: String) -> String? { nil }
    func shutdown(hub: Hub) {}
}
