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
            senders.append(Sender(client: i, id: gids[i], buf: .allocate(capacity: cap), cap: cap))
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
                    // O(clients × senders): at most every 250 µs, not once per wake-up.
                    if now - lastPublish > 250_000 {
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

    private func timeoutMS(_ now: UInt64) -> Int32 {
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

    private func handleControl() {
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
                    for i in 0..<n where states[i] == .ready && gids[i] != s { r += 1 }
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

    func send(_ m: WireMessage) {
        do { try m.send(to: report) } catch { exitRequested = true }
    }

    func note(_ text: String) {
        if notes.count < 8 { notes.append(text) }
    }

    // MARK: Connecting and registering

    private func startConnects(_ now: UInt64) {
        while nextToConnect < n && inFlight < maxInFlight {
            let i = nextToConnect
            nextToConnect += 1
            startedAt[i] = now
            do {
                let (fd, isConnected) = try Socket.startConnect(cfg.target)
                let pending = !isConnected
                fds[i] = fd
                Socket.setNoDelay(fd)
                inFlight += 1
                states[i] = .connecting
                try epoll.add(fd, events: pending ? Epoll.writable : Epoll.readable, data: UInt64(i))
                if !pending { connected(i) }
            } catch {
                connectFailed += 1
                states[i] = .dead
                note("connect: \(error)")
            }
        }
    }

    private func checkRegistration(_ now: UInt64) {
        if nextToConnect == n && inFlight == 0 {
            phase = .idle
            send(WireMessage("R", [UInt64(readyCount), UInt64(connectFailed), UInt64(registerFailed),
                                   firstReady == .max ? 0 : firstReady, lastReady]))
            for t in notes { send(WireMessage("N", Array(t.utf8).map { UInt64($0) })) }
            notes.removeAll()
            return
        }
        if Double(now - workerStart) / 1e9 > cfg.registerTimeout {
            for i in 0..<n where states[i] != .ready && states[i] != .dead {
                if states[i] == .waiting { states[i] = .dead; registerFailed += 1; continue }
                fail(i, "registration timed out")
            }
            nextToConnect = n
            inFlight = 0
        }
    }

    private func connected(_ i: Int) {
        try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i))
        if let tls, states[i] == .connecting {
            // The handshake first; the dialect starts when it is done (`readTLS`).
            states[i] = .handshaking
            if !tls.start(i, fd: fds[i]) { return fail(i, "TLS: cannot start the handshake") }
            if tls.hasPending(i) { try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i)) }
            return
        }
        switch kinds[i] {
        case .raw:
            becomeReady(i)
        case .irc:
            states[i] = .greeting
            let nick = cfg.nick(gids[i])
            writeSmall(i, "NICK \(nick)\r\nUSER \(nick) 0 * :chat-bench\r\n")
        case .human:
            states[i] = .greeting
        case .typist:
            // inetutils telnet's opening (DO SGA, WILL TTYPE, WILL NAWS), and DO ECHO ahead of
            // the server's WILL ECHO: character mode, no terminal type (no escapes, no colour).
            states[i] = .greeting
            let opening: [UInt8] = [255, 253, 3, 255, 251, 24, 255, 251, 31, 255, 253, 1]
            if case .done(let k)? = opening.withUnsafeBytes({ write(i, $0) }) { counts.bytesOut += UInt64(k) }
        }
    }

    private func becomeReady(_ i: Int) {
        states[i] = .ready
        readyCount += 1
        inFlight -= 1
        let now = Proc.monotonicNanos()
        registration.record(now - startedAt[i])
        firstReady = min(firstReady, now)
        lastReady = max(lastReady, now)
    }

    /// A client went away or failed; counted by what it was doing.
    private func fail(_ i: Int, _ why: String) {
        guard states[i] != .dead else { return }
        switch states[i] {
        case .connecting, .handshaking: connectFailed += 1; inFlight -= 1
        case .greeting, .joining: registerFailed += 1; inFlight -= 1
        case .ready:
            dropped += 1
            readyCount -= 1
            if let k = senderOf[i] >= 0 ? senderOf[i] : nil { finishSender(k) }
        default: break
        }
        note("client \(gids[i]): \(why)")
        states[i] = .dead
        if fds[i] >= 0 {
            epoll.remove(fds[i])
            FD.close(fds[i])
            fds[i] = -1
        }
        tls?.end(i)
    }

    /// Registration-time and control writes (nick, JOIN, PONG): small, rare; a sender's go
    /// through its buffer so they never split one of its lines.
    private func writeSmall(_ i: Int, _ text: String) {
        let bytes = Array(text.utf8)
        if senderOf[i] >= 0 {
            let k = senderOf[i]
            if senders[k].len + bytes.count <= senders[k].cap {
                (senders[k].buf + senders[k].len).update(from: bytes, count: bytes.count)
                senders[k].len += bytes.count
                if !senders[k].blocked { flush(k) }
                return
            }
        }
        let r = bytes.withUnsafeBytes { raw in write(i, raw) }
        if case .done(let k)? = r, k == bytes.count { counts.bytesOut += UInt64(k); return }
        note("client \(gids[i]): could not write a control line at once")
    }

    // MARK: Receiving

    private func handleClient(_ i: Int, _ events: UInt32) {
        if states[i] == .connecting {
            let err = Socket.pendingError(fds[i])
            if err != 0 { return fail(i, "connect: \(String(cString: strerror(err)))") }
            if events & (Epoll.writable | Epoll.readable) != 0 { connected(i) }
            return
        }
        if events & (Epoll.readable | Epoll.hangup | Epoll.error) != 0 { tls == nil ? readClient(i) : readTLS(i) }
        if events & Epoll.writable != 0, senderOf[i] < 0, fds[i] >= 0, let tls {
            // Records of a control line (or the handshake) that did not fit at once.
            if tls.flushPending(i, fd: fds[i]) == .failed { return fail(i, "write failed") }
            if !tls.hasPending(i) { try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i)) }
        }
        if events & Epoll.writable != 0, senderOf[i] >= 0, fds[i] >= 0 {
            let k = senderOf[i]
            senders[k].blocked = false
            try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i))
            flush(k)
        }
    }

    private func readClient(_ i: Int) {
        let cl = max(carryLen[i], 0)
        if cl > 0 { readBuf.copyMemory(from: carry + i * Self.carryCap, byteCount: cl) }
        let r = try? FD.read(fds[i], into: UnsafeMutableRawBufferPointer(start: readBuf + cl, count: Self.readCap))
        switch r {
        case .done(let k)?:
            let now = Proc.monotonicNanos()
            lastInput = now
            counts.bytesIn += UInt64(k)
            lines(i, readBuf.assumingMemoryBound(to: UInt8.self), cl, cl + k, now)
        case .wouldBlock?:
            break
        case .eof?, nil:
            fail(i, "connection closed by the server")
        }
    }

    /// `readClient` for a TLS client: records from the socket, each run of plaintext after the
    /// carry, as `readClient` puts the bytes it reads; the dialect starts with the handshake done.
    private func readTLS(_ i: Int) {
        guard let tls else { return }
        var now = Proc.monotonicNanos()
        var fresh = 0
        let r = tls.receive(i, fd: fds[i], room: {
            fresh = max(carryLen[i], 0)
            if fresh > 0 { readBuf.copyMemory(from: carry + i * Self.carryCap, byteCount: fresh) }
            return UnsafeMutableRawBufferPointer(start: readBuf + fresh, count: Self.readCap)
        }) { k in
            now = Proc.monotonicNanos()
            lastInput = now
            counts.bytesIn += UInt64(k)
            lines(i, readBuf.assumingMemoryBound(to: UInt8.self), fresh, fresh + k, now)
        }
        switch r {
        case .ok(let handshakeDone):
            if handshakeDone && states[i] == .handshaking { connected(i) }
            if tls.hasPending(i) && fds[i] >= 0 {
                try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
            }
        case .closed: fail(i, "connection closed by the server")
        case .failed(let why): fail(i, why)
        }
    }

    /// Writes to client `i`'s socket, or seals the bytes into TLS records (`.done` once they
    /// are taken; `.wouldBlock` while earlier records still wait for the socket).
    private func write(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> IOResult? {
        guard let tls else { return try? FD.write(fds[i], bytes) }
        switch tls.send(i, fd: fds[i], bytes) {
        case .taken: return .done(bytes.count)
        case .blocked: return .wouldBlock
        case .failed: return nil
        }
    }

    /// Handles every complete line in `p[0..<end]`; keeps the partial rest as the carry.
    /// `fresh` is where the new bytes start (a skipped overlong line ends in them).
    @inline(__always)
    private func lines(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ fresh: Int, _ end: Int, _ now: UInt64) {
        var start = 0
        while start < end {
            guard let nlRaw = memchr(p + start, 0x0A, end - start) else { break }
            let nl = UnsafeMutableRawPointer(nlRaw).assumingMemoryBound(to: UInt8.self) - p
            var e = nl
            if e > start && p[e - 1] == 0x0D { e -= 1 }
            if carryLen[i] < 0 {
                carryLen[i] = 0  // the end of an overlong line
            } else {
                var from = start
                if kinds[i] == .typist {
                    // The input row the server draws and clears with CR (and spaces) ends
                    // before the line's last CR: the line printed above it starts there.
                    var j = e
                    while j > start && p[j - 1] != 0x0D { j -= 1 }
                    from = j
                }
                line(i, p + from, e - from, now)
                if states[i] == .dead { return }
            }
            start = nl + 1
        }
        let rest = end - start
        if carryLen[i] < 0 { return }
        if rest > Self.carryCap {
            counts.overlong += 1
            carryLen[i] = -1
        } else {
            if rest > 0 { (carry + i * Self.carryCap).update(from: p + start, count: rest) }
            carryLen[i] = rest
            if rest > 0 && states[i] == .greeting && (kinds[i] == .human || kinds[i] == .typist) {
                // The nickname prompt has no line end.
                if contains(p + start, rest, "nickname") { askedNick(i) }
            }
        }
    }

    @inline(__always)
    private func line(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ now: UInt64) {
        if states[i] == .ready {
            let m = Payload.find(p, count)
            if m >= 0 {
                deliver(i, p + m, count - m, now)
                return
            }
            counts.otherLines += 1
            if kinds[i] == .irc && count > 5 && p[0] == 0x50 && p[1] == 0x49 && p[2] == 0x4E && p[3] == 0x47 && p[4] == 0x20 {
                registrationLine(i, p, count)  // PING: answered there
            } else if count >= 5 && (contains(p, min(count, 8), "ERROR") || contains(p, min(count, 20), "Disconnected")) {
                note("client \(gids[i]): \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))")
            }
            return
        }
        registrationLine(i, p, count)
    }

    private func registrationLine(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) {
        switch (kinds[i], states[i] == .ready ? .greeting : states[i]) {
        case (.human, .greeting), (.typist, .greeting):
            if contains(p, count, "nickname") { askedNick(i) }
        case (.human, .joining), (.typist, .joining):
            if contains(p, count, "You joined #lobby") { becomeReady(i) }
            else if contains(p, count, "!! ") {
                fail(i, "nick refused: \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))")
            }
        case (.irc, .greeting), (.irc, .joining):
            // Registration is rare and not timed per line: parse it properly.
            guard let msg = try? IRCMessage(parsing: UnsafeBufferPointer(start: p, count: count)) else { return }
            let text = String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self)
            switch (msg.verb, msg.numeric) {
            case ("PING", _):
                var pong = IRCMessage(command: "PONG", params: msg.params)
                pong.trailingColon = msg.trailingColon
                writeSmall(i, pong.serialized() + "\r\n")
            case ("ERROR", _):
                fail(i, "server error: \(text)")
            case (_, 1?) where states[i] == .greeting:
                states[i] = .joining
                writeSmall(i, "JOIN \(cfg.ircChannel)\r\n")
            case (_, 366?) where states[i] == .joining:
                becomeReady(i)
            case (_, 432?), (_, 433?), (_, 403?), (_, 405?), (_, 471?), (_, 473?), (_, 474?), (_, 475?):
                fail(i, "registration refused: \(text)")
            default:
                break
            }
        default:
            break
        }
    }

    private func askedNick(_ i: Int) {
        guard states[i] == .greeting else { return }
        states[i] = .joining
        // A human answers as nc does (LF): CR LF would have the server offer character mode.
        writeSmall(i, cfg.nick(gids[i]) + (kinds[i] == .typist ? "\r\u{0}" : "\n"))
    }

    @inline(__always)
    private func deliver(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ now: UInt64) {
        guard let m = Payload.parse(p, count), m.sender < S else {
            counts.corrupted += 1
            if counts.corrupted <= 3 { note("corrupt line at client \(gids[i]): \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))") }
            return
        }
        let s = m.sender
        if s == gids[i] { counts.echoes += 1; return }
        let pi = i &* S &+ s
        let exp = expected[pi]
        if m.seq == exp {
            expected[pi] = exp &+ 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else if m.seq > exp {
            gaps[pi, default: []].append(exp..<m.seq)
            expected[pi] = m.seq &+ 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else if fillGap(pi, m.seq) {
            reordered[s] &+= 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else {
            dups[s] &+= 1
            return
        }
        let sentAt = base &+ m.time
        let latency = now > sentAt ? now - sentAt : 0
        hist.record(latency)
        if lineCap > 0 && m.seq < UInt64(lineCap) {
            let li = s &* lineCap &+ Int(m.seq)
            let v = latency &+ 1
            if firstLat[li] == 0 || v < firstLat[li] { firstLat[li] = v }
            if v > lastLat[li] { lastLat[li] = v }
        }
    }

    /// A line from below the expected number: true if it fills a known gap (reordered),
    /// false if it was already received (duplicate).
    private func fillGap(_ pi: Int, _ seq: UInt64) -> Bool {
        guard var list = gaps[pi] else { return false }
        guard let k = list.firstIndex(where: { $0.contains(seq) }) else { return false }
        let r = list[k]
        list.remove(at: k)
        if r.lowerBound < seq { list.append(r.lowerBound..<seq) }
        if seq + 1 < r.upperBound { list.append(seq + 1..<r.upperBound) }
        gaps[pi] = list.isEmpty ? nil : list
        return true
    }

    @inline(__always)
    private func contains(_ p: UnsafePointer<UInt8>, _ count: Int, _ needle: StaticString) -> Bool {
        let q = needle.utf8Start
        let m = needle.utf8CodeUnitCount
        if count < m { return false }
        var i = 0
        while i + m <= count {
            if p[i] == q[0] && memcmp(p + i, q, m) == 0 { return true }
            i += 1
        }
        return false
    }

    // MARK: Sending

    /// When line `seq` of sender `id` is due. Senders are spread evenly over one interval,
    /// so that S paced senders make one smooth stream instead of S-line bursts.
    @inline(__always)
    private func dueTime(_ id: Int, _ seq: UInt64) -> UInt64 {
        base &+ UInt64((Double(seq) + phase(id)) / cfg.perSenderRate * 1e9)
    }

    @inline(__always)
    private func phase(_ id: Int) -> Double { Double(id) / Double(max(S, 1)) }

    /// The lowest next-expected line of each sender among this worker's live receivers.
    private func publishLow() {
        for s in 0..<S {
            var m = UInt64.max
            var i = 0
            while i < n {
                if states[i] == .ready && gids[i] != s { m = min(m, expected[i &* S &+ s]) }
                i += 1
            }
            shared.store(layout.low(index, s), m)
        }
    }

    private func windowRoom(_ s: Int, _ nextSeq: UInt64) -> Int {
        var low = UInt64.max
        for w in 0..<cfg.workers { low = min(low, shared.load(layout.low(w, s))) }
        if low == .max || low >= nextSeq { return cfg.window }
        return cfg.window - Int(nextSeq - low)
    }

    private func sendStep(_ now: UInt64) {
        for k in senders.indices where !senders[k].finished && !senders[k].blocked {
            let i = senders[k].client
            guard states[i] == .ready else { finishSender(k); continue }
            if senders[k].off < senders[k].len {
                flush(k)
                if senders[k].blocked || senders[k].finished { continue }
            }
            if now >= endTime { finishSender(k); continue }
            var lines = cfg.batch
            let room = windowRoom(senders[k].id, senders[k].nextSeq)
            if room <= 0 { counts.windowStalls += 1; continue }
            lines = min(lines, room)
            if cfg.paced {
                // The same test as the loop's timeout, so the two never disagree (and spin).
                var due = 0
                while due < lines && dueTime(senders[k].id, senders[k].nextSeq + UInt64(due)) <= now { due += 1 }
                lines = due
            }
            if lines <= 0 { continue }
            fill(k, lines, now)
            flush(k)
        }
    }

    /// Formats `count` lines into sender `k`'s (empty) buffer, all stamped `now`.
    private func fill(_ k: Int, _ count: Int, _ now: UInt64) {
        let i = senders[k].client
        let kind = Int(kinds[i].rawValue)
        let buf = senders[k].buf
        var len = senders[k].len
        let stamp = now - base
        var seq = senders[k].nextSeq
        prefix[kind].withUnsafeBufferPointer { pre in
            suffix[kind].withUnsafeBufferPointer { suf in
                for _ in 0..<count {
                    (buf + len).update(from: pre.baseAddress!, count: pre.count)
                    len += pre.count
                    var size = cfg.lineSize
                    if cfg.varySize {
                        // 24 bytes up to the line size, a different length every line.
                        let span = UInt64(max(cfg.lineSize - 24, 1))
                        size = 24 + Int((seq &* 0x9E37_79B9) % span)
                    }
                    len += Payload.encode(into: buf + len, size: size, sender: senders[k].id, seq: seq, time: stamp)
                    (buf + len).update(from: suf.baseAddress!, count: suf.count)
                    len += suf.count
                    seq += 1
                }
            }
        }
        senders[k].len = len
        senders[k].nextSeq = seq
    }

    private func flush(_ k: Int) {
        let i = senders[k].client
        // A typist sends each key in a write of its own.
        let most = kinds[i] == .typist ? 1 : Int.max
        while senders[k].off < senders[k].len {
            let r = write(i, UnsafeRawBufferPointer(start: senders[k].buf + senders[k].off,
                                                    count: min(most, senders[k].len - senders[k].off)))
            switch r {
            case .done(let w)?:
                senders[k].off += w
                counts.bytesOut += UInt64(w)
            case .wouldBlock?:
                senders[k].blocked = true
                try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
                return
            case .eof?, nil:
                fail(i, "write failed")
                return
            }
        }
        senders[k].off = 0
        senders[k].len = 0
        if let tls, fds[i] >= 0, tls.hasPending(i) {
            // The last records wait for the socket: wait for writable, as for a short write.
            senders[k].blocked = true
            try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
        }
    }

    private func finishSender(_ k: Int) {
        guard !senders[k].finished else { return }
        senders[k].finished = true
        shared.store(layout.sent(senders[k].id), senders[k].nextSeq)
        shared.store(layout.done(senders[k].id), 1)
    }

    // MARK: The end

    private func checkDrained(_ now: UInt64) {
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
                for i in 0..<n where states[i] == .ready && gids[i] != s && expected[i * S + s] < sent {
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
