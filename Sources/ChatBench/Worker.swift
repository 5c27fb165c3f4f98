import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// One forked worker: owns every client whose number is `index` modulo the worker count,
/// drives them with one epoll loop over non-blocking sockets, and reports to the parent.
///
/// Cost per received line: one `memchr` for the line end, a scan for the marker, the parse
/// and checksum of about 64 bytes, a few array updates and a histogram record. Lines are
/// parsed in place in one read buffer; only a partial last line is copied (to the client's
/// carry area). No allocation per line.
final class Worker {
    enum State: UInt8 { case waiting = 0, connecting, greeting, joining, ready, dead, handshaking }
    enum Phase { case connecting, idle, settling, running, draining, reported }

    static let controlTag = UInt64.max
    static let carryCap = 2048
    static let readCap = 256 * 1024

    let cfg: BenchConfig
    let index: Int
    let layout: SharedLayout
    let shared: SharedCounters
    let report: Int32
    let epoll: Epoll
    var control: WireReader

    // Clients (struct of arrays, fixed at start).
    let n: Int
    let S: Int
    let fds: UnsafeMutableBufferPointer<Int32>
    let gids: UnsafeMutableBufferPointer<Int>
    let states: UnsafeMutableBufferPointer<State>
    let kinds: UnsafeMutableBufferPointer<ClientKind>
    let startedAt: UnsafeMutableBufferPointer<UInt64>
    let senderOf: UnsafeMutableBufferPointer<Int>  // local sender index or -1
    let carry: UnsafeMutablePointer<UInt8>
    let carryLen: UnsafeMutableBufferPointer<Int>  // -1: skipping the rest of an overlong line

    // Receiving: per (client, sender) the next expected sequence number.
    let expected: UnsafeMutableBufferPointer<UInt64>
    let uniq: UnsafeMutableBufferPointer<UInt64>
    let dups: UnsafeMutableBufferPointer<UInt64>
    let reordered: UnsafeMutableBufferPointer<UInt64>
    let receiversAtStart: UnsafeMutableBufferPointer<UInt64>
    /// Missing ranges per (client, sender) pair; only touched when something went wrong.
    var gaps: [Int: [Range<UInt64>]] = [:]
    var totalUniq: UInt64 = 0
    var counts = LineCounts()
    var hist = Histogram<UInt64>.latency()
    var registration = Histogram<UInt64>.latency()
    /// Paced runs: per (sender, seq) the first and last delivery latency seen here, +1 (0: none).
    let lineCap: Int
    let firstLat: UnsafeMutableBufferPointer<UInt64>
    let lastLat: UnsafeMutableBufferPointer<UInt64>

    // Sending.
    struct Sender {
        var client: Int
        var id: Int
        var nextSeq: UInt64 = 0
        var buf: UnsafeMutablePointer<UInt8>
        var cap: Int
        var off = 0
        var len = 0
        var blocked = false
        var finished = false
        /// What precedes each payload when it is the sender's own (a community's targets).
        var prefix: [UInt8]?
    }
    var senders: [Sender] = []
    var prefix: [[UInt8]] = [[], [], [], []]  // per client kind, before the payload
    var suffix: [[UInt8]] = [[0x0D, 0x0A], [0x0D, 0x0A], [0x0A], [0x0D, 0x00]]  // a typist's Enter is CR NUL

    // Connecting.
    var nextToConnect = 0
    var inFlight = 0
    let maxInFlight: Int
    var readyCount = 0
    var connectFailed = 0
    var registerFailed = 0
    var dropped = 0
    var firstReady = UInt64.max
    var lastReady: UInt64 = 0
    let workerStart: UInt64

    // Phases.
    var phase = Phase.connecting
    var base: UInt64 = 0
    var endTime: UInt64 = 0
    var lastInput: UInt64 = 0
    var settleStart: UInt64 = 0
    var exitRequested = false
    var lastDrainCheck: UInt64 = 0
    var lastPublish: UInt64 = 0
    var notes: [String] = []

    let readBuf: UnsafeMutableRawPointer
    /// `--tls`: every client's TLS connection (nil: plain TCP).
    let tls: TLSClients?

    init(cfg: BenchConfig, index: Int, clients: [Int], shared: SharedCounters, control: Int32, report: Int32) throws(SystemError) {
        self.cfg = cfg
        self.index = index
        self.shared = shared
        self.report = report
        self.control = WireReader(fd: control)
        layout = SharedLayout(senders: cfg.senders, workers: cfg.workers)
        epoll = try Epoll(capacity: 1024)
        n = clients.count
        S = cfg.senders
        fds = .allocate(capacity: n); fds.initialize(repeating: -1)
        gids = .allocate(capacity: n); _ = gids.initialize(from: clients)
        states = .allocate(capacity: n); states.initialize(repeating: .waiting)
        kinds = .allocate(capacity: n)
        for i in 0..<n { kinds[i] = cfg.kind(of: clients[i]) }
        startedAt = .allocate(capacity: n); startedAt.initialize(repeating: 0)
        senderOf = .allocate(capacity: n); senderOf.initialize(repeating: -1)
        carry = .allocate(capacity: max(n, 1) * Self.carryCap)
        carryLen = .allocate(capacity: n); carryLen.initialize(repeating: 0)
        expected = .allocate(capacity: max(n * S, 1)); expected.initialize(repeating: 0)
        uniq = .allocate(capacity: max(S, 1)); uniq.initialize(repeating: 0)
        dups = .allocate(capacity: max(S, 1)); dups.initialize(repeating: 0)
        reordered = .allocate(capacity: max(S, 1)); reordered.initialize(repeating: 0)
        receiversAtStart = .allocate(capacity: max(S, 1)); receiversAtStart.initialize(repeating: 0)
        lineCap = cfg.linesPerSenderBound
        firstLat = .allocate(capacity: max(S * lineCap, 1)); firstLat.initialize(repeating: 0)
        lastLat = .allocate(capacity: max(S * lineCap, 1)); lastLat.initialize(repeating: 0)
        readBuf = .allocate(byteCount: Self.carryCap + Self.readCap, alignment: 16)
        maxInFlight = max(1, cfg.connectConcurrency / max(cfg.workers, 1))
        workerStart = Proc.monotonicNanos()
        prefix[Int(ClientKind.irc.rawValue)] = Array("PRIVMSG \(cfg.ircChannel) :".utf8)
        do { tls = cfg.tls ? try TLSClients(clients: n) : nil } catch { throw SystemError("TLS client context", errno: 0, detail: "\(error)") }

        let lineMax = 64 + max(cfg.lineSize, 64) + 2
        for i in 0..<n where gids[i] < S {
            let cap = lineMax * max(cfg.batch, 1) + 4096
            senderOf[i] = senders.count
            var sender = Sender(client: i, id: gids[i], buf: .allocate(capacity: cap), cap: cap)
            if let plan = cfg.community { sender.prefix = Array(plan.prefix(gids[i], nick: cfg.nick).utf8) }
            senders.append(sender)
        }
        try epoll.add(control, events: Epoll.readable, data: Self.controlTag)
    }

    // MARK: The loop

    func run() -> Never {
        while !exitRequested {
            var now = Proc.monotonicNanos()
            if phase == .connecting {
                startConnects(now)
                checkRegistration(now)
            }
            let timeout = timeoutMS(now)
            do {
                try epoll.wait(timeoutMS: timeout) { data, events in
                    if data == Self.controlTag { handleControl() } else { handleClient(Int(data), events) }
                }
            } catch {
                note("epoll: \(error)")
                break
            }
            now = Proc.monotonicNanos()
            switch phase {
            case .settling:
                let quiet = UInt64(cfg.settleQuietMS) * 1_000_000
                if now - lastInput >= quiet || now - settleStart > 60_000_000_000 {
                    phase = .idle
                    send(WireMessage("q", [now - settleStart]))
                }
            case .running, .draining:
                if S > 0 {
                    // O(clients × senders): at most every 250 µs, not once per wake-up; not
                    // at all for a community, whose human rates never meet a window.
                    if cfg.community == nil && now - lastPublish > 250_000 {
                        lastPublish = now
                        publishLow()
                    }
                    sendStep(now)
                }
                if now >= endTime { phase = .draining }
                if phase == .draining && now - lastDrainCheck > 5_000_000 {
                    lastDrainCheck = now
                    checkDrained(now)
                }
            default: break
            }
            shared.store(layout.delivered(index), totalUniq)
        }
        for i in 0..<n where fds[i] >= 0 { FD.close(fds[i]) }
        Proc.exitImmediately(0)
    }

    func timeoutMS(_ now: UInt64) -> Int32 {
        switch phase {
        case .connecting, .settling, .draining: return 5
        case .idle, .reported: return -1
        case .running:
            if now >= endTime { return 0 }
            var t = Int32(clamping: (endTime - now) / 1_000_000 + 1)
            for k in senders.indices where !senders[k].finished && !senders[k].blocked {
                // A sender held by its window waits for receivers, which may be in another
                // worker (no wake-up from there): look again in a millisecond, never spin.
                if windowRoom(senders[k].id, senders[k].nextSeq) <= 0 {
                    t = min(t, 1)
                    continue
                }
                if cfg.paced {
                    let due = dueTime(senders[k].id, senders[k].nextSeq)
                    if due <= now { return 0 }
                    t = min(t, Int32(clamping: (due - now + 999_999) / 1_000_000))
                } else {
                    return 0
                }
            }
            return t
        }
    }

    // MARK: Control

    func handleControl() {
        if !control.fill() { exitRequested = true }
        while let m = control.next() {
            switch m.kind {
            case "Q":
                phase = .settling
                settleStart = Proc.monotonicNanos()
                lastInput = settleStart
            case "G":
                base = m.values[0]
                endTime = m.values[1]
                for s in 0..<S {
                    var r: UInt64 = 0
                    for i in 0..<n where states[i] == .ready && receives(i, s) { r += 1 }
                    receiversAtStart[s] = r
                }
                // Wait for the common start (a few milliseconds away).
                while Proc.monotonicNanos() < base {}
                lastInput = base
                phase = .running
            case "D":
                sendReport()
            case "X":
                exitRequested = true
            default:
                break
            }
        }
    }

    /// Whether local client `i` is owed sender `s`'s lines: every other client, or in a
    /// community the members of its channel or the one it writes to.
    func receives(_ i: Int, _ s: Int) -> Bool {
        guard let plan = cfg.community else { return gids[i] != s }
        return plan.receives(gids[i], from: s)
    }

    func send(_ m: WireMessage) {
        do { try m.send(to: report) } catch { exitRequested = true }
    }

    func note(_ text: String) {
        if notes.count < 8 { notes.append(text) }
    }

    // MARK: The end

    func checkDrained(_ now: UInt64) {
        for s in 0..<S where shared.load(layout.done(s)) != 1 {
            if now - lastInput > UInt64(cfg.drainTimeout * 1e9) && now > endTime + UInt64(cfg.drainTimeout * 1e9) {
                note("gave up waiting: sender \(s) never finished")
                sendReport()
            }
            return
        }
        var complete = gaps.isEmpty
        if complete {
            outer: for s in 0..<S {
                let sent = shared.load(layout.sent(s))
                for i in 0..<n where states[i] == .ready && receives(i, s) && expected[i * S + s] < sent {
                    complete = false
                    break outer
                }
            }
        }
        if complete || now - lastInput > UInt64(cfg.drainTimeout * 1e9) {
            if !complete { note("gave up waiting for missing lines after \(cfg.drainTimeout) s of silence") }
            sendReport()
        }
    }

    /// The final report (type F), then notes (type N, one per note). Idempotent.
    func sendReport() {
        guard phase != .reported else { return }
        phase = .reported
        var v: [UInt64] = [UInt64(readyCount), UInt64(connectFailed), UInt64(registerFailed), UInt64(dropped)]
        v += counts.values  // 4...10
        v += [
            firstReady == .max ? 0 : firstReady, lastReady,
            UInt64(gaps.values.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1.count) } }),
            UInt64(S), UInt64(lineCap),
        ]
        var sentLocal = [UInt64](repeating: 0, count: S)
        for snd in senders { sentLocal[snd.id] = snd.nextSeq }
        for s in 0..<S {
            v += [sentLocal[s], uniq[s], dups[s], reordered[s], receiversAtStart[s]]
        }
        let h = hist.flattened()
        v.append(UInt64(h.count)); v += h
        let r = registration.flattened()
        v.append(UInt64(r.count)); v += r
        if lineCap > 0 {
            v += Array(firstLat)
            v += Array(lastLat)
        }
        send(WireMessage("F", v))
        for t in notes { send(WireMessage("N", Array(t.utf8).map { UInt64($0) })) }
        send(WireMessage("E"))
    }
}
