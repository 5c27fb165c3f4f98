import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The forked process that plays the faulty and churning clients, and the watcher: one IRC
/// client in #lobby (IRC clients get every quit notice, however big the channel) that
/// records who quit. Reports to the parent like a worker: "R" when registered, "F" after
/// the run, then notes, then "E"; exits on "X".
final class FaultInjector {
    enum Role: UInt8 { case watcher, victim, staller, noisy, churn }
    /// A churn client's membership of one #churnN, as far as its own writes and echoes go.
    enum Membership { case out, joining, member, parting }
    /// An IRC churn client's view of one channel's members (ChurnLedger, check 2): NAMES
    /// replies seen since its JOIN echo; the second one starts the exact view.
    struct ChannelView {
        var namesEnded = 0
        var collecting: [Int] = []
        var members = Set<Int>()
        var live = false
    }
    static let churnChannels = 4

    struct Client {
        var role: Role
        var index: Int
        var kind: ClientKind
        var nick: String
        var fd: Int32 = -1
        var ready = false
        var dead = false
        var carry: [UInt8] = []
        var membership = [Membership](repeating: .out, count: FaultInjector.churnChannels)
        var views = [ChannelView](repeating: ChannelView(), count: FaultInjector.churnChannels)
        /// The nick the hub has confirmed (registration, NICK echo): others address it so.
        var confirmedNick: String?
        /// The one before it (released by the hub): messages to it must be refused.
        var formerNick: String?
        var nickPending = false
        var nextAction: UInt64 = 0
        var killAt: UInt64 = 0
        var killed = false
        var generation = 0
        var nickCount = 0
    }

    let cfg: BenchConfig
    let f: FaultConfig
    let report: Int32
    var control: WireReader
    let epoll: Epoll
    var rng: SplitMix64
    var clients: [Client] = []
    var quits: [String: String] = [:]  // nick -> reason, as the watcher saw them
    var notes: [String] = []
    var base: UInt64 = 0
    var end: UInt64 = 0
    var running = false
    var exitRequested = false
    let readBuf = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    // Counters.
    var kills = 0, killMisses = 0, victimsDroppedEarly = 0, churnDropped = 0, watcherDropped = 0
    var noisyConnects = 0, noisyBytes: UInt64 = 0, overlongSent = 0, telnetNoiseSent = 0, randomChunks = 0
    var joins = 0, parts = 0, nickChanges = 0, privateMessages = 0, channelMessages = 0
    var stallersDroppedBeforeEnd = 0
    var churnErrors = 0, churnWriteFailures = 0
    var ledger: ChurnLedger
    var lastChurnInput: UInt64 = 0

    init(cfg: BenchConfig, control: Int32, report: Int32) throws(SystemError) {
        self.cfg = cfg
        f = cfg.faults
        self.report = report
        self.control = WireReader(fd: control)
        epoll = try Epoll(capacity: 512)
        rng = SplitMix64(seed: cfg.faults.seed)
        ledger = ChurnLedger(clients: cfg.faults.churn, channels: Self.churnChannels)
        let p = cfg.nickPrefix
        clients.append(Client(role: .watcher, index: 0, kind: .irc, nick: "\(p)w0"))
        let victims = cfg.victims
        for k in 0..<victims { clients.append(Client(role: .victim, index: k, kind: k % 2 == 0 ? .human : .irc, nick: "\(p)v\(k)")) }
        for k in 0..<f.stallers { clients.append(Client(role: .staller, index: k, kind: k % 2 == 0 ? .human : .irc, nick: "\(p)s\(k)")) }
        for k in 0..<f.churn { clients.append(Client(role: .churn, index: k, kind: k % 2 == 0 ? .irc : .human, nick: "\(p)c\(k)")) }
        for k in 0..<f.noisy { clients.append(Client(role: .noisy, index: k, kind: k % 2 == 0 ? .human : .irc, nick: "\(p)n\(k)")) }
        try epoll.add(control, events: Epoll.readable, data: UInt64.max)
    }

    func note(_ s: String) { if notes.count < 16 { notes.append(s) } }

    func send(_ m: WireMessage) { do { try m.send(to: report) } catch { exitRequested = true } }

    // MARK: Connecting

    private func open(_ i: Int) -> Bool {
        let small: Int32? = clients[i].role == .staller ? 4096 : nil
        guard let fd = try? Socket.connect([cfg.target], receiveBuffer: small) else { return false }
        try? FD.setNonBlocking(fd)
        clients[i].fd = fd
        clients[i].ready = false
        clients[i].carry = []
        clients[i].generation += 1
        if clients[i].role == .noisy { clients[i].nick = "\(cfg.nickPrefix)n\(clients[i].index)g\(clients[i].generation)" }
        try? epoll.add(fd, events: Epoll.readable, data: UInt64(i))
        if clients[i].kind == .irc {
            write(i, "NICK \(clients[i].nick)\r\nUSER \(clients[i].nick) 0 * :chat-bench faults\r\n")
        }
        return true
    }

    private func close(_ i: Int) {
        guard clients[i].fd >= 0 else { return }
        epoll.remove(clients[i].fd)
        FD.close(clients[i].fd)
        clients[i].fd = -1
        clients[i].ready = false
    }

    @discardableResult
    private func write(_ i: Int, _ text: String) -> Bool { write(i, Array(text.utf8)) }

    /// Small writes; a full socket buffer drops the rest (only noise is ever big).
    @discardableResult
    private func write(_ i: Int, _ bytes: [UInt8]) -> Bool {
        guard clients[i].fd >= 0 else { return false }
        let r = bytes.withUnsafeBytes { try? FD.write(clients[i].fd, $0) }
        switch r {
        case .done?, .wouldBlock?: return true
        default: return false
        }
    }

    // MARK: The loop

    func run() -> Never {
        // Register everyone but the noisy clients (they connect when the run starts).
        let start = Proc.monotonicNanos()
        for i in clients.indices where clients[i].role != .noisy {
            if !open(i) { note("\(clients[i].nick): connect failed"); clients[i].dead = true }
        }
        var told = false
        while !exitRequested {
            let now = Proc.monotonicNanos()
            if !told {
                let pending = clients.indices.filter { clients[$0].role != .noisy && !clients[$0].dead && !clients[$0].ready }
                if pending.isEmpty || Double(now - start) / 1e9 > cfg.registerTimeout {
                    for i in pending { note("\(clients[i].nick): did not register") }
                    let ready = clients.filter { $0.ready }.count
                    send(WireMessage("R", [UInt64(ready)]))
                    told = true
                }
            }
            do {
                try epoll.wait(timeoutMS: running ? 5 : 50) { data, _ in
                    if data == UInt64.max { handleControl() } else { readClient(Int(data)) }
                }
            } catch {
                note("epoll: \(error)")
                break
            }
            if running { step(Proc.monotonicNanos()) }
        }
        for i in clients.indices { close(i) }
        Proc.exitImmediately(0)
    }

    private func handleControl() {
        if !control.fill() { exitRequested = true }
        while let m = control.next() {
            switch m.kind {
            case "G":
                base = m.values[0]
                end = m.values[1]
                let d = end - base
                for i in clients.indices {
                    clients[i].nextAction = base + rng.next() % 1_000_000_000
                    if clients[i].role == .victim {
                        // Somewhere between 10% and 80% of the run.
                        clients[i].killAt = base + d / 10 + rng.next() % max(d * 7 / 10, 1)
                    }
                }
                running = true
            case "X":
                exitRequested = true
            default: break
            }
        }
    }

    private func step(_ now: UInt64) {
        if now < end {
            for i in clients.indices where now >= clients[i].nextAction {
                switch clients[i].role {
                case .victim:
                    if !clients[i].killed && now >= clients[i].killAt { kill(i) }
                case .churn: if clients[i].ready { churn(i, now) }
                case .noisy: noise(i, now)
                default: break
                }
            }
            return
        }
        // After the run: wait for the notices, bounded, then report.
        let allSeen = clients.allSatisfy { c in
            switch c.role {
            case .victim: return !c.killed || quits[c.nick] != nil
            case .staller: return quits[c.nick] != nil
            default: return true
            }
        }
        // And the churn traffic in flight: wait until it has been quiet for --drain-timeout.
        let churnQuiet = f.churn == 0 || Double(now - max(lastChurnInput, end)) / 1e9 >= cfg.drainTimeout
        if (allSeen && churnQuiet) || Double(now - end) / 1e9 > f.announceTimeout {
            running = false
            finish()
        }
    }

    private func kill(_ i: Int) {
        clients[i].killed = true
        guard clients[i].fd >= 0, let pid = cfg.serverPID,
              let local = try? Socket.localAddress(clients[i].fd),
              let session = SessionFinder.session(hub: pid, serverPort: cfg.target.port, clientPort: local.port) else {
            killMisses += 1
            note("\(clients[i].nick): session not found, not killed")
            return
        }
        Proc.signal(session, SIGKILL)
        kills += 1
    }

    /// A churn client's lines must arrive whole: the ledger counts them as sent. A write the
    /// socket does not take at once (never seen: they are tiny) takes the client out of the check.
    private func writeChurn(_ i: Int, _ text: String) {
        guard clients[i].fd >= 0 else { return }
        let bytes = Array(text.utf8)
        let r = bytes.withUnsafeBytes { try? FD.write(clients[i].fd, $0) }
        if case .done(let n)? = r, n == bytes.count { return }
        churnWriteFailures += 1
        ledger.dropped(clients[i].index)
        note("\(clients[i].nick): a churn line was not written whole; left out of the churn check")
    }

    private func churn(_ i: Int, _ now: UInt64) {
        clients[i].nextAction = now + 200_000_000 + rng.next() % 1_300_000_000
        let irc = clients[i].kind == .irc
        let k = clients[i].index
        let member = (0..<Self.churnChannels).filter { clients[i].membership[$0] == .member }
        switch rng.next() % 5 {
        case 0:
            // Join a channel it is out of (not one whose part is still on its way). IRC
            // clients ask for NAMES again at once: that reply starts their exact view.
            let c = Int(rng.next() % UInt64(Self.churnChannels))
            guard clients[i].membership[c] == .out else { return }
            clients[i].membership[c] = .joining
            ledger.joinSent(k, channel: c, at: Proc.monotonicNanos())
            writeChurn(i, irc ? "JOIN #churn\(c)\r\nNAMES #churn\(c)\r\n" : "/join #churn\(c)\r\n")
            joins += 1
        case 1:
            guard let c = member.randomElement(using: &rng) else { return }
            clients[i].membership[c] = .parting
            writeChurn(i, irc ? "PART #churn\(c) :churn\r\n" : "/part #churn\(c) churn\r\n")
            parts += 1
        case 2:
            guard !clients[i].nickPending else { return }
            clients[i].nickCount += 1
            let new = "\(cfg.nickPrefix)c\(k)x\(clients[i].nickCount)"
            clients[i].nickPending = true
            writeChurn(i, irc ? "NICK \(new)\r\n" : "/nick \(new)\r\n")
            clients[i].nick = new
            nickChanges += 1
        case 3:
            // Another churn client, by the nick the hub confirmed to it; one time in five by
            // the nick it had before, which the hub must refuse.
            let peers = clients.indices.filter {
                clients[$0].role == .churn && $0 != i && clients[$0].ready && clients[$0].fd >= 0 && clients[$0].confirmedNick != nil
            }
            guard let j = peers.randomElement(using: &rng), var nick = clients[j].confirmedNick else { return }
            if rng.next() % 5 == 0, let old = clients[j].formerNick { nick = old }
            let q = ledger.sendPrivate(from: k, to: clients[j].index, nick: nick)
            let text = ChurnPayload.text(sender: k, channel: nil, seq: q)
            writeChurn(i, irc ? "PRIVMSG \(nick) :\(text)\r\n" : "/msg \(nick) \(text)\r\n")
            privateMessages += 1
        default:
            // Only to a channel whose JOIN echo it has seen and that it is not leaving: the
            // hub accepts every such line.
            guard let c = member.randomElement(using: &rng) else { return }
            let q = ledger.sendChannel(from: k, channel: c, at: Proc.monotonicNanos())
            let text = ChurnPayload.text(sender: k, channel: c, seq: q)
            writeChurn(i, irc ? "PRIVMSG #churn\(c) :\(text)\r\n" : "/msg #churn\(c) \(text)\r\n")
            channelMessages += 1
        }
    }

    private func noise(_ i: Int, _ now: UInt64) {
        clients[i].nextAction = now + 300_000_000 + rng.next() % 900_000_000
        if clients[i].fd < 0 {
            if !open(i) { note("noisy \(clients[i].index): connect failed"); return }
            noisyConnects += 1
            // Every other connection registers first, so noise reaches both the registration
            // path and the chat path (human: the noise is then said in #lobby).
            if clients[i].generation % 2 == 0 {
                if clients[i].kind == .irc { write(i, "JOIN #lobby\r\n") } else { write(i, clients[i].nick + "\n") }
            }
            return
        }
        var bytes: [UInt8] = []
        switch rng.next() % 3 {
        case 0:
            // Random bytes, about one line end in 256.
            let n = 32 + Int(rng.next() % 480)
            for _ in 0..<n { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            randomChunks += 1
        case 1:
            // Overlong: 8 KiB + up to 12 KiB, no line end (sometimes one at the end).
            let n = 8193 + Int(rng.next() % 12_000)
            for _ in 0..<n { bytes.append(0x41 + UInt8(rng.next() % 26)) }
            if rng.next() % 2 == 0 { bytes += [0x0D, 0x0A] }
            overlongSent += 1
        default:
            // Telnet: negotiations, subnegotiations (some unterminated), escaped and bare IACs.
            let pieces: [[UInt8]] = [
                [255, 251, 1], [255, 253, 3], [255, 252, 34], [255, 254, 24], [255, 250, 31, 0, 80, 0, 24, 255, 240],
                [255, 250, 24, 0], [255, 255], [255], [255, 244], [255, 246], [255, 241], [13, 0], [13], [0],
                Array("ok \u{1b}[31m".utf8), [0x0A],
            ]
            for _ in 0..<(4 + Int(rng.next() % 20)) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            telnetNoiseSent += 1
        }
        noisyBytes += UInt64(bytes.count)
        if !write(i, bytes) { close(i) }
    }

    // MARK: Reading

    private func readClient(_ i: Int) {
        guard clients[i].fd >= 0 else { return }
        let r = try? FD.read(clients[i].fd, into: readBuf)
        switch r {
        case .done(let k)?:
            if clients[i].role == .noisy { return }  // read and dropped
            let now = Proc.monotonicNanos()
            var data = clients[i].carry
            data += UnsafeRawBufferPointer(rebasing: readBuf[0..<k])
            var start = 0
            while let nl = data[start...].firstIndex(of: 0x0A) {
                var e = nl
                if e > start && data[e - 1] == 0x0D { e -= 1 }
                line(i, data[start..<e], now)
                start = nl + 1
                if clients[i].fd < 0 { return }
            }
            clients[i].carry = Array(data[start...].suffix(4096))
            if !clients[i].ready && clients[i].kind == .human && contains(clients[i].carry, "nickname") {
                write(i, clients[i].nick + "\n")
                clients[i].carry = []
            }
        case .wouldBlock?:
            break
        case .eof?, nil:
            gone(i)
        }
    }

    private func gone(_ i: Int) {
        close(i)
        switch clients[i].role {
        case .noisy: return  // reconnects at its next action
        case .victim: if !clients[i].killed { victimsDroppedEarly += 1; note("\(clients[i].nick): dropped before it was killed") }
        case .churn:
            churnDropped += 1
            ledger.dropped(clients[i].index)
            note("\(clients[i].nick): churn client dropped by the server")
        case .watcher: watcherDropped += 1; note("watcher dropped by the server")
        case .staller: break
        }
        clients[i].dead = true
    }

    private func contains(_ hay: some Collection<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        let h = Array(hay)
        guard h.count >= n.count else { return false }
        for s in 0...(h.count - n.count) where h[s] == n[0] && Array(h[s..<s + n.count]) == n { return true }
        return false
    }

    private func line(_ i: Int, _ l: ArraySlice<UInt8>, _ now: UInt64) {
        let irc = clients[i].kind == .irc
        if irc && l.starts(with: Array("PING ".utf8)) {
            write(i, "PONG " + String(decoding: l.dropFirst(5), as: UTF8.self) + "\r\n")
            return
        }
        if clients[i].role == .churn && (clients[i].ready || clients[i].membership[0] != .out) {
            return irc ? churnIRCLine(i, l, now) : churnHumanLine(i, l, now)
        }
        if !clients[i].ready {
            if irc {
                let words = l.split(separator: 0x20, maxSplits: 3)
                guard words.count >= 2 else { return }
                let verb = String(decoding: words[1], as: UTF8.self)
                if verb == "001" && clients[i].role == .churn {
                    // Churners stay out of #lobby: #churn0 first (ready at its first 366).
                    clients[i].confirmedNick = clients[i].nick
                    clients[i].membership[0] = .joining
                    ledger.joinSent(clients[i].index, channel: 0, at: Proc.monotonicNanos())
                    write(i, "JOIN #churn0\r\nNAMES #churn0\r\n")
                } else if verb == "001" {
                    // Everyone else must share #lobby with the watcher.
                    write(i, "JOIN #lobby\r\n")
                } else if verb == "366" {
                    registered(i)
                } else if verb == "433" || verb == "432" {
                    note("\(clients[i].nick): nick refused")
                }
            } else if contains(l, "You joined #lobby") {
                registered(i)
                if clients[i].role == .churn { clients[i].confirmedNick = clients[i].nick }
            } else if contains(l, "nickname") {
                write(i, clients[i].nick + "\n")
            }
            return
        }
        // The watcher: ":nick!user@host QUIT :reason".
        if clients[i].role == .watcher, l.first == UInt8(ascii: ":"), let bang = l.firstIndex(of: UInt8(ascii: "!")) {
            let rest = l[bang...]
            if let sp = rest.firstIndex(of: 0x20), rest[sp...].starts(with: Array(" QUIT".utf8)) {
                let nick = String(decoding: l[l.startIndex + 1..<bang], as: UTF8.self)
                let reason = String(decoding: rest[(sp + 5)...].prefix(120), as: UTF8.self)
                quits[nick] = reason
                if running && Proc.monotonicNanos() < end, nick.hasPrefix("\(cfg.nickPrefix)s") { stallersDroppedBeforeEnd += 1 }
            }
        }
    }

    // MARK: Churn clients' lines (ChurnLedger)

    /// The churn client number in a nick: PREFIX c N, or PREFIX c N x M after nick changes.
    private func churnIndex<S: StringProtocol>(_ nick: S) -> Int? {
        let p = cfg.nickPrefix + "c"
        guard nick.hasPrefix(p) else { return nil }
        let digits = nick.dropFirst(p.count).prefix { $0.isASCII && $0.isNumber }
        let rest = nick.dropFirst(p.count + digits.count)
        guard !digits.isEmpty, rest.isEmpty || (rest.first == "x" && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }),
              let k = Int(digits), k < f.churn else { return nil }
        return k
    }

    /// "#churnN": N.
    private func churnChannel<S: StringProtocol>(_ name: S) -> Int? {
        guard name.hasPrefix("#churn"), let c = Int(name.dropFirst(6)), c >= 0, c < Self.churnChannels else { return nil }
        return c
    }

    private func churnError(_ i: Int, _ text: String) {
        churnErrors += 1
        note("\(clients[i].nick): \(text.prefix(160))")
    }

    /// A churn line's payload, wherever the dialect put it: into the ledger.
    private func churnPayload(_ i: Int, _ text: some Collection<UInt8>, target: String?, _ now: UInt64) {
        guard let p = ChurnPayload.find(in: text) else { return }
        lastChurnInput = now
        let k = clients[i].index
        switch p {
        case .corrupt:
            ledger.receivedCorrupt()
        case .line(let s, nil, let q):
            ledger.receivedPrivate(k, from: s, seq: q)
        case .line(let s, let c?, let q):
            if let target, churnChannel(target) != c {
                ledger.receivedCorrupt()
                note("\(clients[i].nick): a #churn\(c) line arrived as a message to \(target)")
                return
            }
            ledger.receivedChannel(k, channel: c, from: s, seq: q)
            if c < Self.churnChannels, clients[i].views[c].live {
                ledger.observed(channel: c, from: s, seq: q, members: Array(clients[i].views[c].members), at: now)
            }
        }
    }

    private func churnIRCLine(_ i: Int, _ l: ArraySlice<UInt8>, _ now: UInt64) {
        guard let m = try? IRCMessage(parsing: Array(l)) else { return }
        let k = clients[i].index
        let p = m.params
        if let n = m.numeric {
            switch n {
            case 353 where p.count >= 4:
                guard let c = churnChannel(p[2]), clients[i].views[c].namesEnded == 1 else { return }
                for entry in p[3].split(separator: " ") {
                    if let who = churnIndex(entry.drop { $0 == "@" || $0 == "+" }) { clients[i].views[c].collecting.append(who) }
                }
            case 366 where p.count >= 2:
                guard let c = churnChannel(p[1]) else { return }
                lastChurnInput = now
                clients[i].views[c].namesEnded += 1
                if clients[i].views[c].namesEnded == 1 && c == 0 { registered(i) }
                if clients[i].views[c].namesEnded == 2 {
                    // Right after the history: the exact members from here on.
                    clients[i].views[c].members = Set(clients[i].views[c].collecting)
                    clients[i].views[c].collecting = []
                    clients[i].views[c].live = true
                }
            case 401 where p.count >= 2 && !p[1].hasPrefix("#"):
                lastChurnInput = now
                ledger.refusedPrivate(from: k, nick: p[1])
            case 422: break  // no MOTD: part of registration
            case 400...599:
                lastChurnInput = now
                if n == 432 || n == 433 { clients[i].nickPending = false; clients[i].nick = clients[i].confirmedNick ?? clients[i].nick }
                churnError(i, String(decoding: l, as: UTF8.self))
            default: break
            }
            return
        }
        let who = m.source.map { IRCSource(parsing: $0).nick }.flatMap { churnIndex($0) }
        switch m.verb {
        case "JOIN":
            guard let name = p.first, let c = churnChannel(name) else { return }
            lastChurnInput = now
            if who == k {
                clients[i].membership[c] = .member
                ledger.joinEchoed(k, channel: c)
            } else if let who, clients[i].views[c].live {
                clients[i].views[c].members.insert(who)
            }
        case "PART":
            guard let name = p.first, let c = churnChannel(name) else { return }
            lastChurnInput = now
            if who == k {
                clients[i].membership[c] = .out
                clients[i].views[c] = ChannelView()
                ledger.partEchoed(k, channel: c, at: now)
            } else if let who, clients[i].views[c].live {
                clients[i].views[c].members.remove(who)
            }
        case "QUIT":
            guard let who else { return }
            for c in 0..<Self.churnChannels where clients[i].views[c].live { clients[i].views[c].members.remove(who) }
        case "NICK":
            if who == k, let new = p.first {
                lastChurnInput = now
                clients[i].formerNick = clients[i].confirmedNick
                clients[i].confirmedNick = new
                clients[i].nickPending = false
            }
        case "PRIVMSG", "NOTICE":
            guard p.count >= 2 else { return }
            churnPayload(i, p[1].utf8, target: p[0].hasPrefix("#") ? p[0] : nil, now)
        default: break
        }
    }

    /// Human churners: `-- You joined #churnN`, `-- You left #churnN (churn)`, `-- You are now
    /// known as X`, `!! There is nobody called X here.`, and lines with a payload. They are in
    /// #lobby too: its lines (no churn marker) are passed over.
    private func churnHumanLine(_ i: Int, _ l: ArraySlice<UInt8>, _ now: UInt64) {
        let k = clients[i].index
        if l.starts(with: [0x2D, 0x2D, 0x20]) || l.starts(with: [0x21, 0x21, 0x20]) {
            let text = String(decoding: l, as: UTF8.self)
            if text.hasPrefix("-- You joined #churn"), let c = churnChannel(text.dropFirst(14)) {
                lastChurnInput = now
                clients[i].membership[c] = .member
                ledger.joinEchoed(k, channel: c)
            } else if text.hasPrefix("-- You left #churn"), let c = churnChannel(text.dropFirst(12).prefix { $0 != " " }) {
                lastChurnInput = now
                clients[i].membership[c] = .out
                ledger.partEchoed(k, channel: c, at: now)
            } else if text.hasPrefix("-- You are now known as ") {
                lastChurnInput = now
                clients[i].formerNick = clients[i].confirmedNick
                clients[i].confirmedNick = String(text.dropFirst(24))
                clients[i].nickPending = false
            } else if text.hasPrefix("!! There is nobody called "), text.hasSuffix(" here.") {
                lastChurnInput = now
                ledger.refusedPrivate(from: k, nick: String(text.dropFirst(26).dropLast(6)))
            } else if text.hasPrefix("!! ") {
                lastChurnInput = now
                churnError(i, text)
            }
            return
        }
        // `-> *nick* text`: the confirmation of our own private message, not a delivery.
        if l.starts(with: [0x2D, 0x3E, 0x20]) { return }
        churnPayload(i, l, target: nil, now)
    }

    private func registered(_ i: Int) {
        guard !clients[i].ready else { return }
        clients[i].ready = true
        if clients[i].role == .staller {
            // From now on it never reads: stop watching it; its buffers fill up.
            epoll.remove(clients[i].fd)
        }
    }

    // MARK: The report

    private func finish() {
        // A nick change whose echo never came (e.g. rendered as someone else's) is an error too.
        for c in clients where c.role == .churn && c.nickPending && !c.dead {
            churnErrors += 1
            note("\(c.nick): its nick change was never confirmed to it")
        }
        let churnReport = ledger.check()
        for e in churnReport.examples.prefix(6) { note("churn check: " + e) }
        let victims = clients.filter { $0.role == .victim }
        let stallers = clients.filter { $0.role == .staller }
        let killedAnnounced = victims.filter { $0.killed && quits[$0.nick] != nil }.count
        let stallersAnnounced = stallers.filter { quits[$0.nick] != nil }.count
        for v in victims where v.killed && quits[v.nick] == nil { note("no quit seen for killed \(v.nick)") }
        for s in stallers where quits[s.nick] == nil { note("no quit seen for staller \(s.nick)") }
        if let s = stallers.first(where: { quits[$0.nick] != nil }) { note("staller quit reason: \(quits[s.nick]!)") }
        if let v = victims.first(where: { quits[$0.nick] != nil }) { note("victim quit reason: \(quits[v.nick]!)") }
        let watcherAlive: UInt64 = clients[0].fd >= 0 ? 1 : 0
        let v: [UInt64] = [
            UInt64(victims.count), UInt64(kills), UInt64(killMisses), UInt64(killedAnnounced), UInt64(victimsDroppedEarly),
            UInt64(stallers.count), UInt64(stallersAnnounced), UInt64(stallersDroppedBeforeEnd),
            UInt64(f.noisy), UInt64(noisyConnects), noisyBytes, UInt64(overlongSent), UInt64(telnetNoiseSent), UInt64(randomChunks),
            UInt64(f.churn), UInt64(joins), UInt64(parts), UInt64(nickChanges), UInt64(privateMessages), UInt64(channelMessages),
            UInt64(churnDropped), watcherAlive, UInt64(quits.count),
            UInt64(churnErrors), UInt64(churnWriteFailures),
        ] + churnReport.values
        send(WireMessage("F", v))
        for t in notes { send(WireMessage("N", Array(t.utf8).map { UInt64($0) })) }
        send(WireMessage("E"))
    }
}
