import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// What a session needs to know, fixed at fork time.
struct SessionConfig {
    var serverName: String
    var floodRate: Double
    var floodBurst: Int
    var queueLimit: Int
    var maxLineLength: Int
    var registrationTimeout: Int
    var pingInterval: Int
    var pingTimeout: Int
    var quietPeriodMS: Int
}

/// A conversation with one client in one dialect.
protocol Conversation: AnyObject {
    /// The quiet period passed with no line: greet (human only).
    func start()
    func line(_ bytes: [UInt8])
    func overlongLine()
    func event(_ event: HubEvent)
    var isRegistered: Bool { get }
    /// IRC only: send a PING to check the peer.
    func ping()
    /// Renders a message event straight from its frame; false when the general path must.
    func fastMessage(_ m: MessageView) -> Bool
}

/// The forked child that owns one client connection. It filters and frames the client's
/// bytes, speaks the client's dialect, turns lines into hub requests and renders the hub's
/// events. It polls three descriptors: the client socket, its channel to the hub (one end of a
/// socket pair: requests up, events down) and its signals.
final class SessionProcess {
    static let socketFD: Int32 = 3
    static let hubFD: Int32 = 4

    let config: SessionConfig
    let peer: SocketAddress
    /// The client's socket and the channel to the hub: 3 and 4 in a session process, other
    /// numbers in the spawner's rehearsal (`SessionRehearsal`).
    let socketFD: Int32
    let hubFD: Int32
    /// nil in the rehearsal, which must not block the spawner's signals.
    let signals: SignalQueue?
    var toClient: SendQueue
    var toHub = SendQueue(limit: 1 << 20)
    var telnet = TelnetFilter()
    var framer: LineFramer
    var events = FrameDecoder()
    var conversation: Conversation?
    var flood: TokenBucket
    var pendingLines: [[UInt8]] = []
    var pendingStart = 0
    var closing: String?  // reason, once we are on our way out
    var hubGone = false
    var clientGone = false
    var lastHeard: UInt64
    var pingSent = false
    let startedAt: UInt64
    var sawBytes = false
    /// One read buffer for the socket and the hub channel. Not zero-filled: an idle session
    /// touches (and so owns) only the pages its reads actually fill.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 4096)
    /// Bytes read since memory was last given back, and when to give it back next: a second
    /// after a burst of reads (4 KiB or more) ends. A NAMES reply for a crowded channel or a
    /// joined channel's history leaves buffers and heap pages behind that an idle session
    /// does not need.
    private var readSinceRelease = 0
    private var releaseAt = UInt64.max
    var dialectDecided = false
    /// Waits for the client (data 0), the hub (1) and the signals (2): one registration for
    /// the session's life, changed only when what the loop waits for changes (poll(2) would
    /// register and unregister all three on every wake-up, once per delivered line).
    private let readiness: Epoll?
    private var interest: (client: UInt32, hub: UInt32) = (Epoll.readable, Epoll.readable)
    /// The server's offset from UTC when the session started, for telnet users' timestamps.
    /// Looked up by the spawner (a session has no /etc/localtime in its sandbox, and reading
    /// it would write to the C library's time zone globals, a page copied per session).
    let utcOffset: Int

    /// What a session takes from its signalfd. A stored constant, so that the spawner's
    /// rehearsal has already initialised it (see `SessionRehearsal`).
    static let handledSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Runs in the child right after fork; never returns.
    static func start(socket: Int32, hub: Int32, hubPID: pid_t, peer: SocketAddress,
                      config: SessionConfig, utcOffset: Int) -> Never {
        SignalQueue.resetInChild()
        Proc.dieWithParent(SIGTERM)
        if Proc.parentPID != hubPID { Proc.exitImmediately(1) }
        // Our two descriptors to 3 and 4; everything else inherited from the hub closed
        // (stderr stays, so a crash report still reaches the server's log).
        guard (try? FD.keepOnly([socket, hub], movingTo: socketFD)) != nil else { Proc.exitImmediately(2) }
        // The signalfd takes 5 and the session's epoll 6, the first free numbers, before 0 and
        // 1 are freed.
        guard let signals = try? SignalQueue(handledSignals) else { Proc.exitImmediately(3) }
        let session = SessionProcess(config: config, peer: peer, socket: socketFD, hub: hubFD, signals: signals,
                                     utcOffset: utcOffset)
        FD.close(0)
        FD.close(1)
        Proc.setName("chat-session")
        // One step below the hub: a frame for fifty sessions is written by the hub without a
        // woken session taking its processor first, and the first of them is on its way sooner
        // (first-delivery p99 0.44 -> 0.22 ms in the latency benchmark; see docs/BENCHMARKS.md).
        Proc.lowerPriority(by: 1)
        SignalQueue.ignore(SIGUSR1)
        // From here on: only the system calls the loop needs (see CLinux/sandbox.h).
        do {
            try Proc.enterSessionSandbox()
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-session \(Proc.pid): could not enter the sandbox: \(error)\n")
        }
        session.run()
        Proc.exitImmediately(0)
    }

    deinit { buffer.deallocate() }

    init(config: SessionConfig, peer: SocketAddress, socket: Int32, hub: Int32, signals: SignalQueue?, utcOffset: Int) {
        self.config = config
        self.utcOffset = utcOffset
        self.peer = peer
        self.socketFD = socket
        self.hubFD = hub
        self.signals = signals
        toClient = SendQueue(limit: config.queueLimit)
        framer = LineFramer(maxLineLength: config.maxLineLength, editing: true)
        let now = Proc.monotonicNanos()
        flood = TokenBucket(rate: config.floodRate, burst: config.floodBurst, now: now)
        startedAt = now
        lastHeard = now
        readiness = try? Epoll(capacity: 3)
        try? readiness?.add(socket, events: Epoll.readable, data: 0)
        try? readiness?.add(hub, events: Epoll.readable, data: 1)
        if let signals { try? readiness?.add(signals.fd, events: Epoll.readable, data: 2) }
        try? FD.setNonBlocking(socket)
        try? FD.setNonBlocking(hub)
    }

    // MARK: Output used by the conversations

    func sendLine(_ line: String) {
        toClient.append(line)
        toClient.append("\r\n")
    }

    func sendRaw(_ text: String) { toClient.append(text) }

    func request(_ r: HubRequest) {
        guard !hubGone else { return }
        toHub.append(request: r)
    }

    /// Ends the session: the client gets `farewell` (already queued by the caller), the hub a
    /// quit with `reason` unless it asked us to leave.
    func close(reason: String, tellHub: Bool = true) {
        guard closing == nil else { return }
        closing = reason
        if tellHub { request(.quit(reason: reason)) }
    }

    // MARK: The loop

    func run() {
        while closing == nil {
            if !turn(timeoutMS: nextTimeoutMS()) { break }
        }
        finish()
    }

    /// One turn of the loop: wait up to `timeoutMS` for the client, the hub or a signal, then
    /// do what they brought. False when polling failed (the session is then closing).
    func turn(timeoutMS: Int32) -> Bool {
        guard let readiness else {
            close(reason: "Session error (no epoll)")
            return false
        }
        let throttled = pendingStart < pendingLines.count
        let client = (clientGone || (throttled && pendingLines.count - pendingStart > floodQueueLimit) ? 0 : Epoll.readable)
            | (toClient.isEmpty ? 0 : Epoll.writable)
        let hub = (hubGone || toClient.overLimit ? 0 : Epoll.readable) | (toHub.isEmpty || hubGone ? 0 : Epoll.writable)
        if client != interest.client {
            try? readiness.modify(socketFD, events: client, data: 0)
            interest.client = client
        }
        if hub != interest.hub {
            try? readiness.modify(hubFD, events: hub, data: 1)
            interest.hub = hub
        }
        var ready: (client: UInt32, hub: UInt32, signals: UInt32) = (0, 0, 0)
        let waited = Result { () throws(SystemError) in
            try readiness.wait(timeoutMS: timeoutMS) { data, events in
                switch data {
                case 0: ready.client = events
                case 1: ready.hub = events
                default: ready.signals = events
                }
            }
        }
        if case .failure(let error) = waited {
            close(reason: "Session error (\(error))")
            return false
        }
        let incoming = Epoll.readable | Epoll.hangup | Epoll.error
        if ready.signals != 0 { handleSignals() }
        if ready.hub & incoming != 0 { readEvents() }
        if ready.client & incoming != 0 { readClient() }
        processPending()
        timers()
        if !toClient.isEmpty && !clientGone && !toClient.flush(to: socketFD) { clientGone = true }
        if toClient.overLimit {
            close(reason: "Send queue exceeded")
        }
        if clientGone && closing == nil { close(reason: "Connection closed") }
        if !toHub.isEmpty && !hubGone && !toHub.flush(to: hubFD) { hubGone = true }
        if readSinceRelease >= 4096 { releaseAt = Proc.monotonicNanos() + 1_000_000_000 }
        return true
    }

    /// Last words: flush what we can for a short, bounded time, then leave.
    private func finish() {
        // Last words for the client: up to 2 s, but well within a second once the hub is gone
        // (nothing keeps a session alive after its hub, whoever is not reading).
        let deadline = Proc.monotonicNanos() + (hubGone ? 500_000_000 : 2_000_000_000)
        while Proc.monotonicNanos() < deadline {
            if !hubGone && !toHub.isEmpty && !toHub.flush(to: hubFD) { hubGone = true }
            if !clientGone && !toClient.isEmpty && !toClient.flush(to: socketFD) { clientGone = true }
            let hubDone = hubGone || toHub.isEmpty
            let clientDone = clientGone || toClient.isEmpty || toClient.overLimit
            if hubDone && clientDone { break }
            var p = [pollfd(fd: socketFD, events: clientDone ? 0 : Poll.writable, revents: 0),
                     pollfd(fd: hubFD, events: hubDone ? 0 : Poll.writable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 100)
        }
        Socket.shutdownWrite(socketFD)
        FD.close(socketFD)
    }

    private var floodQueueLimit: Int { max(config.floodBurst * 10, 50) }

    func nextTimeoutMS() -> Int32 {
        let now = Proc.monotonicNanos()
        var wait = UInt64.max
        func until(_ deadline: UInt64) { wait = min(wait, deadline > now ? deadline - now : 0) }
        if !dialectDecided { until(startedAt + UInt64(config.quietPeriodMS) * 1_000_000) }
        if pendingStart < pendingLines.count { wait = min(wait, flood.wait(now: now)) }
        if releaseAt != .max { until(releaseAt) }
        if conversation?.isRegistered != true {
            until(startedAt + UInt64(config.registrationTimeout) * 1_000_000_000)
        } else if conversation is IRCConversation {
            until(lastHeard + UInt64(pingSent ? config.pingTimeout : config.pingInterval) * 1_000_000_000)
        }
        return wait == .max ? -1 : Int32(clamping: wait / 1_000_000 + 1)
    }

    private func timers() {
        let now = Proc.monotonicNanos()
        if now >= releaseAt { releaseMemory(now: now) }
        if !dialectDecided && now >= startedAt + UInt64(config.quietPeriodMS) * 1_000_000 {
            decideDialect(firstLine: nil)
        }
        guard closing == nil, let conversation else { return }
        if !conversation.isRegistered {
            if now >= startedAt + UInt64(config.registrationTimeout) * 1_000_000_000 {
                if conversation is IRCConversation { sendLine("ERROR :Closing Link: Registration timeout") } else {
                    sendLine("*** Disconnected: you did not choose a nickname in time.")
                }
                close(reason: "Registration timeout")
            }
        } else if conversation is IRCConversation {
            if pingSent && now >= lastHeard + UInt64(config.pingTimeout) * 1_000_000_000 {
                sendLine("ERROR :Closing Link: Ping timeout")
                close(reason: "Ping timeout: \(config.pingTimeout) seconds")
            } else if !pingSent && now >= lastHeard + UInt64(config.pingInterval) * 1_000_000_000 {
                pingSent = true
                conversation.ping()
            }
        }
    }

    /// After a burst: the queues' and decoders' buffers, the read buffer's pages and the
    /// heap's free pages go back to the kernel. Postponed while anything still waits.
    private func releaseMemory(now: UInt64) {
        guard toClient.isEmpty && toHub.isEmpty && pendingStart == pendingLines.count else {
            releaseAt = now + 1_000_000_000
            return
        }
        releaseAt = .max
        readSinceRelease = 0
        toClient.releaseMemory()
        toHub.releaseMemory()
        events.releaseMemory()
        framer.releaseMemory()
        pendingLines = []
        pendingStart = 0
        Proc.discardPages(buffer)
        Proc.releaseFreeMemory()
    }

    private func handleSignals() {
        for sig in signals?.drain() ?? [] where sig == SIGTERM || sig == SIGINT {
            // A hub that died sends this as it goes (PR_SET_PDEATHSIG), its end of the channel
            // already closed: read what it left first, so that the user hears once, and rightly,
            // that the server went away (or gets the hub's own farewell, if it sent one).
            if !hubGone { readEvents() }
            if closing != nil { return }
            // The operator signalled this session directly.
            if conversation is IRCConversation {
                sendLine("ERROR :Closing Link: Server shutting down")
            } else {
                sendLine("*** The server is shutting down. Goodbye!")
            }
            close(reason: "Server shutting down")
        }
    }

    // MARK: Client input

    private func readClient() {
        let r: Result<IOResult, SystemError> = Result { () throws(SystemError) in try FD.read(socketFD, into: buffer) }
        switch r {
        case .success(.done(let n)):
            readSinceRelease += n
            sawBytes = true
            lastHeard = Proc.monotonicNanos()
            pingSent = false
            consume(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        case .success(.wouldBlock): break
        case .success(.eof), .failure: clientGone = true
        }
    }

    private func consume(_ bytes: UnsafeRawBufferPointer) {
        var data: [UInt8] = []
        let useTelnet = !(conversation is IRCConversation)
        if useTelnet {
            var replies: [UInt8] = []
            telnet.filter(bytes, data: &data, replies: &replies)
            if !replies.isEmpty { toClient.append(replies) }
            if telnet.sawNegotiation && !dialectDecided { decideDialect(firstLine: nil) }
        } else {
            data = Array(bytes)
        }
        defer {
            // Lines that flood control holds back beyond this are abuse, not a paste.
            processPending()
            if pendingLines.count - pendingStart > floodQueueLimit && closing == nil {
                sendLine(conversation is IRCConversation ? "ERROR :Closing Link: Excess flood"
                         : "*** Disconnected: you sent too much too fast (excess flood).")
                close(reason: "Excess flood")
            }
        }
        data.withUnsafeBytes { raw in
            framer.push(raw) { event in
                switch event {
                case .line(let line):
                    pendingLines.append(line)
                case .overlong:
                    pendingLines.append([])  // marker, handled in order
                    overlongMarkers.insert(pendingLines.count - 1)
                }
            }
        }
    }

    private var overlongMarkers = Set<Int>()

    /// Hands queued lines to the conversation as flood control allows.
    private func processPending() {
        while pendingStart < pendingLines.count && closing == nil {
            let index = pendingStart
            let line = pendingLines[index]
            if overlongMarkers.remove(index) != nil {
                pendingStart += 1
                if !dialectDecided { decideDialect(firstLine: nil) }
                conversation?.overlongLine()
                continue
            }
            if !dialectDecided {
                decideDialect(firstLine: line)
            }
            guard flood.take(now: Proc.monotonicNanos()) else { break }
            pendingStart += 1
            conversation?.line(line)
        }
        if pendingStart == pendingLines.count {
            pendingLines.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart > 256 {
            pendingLines.removeFirst(pendingStart)
            overlongMarkers = Set(overlongMarkers.map { $0 - pendingStart })
            pendingStart = 0
        }
    }

    /// The first line a client sends decides its dialect: an IRC registration command makes
    /// it an IRC client; anything else, or a quiet period with nothing, a person.
    private func decideDialect(firstLine: [UInt8]?) {
        guard !dialectDecided else { return }
        dialectDecided = true
        if let firstLine, Self.isIRCRegistration(firstLine) {
            conversation = IRCConversation(session: self)
            framer = LineFramer(maxLineLength: config.maxLineLength, editing: false)
            request(.hello(dialect: .irc))
        } else {
            let human = HumanConversation(session: self)
            conversation = human
            request(.hello(dialect: .human))
            human.start()
        }
    }

    static func isIRCRegistration(_ line: [UInt8]) -> Bool {
        var word: [UInt8] = []
        for b in line {
            if b == UInt8(ascii: " ") { if word.isEmpty { continue } else { break } }
            word.append(b)
            if word.count > 4 { return false }
        }
        let verb = String(decoding: word, as: UTF8.self).uppercased()
        return verb == "CAP" || verb == "NICK" || verb == "USER" || verb == "PASS"
    }

    // MARK: Hub events

    private func readEvents() {
        let r: Result<IOResult, SystemError> = Result { () throws(SystemError) in try FD.read(hubFD, into: buffer) }
        switch r {
        case .success(.done(let n)):
            readSinceRelease += n
            events.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            // Bound once per read, not once per frame.
            let fast = dialectDecided ? conversation : nil
            do {
                while closing == nil {
                    let took = try events.next { type, payload -> Bool in
                        // The hot path: a message rendered straight from the frame.
                        if type == HubMessageType.eventMessage.rawValue, let fast,
                           let view = MessageView(payload: payload), fast.fastMessage(view) {
                            return true
                        }
                        handle(try HubEvent(type: type, payload: payload))
                        return true
                    }
                    if took == nil { break }
                }
            } catch {
                hubLost("the server sent something I could not read (\(error))")
            }
        case .success(.wouldBlock): break
        case .success(.eof), .failure:
            hubLost("the server went away")
        }
    }

    private func handle(_ event: HubEvent) {
        if !dialectDecided { decideDialect(firstLine: nil) }
        conversation?.event(event)
        if case .disconnect = event { close(reason: "", tellHub: false) }
    }

    /// Once: the signal that comes with the hub's death and the end of its channel can both
    /// lead here in the same turn.
    private var toldHubLost = false

    private func hubLost(_ why: String) {
        hubGone = true
        guard !toldHubLost else { return }
        toldHubLost = true
        if conversation is IRCConversation {
            sendLine("ERROR :Closing Link: Server error (\(why))")
        } else {
            sendLine("*** Disconnected: \(why). Sorry!")
        }
        close(reason: why, tellHub: false)
    }
}
