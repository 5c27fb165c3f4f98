import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc
#endif

/// The forked child that owns one client connection. It filters and frames the client's
/// bytes, hands the lines to its `Conversation` (the client's dialect) and the hub's events
/// too, and sends what the conversation put in `output`. It waits on three descriptors: the
/// client socket, its channel to the hub (one end of a socket pair: requests up, events down)
/// and its signals.
///
/// The loop is here; client input (`+ClientInput`), choosing the dialect (`+Dialect`), hub
/// events (`+HubEvents`), timers (`+Timers`) and signals (`+Signals`) in their own files.
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
    /// What goes to the client and the hub, and whether we are on our way out.
    var output: SessionOutput
    var telnet = TelnetFilter()
    /// The input line of a telnet user in character mode; nil in line mode and for IRC.
    var screen: TelnetScreen?
    /// Character mode offered late, at a person's first line (`+LateOffer`).
    var lateOffer = LateCharacterModeOffer()
    var framer: LineFramer
    var events = FrameDecoder()
    /// nil until the dialect is decided (the first line, or the quiet period).
    var conversation: Conversation?
    var flood: TokenBucket
    /// Lines framed but not yet handed on, held by flood control.
    var pendingLines: [[UInt8]] = []
    var pendingStart = 0
    /// Indexes in `pendingLines` of lines that were too long (empty markers, handled in order).
    var overlongMarkers = Set<Int>()
    var clientGone = false
    var lastHeard: UInt64
    var pingSent = false
    let startedAt: UInt64
    /// Once: the signal that comes with the hub's death and the end of its channel can both
    /// lead to `hubLost` in the same turn.
    var toldHubLost = false
    /// One read buffer for the socket and the hub channel. Not zero-filled: an idle session
    /// touches (and so owns) only the pages its reads actually fill.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 4096)
    /// Bytes read since memory was last given back, and when to give it back next: a second
    /// after a burst of reads (4 KiB or more) ends. A NAMES reply for a crowded channel or a
    /// joined channel's history leaves buffers and heap pages behind that an idle session
    /// does not need.
    var readSinceRelease = 0
    var releaseAt = UInt64.max
    var dialectDecided = false
    /// The record layer, on a TLS port (`+TLS`); nil on a plain one.
    var tls: SessionTLS?
    /// Nothing read from the client yet: its first bytes may be a TLS ClientHello.
    var firstRead = true
    /// Waits for the client (data 0), the hub (1) and the signals (2): one registration for
    /// the session's life, changed only when what the loop waits for changes (poll(2) would
    /// register and unregister all three on every wake-up, once per delivered line).
    private let readiness: Epoll?
    private var interest: (client: UInt32, hub: UInt32) = (Epoll.readable, Epoll.readable)
    /// The server's offset from UTC when the session started, for telnet users' timestamps.
    /// Looked up by the spawner (a session has no /etc/localtime in its sandbox, and reading
    /// it would write to the C library's time zone globals, a page copied per session).
    let utcOffset: Int

    /// The exit status of a session that could not enter its sandbox.
    static let sandboxFailureStatus: Int32 = 4

    /// What a session takes from its signalfd. A stored constant, so that the spawner's
    /// rehearsal has already initialised it (see `SessionRehearsal`).
    static let handledSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Runs in the child right after fork; never returns. `probe`: for the tests only.
    static func start(socket: Int32, hub: Int32, hubPID: pid_t, peer: SocketAddress,
                      config: SessionConfig, utcOffset: Int, tls: TLSContext? = nil, probe: SandboxProbe? = nil) -> Never {
        SignalQueue.resetInChild()
        Proc.dieWithParent(SIGTERM)
        if Proc.parentPID != hubPID { Proc.exitImmediately(1) }
        // Our two descriptors to 3 and 4; everything else inherited from the hub closed
        // (stderr stays until the sandbox is up, for the one line that says it could not be).
        guard (try? FD.keepOnly([socket, hub], movingTo: socketFD)) != nil else { Proc.exitImmediately(2) }
        // The signalfd takes 5 and the session's epoll 6, the first free numbers, before 0 and
        // 1 are freed.
        guard let signals = try? SignalQueue(handledSignals) else { Proc.exitImmediately(3) }
        let session = SessionProcess(config: config, peer: peer, socket: socketFD, hub: hubFD, signals: signals,
                                     utcOffset: utcOffset)
        if config.tlsPort != 0 {
            // Before the sandbox: the connection's first allocations are OpenSSL's own.
            guard let tls, let record = try? SessionTLS(context: tls, port: config.tlsPort, queueLimit: config.queueLimit) else {
                Proc.exitImmediately(5)  // no certificate in the spawner: the hub refuses TLS then
            }
            session.tls = record
            TLSContext.signElsewhere(through: SessionKeySigner.sign)
        }
        FD.close(0)
        FD.close(1)
        Proc.setName("chat-session")
        // One step below the hub: a frame for fifty sessions is written by the hub without a
        // woken session taking its processor first, and the first of them is on its way sooner
        // (first-delivery p99 0.44 -> 0.22 ms in the latency benchmark; see docs/BENCHMARKS.md).
        Proc.lowerPriority(by: 1)
        SignalQueue.ignore(SIGUSR1)
        // From here on: only the system calls the loop needs, on our own descriptors (see
        // CLinux/sandbox.h). A session that cannot be confined does not serve anyone.
        probe?.beforeFilter()
        do {
            try Proc.enterSessionSandbox(readable: [socketFD, hubFD, signals.fd], writable: [socketFD, hubFD])
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-session \(Proc.pid): could not enter the sandbox (\(error)); closing the connection\n")
            Proc.exitImmediately(sandboxFailureStatus)
        }
        // The server's terminal or log is not ours to write (the filter refuses it anyway).
        FD.close(2)
        probe?.underFilter(client: socketFD)
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
        output = SessionOutput(queueLimit: config.queueLimit)
        telnet.offersCharacterMode = true
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

    /// Ends the session on its own: the client is told why in its dialect (as a person, before
    /// the dialect is decided), the hub unless it is the one gone.
    func end(_ why: Farewell) {
        output.sendLine(conversation?.farewell(why) ?? HumanConversation.farewell(why))
        output.close(reason: why.reason, tellHub: why.tellsHub)
    }

    // MARK: The loop

    func run() {
        while !output.isClosing {
            if !turn(timeoutMS: nextTimeoutMS()) { break }
        }
        finish()
    }

    /// One turn of the loop: wait up to `timeoutMS` for the client, the hub or a signal, then
    /// do what they brought. False when polling failed (the session is then closing).
    func turn(timeoutMS: Int32) -> Bool {
        guard let readiness else {
            output.close(reason: "Session error (no epoll)")
            return false
        }
        let throttled = pendingStart < pendingLines.count
        // Waiting for a sync the session reads nothing from its client (back pressure: the
        // rest stays in the socket), but still hears it hang up.
        let paused = output.pendingSync != nil
        let client = (clientGone ? 0 : paused ? Epoll.hangup
                      : throttled && pendingLines.count - pendingStart > floodQueueLimit ? 0 : Epoll.readable)
            | (clientHasOutput ? Epoll.writable : 0)
        let hub = (output.hubGone || output.toClient.overLimit ? 0 : Epoll.readable)
            | (output.toHub.isEmpty || output.hubGone ? 0 : Epoll.writable)
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
            output.close(reason: "Session error (\(error))")
            return false
        }
        let incoming = Epoll.readable | Epoll.hangup | Epoll.error
        // What this turn sends the client from here on goes above a character-mode input row.
        let mark = output.toClient.endIndex
        if ready.signals != 0 { handleSignals() }
        if ready.hub & incoming != 0 { readEvents() }
        if ready.client & incoming != 0 {
            // Paused, a hang-up ends the session (what the client sent last is not read).
            if paused { clientGone = true } else { readClient() }
        }
        processPending()
        timers()
        if screen != nil { finishCharacterModeTurn(from: mark) }
        if let tls {
            if !clientGone && !flushTLS(tls) { clientGone = true }
        } else if !output.toClient.isEmpty && !clientGone && !output.toClient.flush(to: socketFD) { clientGone = true }
        if output.toClient.overLimit || tls?.wire.overLimit == true {
            output.close(reason: "Send queue exceeded")
        }
        if clientGone && !output.isClosing { output.close(reason: "Connection closed") }
        if !output.toHub.isEmpty && !output.hubGone && !output.toHub.flush(to: hubFD) { output.hubGone = true }
        if readSinceRelease >= 4096 { releaseAt = Proc.monotonicNanos() + 1_000_000_000 }
        return true
    }

    /// Last words: flush what we can for a short, bounded time, then leave.
    private func finish() {
        // Last words for the client: up to 2 s, but well within a second once the hub is gone
        // (nothing keeps a session alive after its hub, whoever is not reading).
        let deadline = Proc.monotonicNanos() + (output.hubGone ? 500_000_000 : 2_000_000_000)
        while Proc.monotonicNanos() < deadline {
            if !output.hubGone && !output.toHub.isEmpty && !output.toHub.flush(to: hubFD) { output.hubGone = true }
            if let tls {
                if !clientGone && !flushTLS(tls) { clientGone = true }
            } else if !clientGone && !output.toClient.isEmpty && !output.toClient.flush(to: socketFD) { clientGone = true }
            let hubDone = output.hubGone || output.toHub.isEmpty
            let clientDone = clientGone || !clientHasOutput || output.toClient.overLimit
            if hubDone && clientDone { break }
            var p = [pollfd(fd: socketFD, events: clientDone ? 0 : Poll.writable, revents: 0),
                     pollfd(fd: hubFD, events: hubDone ? 0 : Poll.writable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 100)
        }
        Socket.shutdownWrite(socketFD)
        FD.close(socketFD)
    }

    /// Lines that flood control holds back beyond this are abuse, not a paste.
    var floodQueueLimit: Int { max(config.floodBurst * 10, 50) }
}
