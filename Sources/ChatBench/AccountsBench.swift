import ChatPOSIX
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Accounts and stored history (issue 16, docs/BENCHMARKS.md): (1) alice and bob say lines to
/// each other, first quietly, then while a child process logs in `loginRate` times a second
/// (`NickServ IDENTIFY` from a new connection each time, to one of `accounts` accounts
/// registered first); (2) a joiner joins a channel whose history holds `replay` lines, `joins`
/// times, and the hub's CPU time for it is read, less that of as many joins of an empty channel.
final class AccountsBench {
    typealias Link = AmplificationBench.Link

    struct Settings {
        var target: SocketAddress
        var accounts = 20
        /// Logins a second during the storm; 0 skips the login part.
        var loginRate = 100.0
        /// Seconds of the storm; the quiet measurement before it takes as long.
        var duration = 10.0
        /// Lines a second each of alice and bob say.
        var rate = 100.0
        /// Lines of history each join replays; 0 (or `joins` 0) skips the replay part.
        var replay = 500
        var joins = 40
        /// The hub's process id, for its CPU time (the replay part needs it).
        var serverPID: Int32?
        var nickPrefix = "g"
    }

    struct Figures {
        var quiet = Histogram<UInt64>.latency()
        var storm = Histogram<UInt64>.latency()
        var logins = Histogram<UInt64>.latency()
        var sent = 0, received = 0
        var loginsStarted = 0, loginsOK = 0, loginsFailed = 0
        var replayedLines = 0
        /// Hub CPU seconds for all the joins of the full channel, and of the empty one.
        var replayCPU = 0.0, emptyCPU = 0.0
    }

    let s: Settings
    var figures = Figures()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    let log: (String) -> Void

    init(_ settings: Settings, log: @escaping (String) -> Void) {
        s = settings
        self.log = log
    }

    /// The password of the bench's account `i` (5 to 300 bytes, one word).
    func password(_ i: Int) -> String { "bench-pw-\(s.nickPrefix)-\(i)" }

    func run() throws -> Figures {
        SignalQueue.ignore(SIGPIPE)
        _ = Proc.raiseDescriptorLimit()
        if s.loginRate > 0 { try loginPart() }
        if s.replay > 0 && s.joins > 0 { try replayPart() }
        return figures
    }

    // MARK: Logins

    private func loginPart() throws {
        let p = s.nickPrefix
        // Registered accounts (a rerun on the same state finds them registered: also fine,
        // the passwords are the same).
        let owners = try connect((0..<s.accounts).map { "\(p)u\($0)" })
        for (i, l) in owners.enumerated() { l.send("PRIVMSG NickServ :REGISTER \(password(i))\r\n") }
        try wait(owners, "the accounts to be registered") { $0.answered }
        for l in owners { FD.close(l.fd) }
        log("\(s.accounts) accounts registered")
        let pair = try connect(["\(p)alice", "\(p)bob"])
        for c in pair { c.send("JOIN #\(p)pair\r\n") }
        try wait(pair, "alice and bob to join") { $0.joined >= 1 }
        talk(pair, until: Proc.monotonicNanos() + UInt64(s.duration * 1e9), into: \.quiet)
        log("quiet: \(figures.quiet.summary())")
        let end = Proc.monotonicNanos() + UInt64(s.duration * 1e9)
        let child = try startLogins(until: end)
        talk(pair, until: end, into: \.storm)
        log("logins: \(figures.storm.summary())")
        collectLogins(child)
        for c in pair { FD.close(c.fd) }
    }

    /// alice and bob say a line each every 1/rate s until `end`; each line's wait goes into `bucket`.
    private func talk(_ pair: [Link], until end: UInt64, into bucket: WritableKeyPath<Figures, Histogram<UInt64>>) {
        let interval = UInt64(1e9 / max(s.rate, 1))
        var next = Proc.monotonicNanos()
        var sent = 0, received = 0
        let marker = Array("PRIVMSG #\(s.nickPrefix)pair :t=".utf8)
        while true {
            let now = Proc.monotonicNanos()
            if now >= end && (received == sent || now >= end + 10_000_000_000) { break }
            if now < end && now >= next {
                for l in pair { l.send("PRIVMSG #\(s.nickPrefix)pair :t=\(now)\r\n") }
                sent += 2
                next += interval
            }
            var fds = pair.map { pollfd(fd: $0.fd, events: Poll.readable, revents: 0) }
            let wake = now < end ? min(next, end) : now + 10_000_000
            _ = try? Poll.wait(&fds, timeoutMS: Int32(clamping: wake > now ? (wake - now) / 1_000_000 : 0))
            for (i, l) in pair.enumerated() where fds[i].revents != 0 {
                _ = l.read(buffer) { line in
                    guard let at = line.firstRange(of: marker) else { return l.note(line) }
                    let digits = line[at.upperBound...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                    guard let t0 = UInt64(String(decoding: digits, as: UTF8.self)) else { return }
                    let t = Proc.monotonicNanos()
                    figures[keyPath: bucket].record(t > t0 ? t - t0 : 0)
                    received += 1
                }
            }
        }
        figures.sent += sent
        figures.received += received
    }

    private var loginReport: Int32 = -1

    /// The logins run in a child of their own, so that their connections do not delay the
    /// pair's clock; it reports what it counted and the logins' latency histogram.
    private func startLogins(until end: UInt64) throws -> pid_t {
        let pipe = try FD.pipe(nonBlocking: false)
        switch try Proc.fork() {
        case .parent(let pid):
            FD.close(pipe.write)
            loginReport = pipe.read
            return pid
        case .child:
            FD.close(pipe.read)
            Proc.dieWithParent(SIGKILL)
            var f = Figures()
            var live: [Link] = []
            var asked: [Int32: UInt64] = [:]
            let interval = UInt64(1e9 / s.loginRate)
            var next = Proc.monotonicNanos()
            while true {
                let now = Proc.monotonicNanos()
                if now >= end && (live.isEmpty || now >= end + 60_000_000_000) { break }
                if now < end && now >= next {
                    next += interval
                    if let fd = try? Socket.connect([s.target]), (try? FD.setNonBlocking(fd)) != nil {
                        let nick = "\(s.nickPrefix)l\(f.loginsStarted)"
                        let l = Link(fd: fd, nick: nick)
                        l.send("NICK \(nick)\r\nUSER \(nick) 0 * :chat-bench logins\r\n")
                        live.append(l)
                    } else {
                        f.loginsFailed += 1
                    }
                    f.loginsStarted += 1
                }
                var fds = live.map { pollfd(fd: $0.fd, events: Poll.readable, revents: 0) }
                let wake = now < end ? next : now + 10_000_000
                _ = try? Poll.wait(&fds, timeoutMS: Int32(clamping: wake > now ? (wake - now) / 1_000_000 : 0))
                for (i, l) in live.enumerated() where fds[i].revents != 0 {
                    _ = l.read(buffer) { line in
                        let words = line.split(separator: 0x20, maxSplits: 2)
                        guard words.count >= 2 else { return }
                        if words[1].elementsEqual("001".utf8) {
                            let k = f.loginsStarted % s.accounts
                            l.send("PRIVMSG NickServ :IDENTIFY \(s.nickPrefix)u\(k) \(password(k))\r\n")
                            asked[l.fd] = Proc.monotonicNanos()
                        } else if let t0 = asked[l.fd], words[1].elementsEqual("900".utf8) {
                            f.logins.record(Proc.monotonicNanos() - t0)
                            f.loginsOK += 1
                            l.gone = true
                        } else if asked[l.fd] != nil, words[1].elementsEqual("NOTICE".utf8),
                                  words[0].starts(with: ":NickServ!".utf8) {
                            f.loginsFailed += 1
                            l.gone = true
                        } else {
                            l.note(line)
                        }
                    }
                }
                for l in live where l.gone {
                    asked[l.fd] = nil
                    FD.close(l.fd)
                }
                live.removeAll { $0.gone }
            }
            let numbers = [UInt64(f.loginsStarted), UInt64(f.loginsOK), UInt64(f.loginsFailed)] + f.logins.flattened()
            FD.writeAllIgnoringErrors(pipe.write, numbers.map(String.init).joined(separator: " ") + "\n")
            Proc.exitImmediately(0)
        }
    }

    private func collectLogins(_ pid: pid_t) {
        var bytes: [UInt8] = []
        while let chunk = FD.readSome(loginReport, max: 65536), !chunk.isEmpty { bytes += chunk }
        let v = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
        if v.count >= 3 {
            figures.loginsStarted = Int(v[0])
            figures.loginsOK = Int(v[1])
            figures.loginsFailed = Int(v[2])
            figures.logins.add(flattened: v[3...])
        }
        FD.close(loginReport)
        _ = Proc.waitFor(pid)
    }

    // MARK: Replay

    private func replayPart() throws {
        guard let pid = s.serverPID else { throw BenchError("the replay part needs --server-pid (the hub's process id)") }
        let p = s.nickPrefix
        let links = try connect(["\(p)filler", "\(p)joiner"])
        let (filler, joiner) = (links[0], links[1])
        filler.send("JOIN #\(p)hist,#\(p)empty\r\n")
        try wait([filler], "the filler to join") { $0.joined >= 2 }
        let text = String(repeating: "x", count: 80)
        for k in 0..<s.replay { filler.send("PRIVMSG #\(p)hist :\(k) \(text)\r\n") }
        // The filler's lines are in the history once its PING after them is answered.
        try sync(filler, "the history to fill")
        let marker = Array("PRIVMSG #\(p)hist :".utf8)
        for (channel, cpu) in [("#\(p)empty", \Figures.emptyCPU), ("#\(p)hist", \Figures.replayCPU)] {
            let before = Self.cpu(pid)
            for _ in 0..<s.joins {
                var replayed = 0
                joiner.send("JOIN \(channel)\r\n")
                try sync(joiner, "\(channel)'s replay") { line in
                    if line.firstRange(of: marker) != nil { replayed += 1 }
                }
                joiner.send("PART \(channel)\r\n")
                if channel.hasSuffix("hist") { figures.replayedLines += replayed }
            }
            figures[keyPath: cpu] = Self.cpu(pid) - before
        }
        log("replay: \(figures.replayedLines) lines in \(s.joins) joins")
        for c in links { FD.close(c.fd) }
    }

    /// The hub's own CPU seconds (schedstat's nanoseconds, as the tree samples read them).
    private static func cpu(_ pid: Int32) -> Double {
        ProcessCPU.read(pid).map { TreeSample.cpuSeconds(pid, $0) } ?? 0
    }

    // MARK: Set-up

    /// Sends a PING and reads until its PONG: replies come in the order of the commands, so
    /// everything asked before has been answered.
    private func sync(_ l: Link, _ what: String, count: (ArraySlice<UInt8>) -> Void = { _ in }) throws {
        syncs += 1
        let token = Array("sync\(syncs)".utf8)
        l.send("PING :sync\(syncs)\r\n")
        var done = false
        try wait([l], what, quietMS: 0, { _ in done }) { line in
            if line.firstRange(of: Array(" PONG ".utf8)) != nil, line.firstRange(of: token) != nil { done = true }
            count(line)
        }
    }

    private var syncs = 0

    private func connect(_ nicks: [String]) throws -> [Link] {
        try Link.connect(nicks, to: s.target, realName: "chat-bench accounts", buffer: buffer)
    }

    private func wait(_ links: [Link], _ what: String, quietMS: UInt64 = 200, _ done: (Link) -> Bool,
                      count: (ArraySlice<UInt8>) -> Void = { _ in }) throws {
        try Link.wait(links, what, quietMS: quietMS, buffer: buffer, done, count: count)
    }

    // MARK: Output

    static func table(_ f: Figures, _ s: Settings) -> String {
        var out = "accounts: \(s.accounts) accounts, \(fmt(s.loginRate, 0)) logins/s for \(fmt(s.duration, 0)) s, \(s.joins) joins replaying \(s.replay) lines\n"
        if s.loginRate > 0 {
            out += """
              alice <-> bob, quiet:  \(f.quiet.summary())
              alice <-> bob, logins: \(f.storm.summary())
              pair lines: \(group(f.sent)) sent, \(group(f.received)) received
              logins: \(group(f.loginsStarted)) started, \(group(f.loginsOK)) answered 900, \(group(f.loginsFailed)) failed, \(group(f.loginsStarted - f.loginsOK - f.loginsFailed)) unanswered
              login latency (IDENTIFY to 900): \(f.logins.summary())

            """
        }
        if s.replay > 0 && s.joins > 0 {
            let per = (f.replayCPU - f.emptyCPU) / Double(s.joins) * 1000
            out += """
              replay: \(group(f.replayedLines)) lines replayed in \(s.joins) joins (\(group(f.replayedLines / max(s.joins, 1))) a join)
              hub CPU: \(fmt(f.replayCPU * 1000, 0)) ms for the joins with history, \(fmt(f.emptyCPU * 1000, 0)) ms for as many of an empty channel: \(fmt(per, 2)) ms of replay a join

            """
        }
        return out
    }

    static func json(_ f: Figures, _ s: Settings) -> String {
        """
        {"scenario": "accounts", "accounts": \(s.accounts), "login_rate": \(fmt(s.loginRate, 1)), "duration_s": \(fmt(s.duration, 1)), \
        "quiet": \(f.quiet.json()), "logins": \(f.storm.json()), "sent": \(f.sent), "received": \(f.received), \
        "logins_started": \(f.loginsStarted), "logins_ok": \(f.loginsOK), "logins_failed": \(f.loginsFailed), \
        "login_latency": \(f.logins.json()), "joins": \(s.joins), "replay": \(s.replay), "replayed_lines": \(f.replayedLines), \
        "replay_cpu_s": \(fmt(f.replayCPU, 3)), "empty_join_cpu_s": \(fmt(f.emptyCPU, 3))}

        """
    }
}
