import ChatPOSIX
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// The parent: forks the workers, steps them through the phases, samples the server, merges.
final class Runner {
    let cfg: BenchConfig
    var result: BenchResult
    var workers: [(pid: pid_t, control: Int32, reader: WireReader)] = []
    var faultProcess: (pid: pid_t, control: Int32, reader: WireReader)?
    var hubBefore: HubSample?
    let layout: SharedLayout
    let shared: SharedCounters
    let log: (String) -> Void

    init(cfg: BenchConfig, log: @escaping (String) -> Void) throws(SystemError) {
        self.cfg = cfg
        self.log = log
        result = BenchResult(config: cfg)
        layout = SharedLayout(senders: cfg.senders, workers: cfg.workers)
        shared = try SharedCounters(count: layout.count)
    }

    func run() throws -> BenchResult {
        result.descriptorLimit = Proc.raiseDescriptorLimit()
        SignalQueue.ignore(SIGPIPE)
        let perWorker = (cfg.clients + cfg.workers - 1) / cfg.workers
        if UInt64(perWorker + 64) > result.descriptorLimit {
            throw BenchError("\(perWorker) clients per worker need more descriptors than the limit (\(result.descriptorLimit)); use more --workers")
        }
        if let pid = cfg.serverPID {
            guard let b = TreeSample.take(root: pid, memory: true) else { throw BenchError("no process \(pid) (--server-pid)") }
            result.serverBaseline = b
            hubBefore = HubSample.take(pid)
        }
        if cfg.faults.any && cfg.scenario != .soak { throw BenchError("faults (--kill-percent, --stallers, --noisy, --churn) are for the soak scenario") }
        if cfg.faults.killPercent > 0 && cfg.serverPID == nil { throw BenchError("--kill-percent needs --server-pid") }
        let t0 = Proc.monotonicNanos()
        try startWorkers()
        defer { stopWorkers() }

        // 1. Everyone connected and registered.
        var lastReady: UInt64 = 0
        for w in workers.indices {
            let m = try expect("R", from: w, timeoutMS: Int(cfg.registerTimeout * 1000) + 30_000)
            result.ready += Int(m.values[0])
            result.connectFailed += Int(m.values[1])
            result.registerFailed += Int(m.values[2])
            lastReady = max(lastReady, m.values[4])
        }
        result.rampSeconds = lastReady > t0 ? Double(lastReady - t0) / 1e9 : 0
        log("\(result.ready) of \(cfg.clients) clients ready in \(fmt(result.rampSeconds, 2)) s")
        if result.ready == 0 { throw BenchError("no client could register (is the server at \(cfg.target)?)\n" + collectNotes()) }
        if cfg.faults.any {
            try startFaults()
            let m = try expectFault("R", timeoutMS: Int(cfg.registerTimeout * 1000) + 30_000)
            log("faults: \(m.values[0]) of \(cfg.totalClients - cfg.clients - cfg.faults.noisy) watcher, victim, staller and churn clients ready; \(cfg.faults.noisy) noisy clients connect when the traffic starts (\(cfg.victims) victims, seed \(cfg.faults.seed))")
        }

        if cfg.scenario == .connections {
            try hold()
        } else {
            try traffic()
        }
        return result
    }

    // MARK: Phases

    private func hold() throws {
        // Let the join notices die down, then watch the idle server.
        broadcast(WireMessage("Q"))
        for w in workers.indices { _ = try expect("q", from: w, timeoutMS: 120_000) }
        if let pid = cfg.serverPID { result.serverBefore = TreeSample.take(root: pid, memory: false) }
        let start = Proc.monotonicNanos()
        Proc.sleep(nanos: UInt64(cfg.hold * 1e9))
        result.windowSeconds = Double(Proc.monotonicNanos() - start) / 1e9
        if let pid = cfg.serverPID { result.serverAfter = TreeSample.take(root: pid, memory: true) }
        broadcast(WireMessage("D"))
        try collectReports()
    }

    private func traffic() throws {
        broadcast(WireMessage("Q"))
        let settleStart = Proc.monotonicNanos()
        for w in workers.indices { _ = try expect("q", from: w, timeoutMS: 120_000) }
        result.settleSeconds = Double(Proc.monotonicNanos() - settleStart) / 1e9
        let benchBefore = workers.map { TreeSample.take(root: $0.pid, memory: false)?.totalCPU ?? 0 }.reduce(0, +)
        if let pid = cfg.serverPID { result.serverBefore = TreeSample.take(root: pid, memory: true) }
        let start = Proc.monotonicNanos() + 20_000_000
        let end = start + UInt64(cfg.duration * 1e9)
        broadcast(WireMessage("G", [start, end]))
        if let fp = faultProcess { try? WireMessage("G", [start, end]).send(to: fp.control) }
        if cfg.scenario == .soak { progress(start: start, end: end) }
        try collectReports()
        result.windowSeconds = Double(Proc.monotonicNanos() - start) / 1e9
        if let pid = cfg.serverPID { result.serverAfter = TreeSample.take(root: pid, memory: true) }
        let benchAfter = workers.map { TreeSample.take(root: $0.pid, memory: false)?.totalCPU ?? 0 }.reduce(0, +)
        result.benchCPU = benchAfter - benchBefore
        if faultProcess != nil { try collectFaults() }
        if cfg.faults.any, let pid = cfg.serverPID, let before = hubBefore { try leakCheck(pid, before) }
    }

    // MARK: Faults

    private func startFaults() throws {
        let control = try FD.pipe(nonBlocking: true)
        let report = try FD.pipe(nonBlocking: true)
        switch try Proc.fork() {
        case .child:
            FD.close(control.write)
            FD.close(report.read)
            for w in workers { FD.close(w.control); FD.close(w.reader.fd) }
            Proc.dieWithParent(SIGKILL)
            try? FD.setNonBlocking(report.write, false)
            do {
                let f = try FaultInjector(cfg: cfg, control: control.read, report: report.write)
                f.run()
            } catch {
                FD.writeAllIgnoringErrors(2, "chat-bench faults: \(error)\n")
                Proc.exitImmediately(1)
            }
        case .parent(let pid):
            FD.close(control.read)
            FD.close(report.write)
            try? FD.setNonBlocking(control.write, false)
            faultProcess = (pid, control.write, WireReader(fd: report.read))
        }
    }

    private func expectFault(_ kind: Character, timeoutMS: Int) throws -> WireMessage {
        let deadline = Proc.monotonicNanos() + UInt64(timeoutMS) * 1_000_000
        while true {
            let left = Int((deadline > Proc.monotonicNanos() ? deadline - Proc.monotonicNanos() : 0) / 1_000_000)
            guard let m = faultProcess!.reader.wait(timeoutMS: left) else {
                throw BenchError("the fault process \(faultProcess!.reader.closed ? "ended" : "did not answer in time") (waiting for '\(kind)')")
            }
            if m.kind == "N" { result.notes.append("faults: " + String(decoding: m.values.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)) }
            if m.kind == kind { return m }
        }
    }

    private func collectFaults() throws {
        let m = try expectFault("F", timeoutMS: Int((cfg.faults.announceTimeout + cfg.drainTimeout) * 1000) + 60_000)
        result.faults = FaultResult(m.values, seed: cfg.faults.seed)
        _ = try expectFault("E", timeoutMS: 10_000)
    }

    private func stopFaults() {
        guard let fp = faultProcess else { return }
        try? WireMessage("X").send(to: fp.control)
        FD.close(fp.control)
        Proc.waitFor(fp.pid)
        FD.close(fp.reader.fd)
        faultProcess = nil
    }

    /// Everyone leaves; then (bounded) the hub must be back where it started: no sessions, no
    /// zombies, the same descriptors, PSS within the tolerance.
    private func leakCheck(_ pid: Int32, _ before: HubSample) throws {
        stopWorkers()
        stopFaults()
        let t0 = Proc.monotonicNanos()
        let deadline = t0 + UInt64(cfg.faults.leakTimeout * 1e9)
        var after: HubSample? = HubSample.take(pid)
        while let a = after, a.children != before.children || a.zombies != 0 || a.descriptors != before.descriptors,
              Proc.monotonicNanos() < deadline {
            Proc.sleep(nanos: 100_000_000)
            after = HubSample.take(pid)
        }
        let seconds = Double(Proc.monotonicNanos() - t0) / 1e9
        // Let the hub finish what the last goodbyes started before reading its memory.
        if after != nil { Proc.sleep(nanos: 500_000_000); after = HubSample.take(pid) }
        result.leaks = LeakResult(before: before, after: after, hubAlive: ProcessCPU.read(pid) != nil, secondsToEmpty: seconds,
                                  pssToleranceKiB: cfg.faults.pssToleranceKiB)
        if let a = after {
            log("after everyone left (\(fmt(seconds, 1)) s): hub descriptors \(before.descriptors) -> \(a.descriptors), PSS \(before.pssKiB) -> \(a.pssKiB) KiB, children \(before.children) -> \(a.children) (zombies \(a.zombies))")
        } else {
            log("the hub is gone")
        }
    }

    /// Soak: a progress line every interval until the senders stop.
    private func progress(start: UInt64, end: UInt64) {
        var lastDelivered: UInt64 = 0
        var lastTime = start
        var first = true
        while true {
            let now = Proc.monotonicNanos()
            if now >= end { return }
            Proc.sleep(nanos: min(UInt64(cfg.interval * 1e9), end - now))
            let t = Proc.monotonicNanos()
            var delivered: UInt64 = 0
            for w in 0..<cfg.workers { delivered += shared.load(layout.delivered(w)) }
            var line = "t=\(fmt(Double(t - start) / 1e9, 0))s delivered/s=\(group(Int(Double(delivered - lastDelivered) / (Double(t - lastTime) / 1e9))))"
            if let pid = cfg.serverPID, let s = TreeSample.take(root: pid, memory: true) {
                line += " server_pss_kib=\(s.totalPSS) processes=\(s.processes)"
                if first, let b = result.serverBefore { line += " (at start \(b.totalPSS))" }
            }
            first = false
            result.progress.append(line)
            log(line)
            lastDelivered = delivered
            lastTime = t
        }
    }

    private func collectReports() throws {
        let timeout = Int((cfg.duration + cfg.drainTimeout * 2) * 1000) + 60_000
        var histPairs: [[UInt64]] = []
        var firsts: [ArraySlice<UInt64>] = []
        var lasts: [ArraySlice<UInt64>] = []
        let S = cfg.senders
        result.sent = [UInt64](repeating: 0, count: S)
        result.receivers = [UInt64](repeating: 0, count: S)
        for w in workers.indices {
            let m = try expect("F", from: w, timeoutMS: timeout)
            let v = m.values
            result.connectFailed += 0
            result.dropped += Int(v[3])
            result.lines.add(v[4..<4 + LineCounts.count])
            result.openGaps += v[13]
            let lineCap = Int(v[15])
            var k = 16
            for s in 0..<S {
                result.sent[s] += v[k]
                result.uniq += v[k + 1]
                result.duplicated += v[k + 2]
                result.reordered += v[k + 3]
                result.receivers[s] += v[k + 4]
                k += 5
            }
            if cfg.dialect == .typist {
                // A key per byte of each line (its payload and CR NUL); sizes vary around the
                // line size with --vary-size, so the figure is then an estimate.
                result.typedKeys = result.totalSent * UInt64(cfg.lineSize + 2)
            }
            let hn = Int(v[k]); k += 1
            result.all.add(flattened: v[k..<k + hn]); k += hn
            histPairs.append(Array(v[k - hn..<k]))
            let rn = Int(v[k]); k += 1
            result.registration.add(flattened: v[k..<k + rn]); k += rn
            if lineCap > 0 {
                firsts.append(v[k..<k + S * lineCap]); k += S * lineCap
                lasts.append(v[k..<k + S * lineCap]); k += S * lineCap
            }
            // Notes, then the end marker.
            while true {
                let n = try expect(nil, from: w, timeoutMS: 10_000)
                if n.kind == "E" { break }
                if n.kind == "N" { result.notes.append("worker \(w): " + String(decoding: n.values.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)) }
            }
        }
        // First and last delivery of every line: over all workers.
        if let f0 = firsts.first {
            let count = f0.count
            for j in 0..<count {
                var lo = UInt64.max
                var hi: UInt64 = 0
                for w in firsts.indices {
                    let f = firsts[w][firsts[w].startIndex + j]
                    if f != 0 { lo = min(lo, f) }
                    hi = max(hi, lasts[w][lasts[w].startIndex + j])
                }
                if lo != .max { result.first.record(lo - 1) }
                if hi != 0 { result.last.record(hi - 1) }
            }
        }
    }

    private func collectNotes() -> String {
        var out: [String] = []
        for w in workers.indices {
            workers[w].reader.fill()
            while let m = workers[w].reader.next() {
                if m.kind == "N" { out.append(String(decoding: m.values.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)) }
            }
        }
        return out.joined(separator: "\n")
    }

    // MARK: Workers

    private func startWorkers() throws {
        var pipes: [(control: (read: Int32, write: Int32), report: (read: Int32, write: Int32))] = []
        for _ in 0..<cfg.workers {
            pipes.append((try FD.pipe(nonBlocking: true), try FD.pipe(nonBlocking: true)))
        }
        for w in 0..<cfg.workers {
            switch try Proc.fork() {
            case .child:
                for (v, p) in pipes.enumerated() {
                    FD.close(p.control.write)
                    FD.close(p.report.read)
                    if v != w {
                        FD.close(p.control.read)
                        FD.close(p.report.write)
                    }
                }
                Proc.dieWithParent(SIGKILL)
                try? FD.setNonBlocking(pipes[w].report.write, false)
                let clients = Array(stride(from: w, to: cfg.clients, by: cfg.workers))
                do {
                    let worker = try Worker(cfg: cfg, index: w, clients: clients, shared: shared,
                                            control: pipes[w].control.read, report: pipes[w].report.write)
                    worker.run()
                } catch {
                    FD.writeAllIgnoringErrors(2, "chat-bench worker \(w): \(error)\n")
                    Proc.exitImmediately(1)
                }
            case .parent(let pid):
                workers.append((pid, pipes[w].control.write, WireReader(fd: pipes[w].report.read)))
            }
        }
        for p in pipes {
            FD.close(p.control.read)
            FD.close(p.report.write)
            try? FD.setNonBlocking(p.control.write, false)
        }
    }

    private func broadcast(_ m: WireMessage) {
        for w in workers { try? m.send(to: w.control) }
    }

    private func stopWorkers() {
        stopFaults()
        broadcast(WireMessage("X"))
        for w in workers {
            FD.close(w.control)
            Proc.waitFor(w.pid)
            FD.close(w.reader.fd)
        }
        workers.removeAll()
    }

    /// The next message of `kind` (nil: any) from worker `w`; notes that come first are kept.
    private func expect(_ kind: Character?, from w: Int, timeoutMS: Int) throws -> WireMessage {
        let deadline = Proc.monotonicNanos() + UInt64(timeoutMS) * 1_000_000
        while true {
            let left = Int((deadline > Proc.monotonicNanos() ? deadline - Proc.monotonicNanos() : 0) / 1_000_000)
            guard let m = workers[w].reader.wait(timeoutMS: left) else {
                let why = workers[w].reader.closed ? "ended" : "did not answer in time"
                throw BenchError("worker \(w) \(why) (waiting for '\(kind.map(String.init) ?? "any")')\n" + result.notes.joined(separator: "\n"))
            }
            if let kind, m.kind != kind {
                if m.kind == "N" { result.notes.append("worker \(w): " + String(decoding: m.values.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)) }
                continue
            }
            return m
        }
    }
}
