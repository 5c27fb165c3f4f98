import ChatPOSIX
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// The amplification attack (docs/BENCHMARKS.md, "Amplification"): a crowd fills #big and the
/// history of a few channels; a few attackers (IRC, within the default per-IP limit) then ask
/// for as much as they can with small requests (NAMES of #big repeated, WHO, LIST, WHOIS,
/// ISON, JOIN and PART of the channels with history) and read every reply; meanwhile two other
/// users, alice and bob, say lines to each other in a small channel. Measured: how long each
/// waits for the other's lines before and during the attack, and the hub's memory.
final class AmplificationBench {
    struct Settings {
        var target: SocketAddress
        /// Idle members of #big; the first `historyChannels` × 4 also fill the history.
        var crowd = 200
        var attackers = 4
        /// Seconds of attack; the quiet measurement before it takes a third of this.
        var duration = 10.0
        var historyChannels = 10
        /// Lines a second each of alice and bob say.
        var rate = 100.0
        var serverPID: Int32?
        var nickPrefix = "a"
        /// Attack rounds each attacker keeps in flight; 0: as fast as its socket takes them.
        var rounds = 4
    }

    /// One IRC connection, read line by line.
    final class Link {
        let fd: Int32
        let nick: String
        var carry: [UInt8] = []
        var out: [UInt8] = []
        var welcomed = false
        /// NickServ answered (`AccountsBench`).
        var answered = false
        var joined = 0
        var gone = false
        /// Attack rounds sent and not yet answered.
        var inFlight = 0

        init(fd: Int32, nick: String) {
            self.fd = fd
            self.nick = nick
        }

        /// Queues `text` and writes what the socket takes.
        func send(_ text: String) {
            out += Array(text.utf8)
            flush()
        }

        func flush() {
            while !out.isEmpty && !gone {
                let r = out.withUnsafeBytes { try? FD.write(fd, $0) }
                guard case .done(let n)? = r else {
                    if r == nil { gone = true }
                    return
                }
                out.removeFirst(n)
            }
        }

        /// Reads what arrived; calls `line` for each whole line. False when the peer is gone.
        func read(_ buffer: UnsafeMutableRawBufferPointer, _ line: (ArraySlice<UInt8>) -> Void) -> Bool {
            while true {
                guard let r = try? FD.read(fd, into: buffer) else { gone = true; return false }
                switch r {
                case .eof: gone = true; return false
                case .wouldBlock: return true
                case .done(let n):
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                    var start = carry.startIndex
                    while let nl = carry[start...].firstIndex(of: 0x0A) {
                        line(carry[start..<nl])
                        start = nl + 1
                    }
                    carry.removeFirst(start)
                }
            }
        }
    }

    /// What one run measured.
    struct Figures {
        var quiet = Histogram<UInt64>.latency()
        var attacked = Histogram<UInt64>.latency()
        var sent = 0, received = 0
        var attackBytesSent: UInt64 = 0, attackBytesReceived: UInt64 = 0
        var attackersLeft = 0
        var rssBeforeKiB = 0, rssPeakKiB = 0, hwmKiB = 0
        var setupSeconds = 0.0
    }

    let s: Settings
    var figures = Figures()
    /// The crowd, read by the attack's process while it runs.
    private var crowdLinks: [Link] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    let log: (String) -> Void

    init(_ settings: Settings, log: @escaping (String) -> Void) {
        s = settings
        self.log = log
    }

    func run() throws -> Figures {
        SignalQueue.ignore(SIGPIPE)
        _ = Proc.raiseDescriptorLimit()
        let t0 = Proc.monotonicNanos()
        let p = s.nickPrefix
        let history = (0..<s.historyChannels).map { "#\(p)h\($0)" }
        // 1. The crowd in #big; four of them in each channel with history, which they fill.
        let crowd = try connect((0..<s.crowd).map { "\(p)m\($0)" })
        for (i, c) in crowd.enumerated() {
            var join = "#\(p)big"
            if i < history.count * 4 { join += "," + history[i % history.count] }
            c.send("JOIN \(join)\r\n")
        }
        try wait(crowd, "the crowd to join") { $0.joined >= 1 }
        crowdLinks = crowd
        let filler = String(repeating: "x", count: 380)
        for (i, c) in crowd.prefix(history.count * 4).enumerated() {
            for k in 0..<15 { c.send("PRIVMSG \(history[i % history.count]) :\(k) \(filler)\r\n") }
        }
        // 2. The pair, in a channel of their own.
        let pair = try connect(["\(p)alice", "\(p)bob"])
        for c in pair { c.send("JOIN #\(p)pair\r\n") }
        try wait(pair, "alice and bob to join") { $0.joined >= 1 }
        // 3. The attackers, in #big; their requests.
        let attackers = try connect((0..<s.attackers).map { "\(p)x\($0)" })
        for c in attackers { c.send("JOIN #\(p)big\r\n") }
        try wait(attackers, "the attackers to join") { $0.joined >= 1 }
        try wait(crowd, "the crowd's lines") { _ in true }
        figures.setupSeconds = Double(Proc.monotonicNanos() - t0) / 1e9
        log("\(crowd.count) in #\(p)big, \(history.count) channels with history, \(attackers.count) attackers ready in \(fmt(figures.setupSeconds, 1)) s")

        let names = "NAMES " + Array(repeating: "#\(p)big", count: 40).joined(separator: ",") + "\r\n"
        let ison = "ISON " + Array(repeating: "\(p)m0", count: 60).joined(separator: " ") + "\r\n"
        let joins = history.joined(separator: ",")
        let attack = Array((names + "WHO #\(p)big\r\nLIST\r\nWHOIS \(p)m1\r\n" + ison
            + "JOIN \(joins)\r\nPART \(joins)\r\nLUSERS\r\n").utf8)

        // 4. Quiet, then attacked: alice and bob talk all along.
        if let pid = s.serverPID { figures.rssBeforeKiB = Self.status(pid, "VmRSS") ?? 0 }
        let quietEnd = Proc.monotonicNanos() + UInt64(s.duration / 3 * 1e9)
        talk(pair, until: quietEnd, attackers: [], attack: attack, into: \.quiet)
        log("quiet: \(figures.quiet.summary())")
        talk(pair, until: Proc.monotonicNanos() + UInt64(s.duration * 1e9), attackers: attackers, attack: attack, into: \.attacked)
        log("attacked: \(figures.attacked.summary())")
        if let pid = s.serverPID { figures.hwmKiB = Self.status(pid, "VmHWM") ?? 0 }
        for c in crowd + pair + attackers { FD.close(c.fd) }
        return figures
    }

    // MARK: Phases

    private func connect(_ nicks: [String]) throws -> [Link] {
        try Link.connect(nicks, to: s.target, realName: "chat-bench amplification", buffer: buffer)
    }

    private func wait(_ links: [Link], _ what: String, _ done: (Link) -> Bool) throws {
        try Link.wait(links, what, buffer: buffer, done)
    }

    /// alice and bob say a line each every 1/rate s until `end`, while `attackers` keep their
    /// sockets full of `attack` and read all they get; each line's wait goes into `into`.
    private func talk(_ pair: [Link], until end: UInt64, attackers: [Link], attack: [UInt8],
                      into bucket: WritableKeyPath<Figures, Histogram<UInt64>>) {
        let attackerPID = attackers.isEmpty ? nil : startAttack(attackers, attack: attack, drain: crowdLinks, until: end)
        let interval = UInt64(1e9 / max(s.rate, 1))
        var next = Proc.monotonicNanos()
        let marker = Array("PRIVMSG #\(s.nickPrefix)pair :t=".utf8)
        while true {
            let now = Proc.monotonicNanos()
            // After the end, what is on its way still counts (up to 10 s more).
            if now >= end && (figures.received == figures.sent || now >= end + 10_000_000_000) { break }
            if now < end && now >= next {
                for l in pair { l.send("PRIVMSG #\(s.nickPrefix)pair :t=\(now)\r\n") }
                figures.sent += 2
                next += interval
            }
            var fds = pair.map { pollfd(fd: $0.fd, events: Poll.readable, revents: 0) }
            let wake = now < end ? min(next, end) : now + 10_000_000
            let wait = Int32(clamping: wake > now ? (wake - now) / 1_000_000 : 0)
            _ = try? Poll.wait(&fds, timeoutMS: max(wait, 0))
            let rss = s.serverPID.flatMap { Self.status($0, "VmRSS") } ?? 0
            figures.rssPeakKiB = max(figures.rssPeakKiB, rss)
            for (i, l) in pair.enumerated() where fds[i].revents != 0 {
                _ = l.read(buffer) { line in
                    guard let at = line.firstRange(of: marker) else { return l.note(line) }
                    let digits = line[at.upperBound...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                    guard let sent = UInt64(String(decoding: digits, as: UTF8.self)) else { return }
                    let t = Proc.monotonicNanos()
                    figures[keyPath: bucket].record(t > sent ? t - sent : 0)
                    figures.received += 1
                }
            }
        }
        if let pid = attackerPID { collectAttack(pid) }
    }

    /// The reply that ends an attack round (LUSERS's 251).
    static let roundEnd = Array(" 251 ".utf8)

    /// The attackers run in a child of their own, so that reading their replies does not
    /// delay the pair's clock; it reports the bytes it sent and received, and who is left.
    private var attackReport: Int32 = -1

    private func startAttack(_ attackers: [Link], attack: [UInt8], drain crowd: [Link], until end: UInt64) -> pid_t? {
        guard let pipe = try? FD.pipe(nonBlocking: false), let child = try? Proc.fork() else { return nil }
        switch child {
        case .parent(let pid):
            FD.close(pipe.write)
            attackReport = pipe.read
            return pid
        case .child:
            FD.close(pipe.read)
            Proc.dieWithParent(SIGKILL)
            var sent: UInt64 = 0, received: UInt64 = 0
            while Proc.monotonicNanos() < end {
                // Each keeps `rounds` rounds in flight (a round ends with LUSERS, whose 251
                // reply says it was answered): as much as the hub will do for it, and never
                // enough waiting lines for flood control to end it. 0: flat out.
                let limit = s.rounds > 0 ? s.rounds : Int.max
                var fds = attackers.map { l in
                    pollfd(fd: l.fd, events: Poll.readable | (l.inFlight < limit || !l.out.isEmpty ? Poll.writable : 0),
                           revents: 0)
                }
                _ = try? Poll.wait(&fds, timeoutMS: 10)
                for (i, l) in attackers.enumerated() where !l.gone {
                    if fds[i].revents & Poll.writable != 0 && l.out.isEmpty && l.inFlight < limit {
                        l.out = attack
                        l.inFlight += 1
                        sent += UInt64(attack.count)
                    }
                    l.flush()
                    if fds[i].revents & (Poll.readable | Poll.hangup | Poll.error) != 0 {
                        _ = l.read(buffer) { line in
                            received += UInt64(line.count + 1)
                            if line.firstRange(of: Self.roundEnd) != nil { l.inFlight -= 1 }
                        }
                    }
                }
                // The crowd hears the attackers come and go: read it, or its sessions drop it.
                var crowdFDs = crowd.map { pollfd(fd: $0.fd, events: Poll.readable, revents: 0) }
                _ = try? Poll.wait(&crowdFDs, timeoutMS: 0)
                for (i, l) in crowd.enumerated() where crowdFDs[i].revents != 0 { _ = l.read(buffer) { _ in } }
            }
            let left = attackers.filter { !$0.gone }.count
            FD.writeAllIgnoringErrors(pipe.write, "\(sent) \(received) \(left)\n")
            Proc.exitImmediately(0)
        }
    }

    private func collectAttack(_ pid: pid_t) {
        let text = String(decoding: FD.readSome(attackReport, max: 256) ?? [], as: UTF8.self)
        let v = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
        if v.count == 3 {
            figures.attackBytesSent = v[0]
            figures.attackBytesReceived = v[1]
            figures.attackersLeft = Int(v[2])
        }
        FD.close(attackReport)
        _ = Proc.waitFor(pid)
    }

    /// A `/proc/PID/status` field in KiB.
    static func status(_ pid: Int32, _ field: String) -> Int? {
        guard let bytes = try? FD.readFile("/proc/\(pid)/status", limit: 16384) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    // MARK: Output

    static func table(_ f: Figures, _ s: Settings) -> String {
        """
        amplification: \(s.crowd) in #big, \(s.historyChannels) channels with history, \(s.attackers) attackers (\(s.rounds == 0 ? "flat out" : "\(s.rounds) rounds in flight")), \(fmt(s.duration, 0)) s
          alice <-> bob, quiet:    \(f.quiet.summary())
          alice <-> bob, attacked: \(f.attacked.summary())
          pair lines: \(group(f.sent)) sent, \(group(f.received)) received
          attackers: \(group(f.attackBytesSent)) bytes sent, \(group(f.attackBytesReceived)) bytes received, \(f.attackersLeft) of \(s.attackers) still connected
          hub RSS: \(group(f.rssBeforeKiB)) KiB before, \(group(f.rssPeakKiB)) KiB peak during the run (VmHWM \(group(f.hwmKiB)) KiB)

        """
    }

    static func json(_ f: Figures, _ s: Settings) -> String {
        """
        {"scenario": "amplification", "crowd": \(s.crowd), "attackers": \(s.attackers), "history_channels": \(s.historyChannels), "rounds": \(s.rounds), \
        "duration_s": \(fmt(s.duration, 1)), "quiet": \(f.quiet.json()), "attacked": \(f.attacked.json()), \
        "sent": \(f.sent), "received": \(f.received), "attack_bytes_sent": \(f.attackBytesSent), \
        "attack_bytes_received": \(f.attackBytesReceived), "attackers_left": \(f.attackersLeft), \
        "hub_rss_before_kib": \(f.rssBeforeKiB), "hub_rss_peak_kib": \(f.rssPeakKiB), "hub_hwm_kib": \(f.hwmKiB)}

        """
    }
}
