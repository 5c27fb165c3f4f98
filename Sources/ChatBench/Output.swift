import ChatProtocol
import Histogram

// Number formatting without Foundation.

/// `x` with `digits` decimals, `n/a` when it is not a number.
func fmt(_ x: Double, _ digits: Int) -> String { NumberFormat.fixed(x, decimals: digits) ?? "n/a" }

/// 1234567 -> "1,234,567".
func group(_ v: Int) -> String {
    let s = String(abs(v))
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return v < 0 ? "-" + out : out
}

func group(_ v: UInt64) -> String { group(Int(clamping: v)) }

/// Nanoseconds as milliseconds with 3 decimals.
func ms(_ ns: UInt64) -> String { fmt(Double(ns) / 1e6, 3) }

extension Histogram where Count == UInt64 {
    func summary() -> String {
        guard totalCount > 0 else { return "none" }
        return "p50 \(ms(valueAtPercentile(50))) / p90 \(ms(valueAtPercentile(90))) / p99 \(ms(valueAtPercentile(99))) / p99.9 \(ms(valueAtPercentile(99.9))) / max \(ms(max)) ms (n=\(group(totalCount)))"
    }

    func json() -> String {
        guard totalCount > 0 else { return "null" }
        let p = [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p999", 99.9)]
        var parts = p.map { "\"\($0.0)_ms\": \(fmt(Double(valueAtPercentile($0.1)) / 1e6, 4))" }
        parts.append("\"max_ms\": \(fmt(Double(max) / 1e6, 4))")
        parts.append("\"count\": \(totalCount)")
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

private func churnJSON(_ f: FaultResult) -> String {
    let x = f.churnCheck
    let kv: [(String, String)] = [
        ("private_sent", "\(x.privateSent)"), ("private_refused", "\(x.privateRefused)"),
        ("private_expected", "\(x.privateExpected)"), ("private_delivered", "\(x.privateDelivered)"),
        ("private_lost", "\(x.privateLost)"), ("private_duplicated", "\(x.privateDuplicated)"),
        ("private_reordered", "\(x.privateReordered)"),
        ("channel_sent", "\(x.channelSent)"), ("channel_observed", "\(x.channelObserved)"),
        ("channel_required", "\(x.channelRequired)"), ("channel_delivered", "\(x.channelDelivered)"),
        ("channel_lost", "\(x.channelLost)"), ("channel_duplicated", "\(x.channelDuplicated)"),
        ("channel_reordered", "\(x.channelReordered)"),
        ("unexpected", "\(x.unexpected)"), ("disagreements", "\(x.disagreements)"), ("corrupted", "\(x.corrupted)"),
        ("errors", "\(f.churnErrors)"), ("write_failures", "\(f.churnWriteFailures)"),
        ("ok", "\(x.ok && f.churnErrors == 0 && f.churnWriteFailures == 0)"),
    ]
    return "{" + kv.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
}

extension BenchResult {
    /// The human-readable report.
    func table(label: String?) -> String {
        let c = config
        var rows: [(String, String)] = []
        rows.append(("scenario", "\(c.scenario.rawValue), dialect \(c.dialect.rawValue)\(c.tls ? " over TLS" : ""), target \(c.target)\(label.map { " (\($0))" } ?? "")"))
        var shape = "\(c.clients) clients, \(c.workers) workers"
        if c.scenario != .connections {
            shape += ", \(c.senders) senders, " + (c.paced ? "\(fmt(c.rate, 0)) lines/s in all" : "flat out (window \(c.window) lines/sender)")
            shape += ", \(c.varySize ? "24-\(c.lineSize)" : "\(c.lineSize)")-byte lines, \(fmt(c.duration, 1)) s"
        } else {
            shape += ", hold \(fmt(c.hold, 1)) s"
        }
        rows.append(("run", shape))
        if let plan = c.community { rows.append(("community", plan.summary)) }
        rows.append(("clients ready", "\(group(ready)) of \(group(c.clients)) in \(fmt(rampSeconds, 2)) s (connect failed \(connectFailed), registration failed \(registerFailed), dropped later \(dropped))"))
        if registration.totalCount > 0 { rows.append(("registration time", registration.summary())) }
        if c.scenario != .connections {
            rows.append(("lines sent", group(totalSent)))
            rows.append(("lines delivered", "\(group(delivered)) of \(group(expectedDeliveries)) expected in \(fmt(windowSeconds, 2)) s"))
            rows.append(("delivered per second", group(Int(deliveredPerSecond))))
            rows.append(("lost / duplicated / reordered / corrupted", "\(group(lost)) / \(group(duplicated)) / \(group(reordered)) / \(group(lines.corrupted))"))
            if lines.echoes > 0 { rows.append(("own lines echoed back", group(lines.echoes))) }
            if c.paced {
                rows.append(("latency, first delivery", first.summary()))
                rows.append(("latency, last delivery", last.summary()))
            }
            rows.append(("latency, every delivery", all.summary()))
            rows.append(("bench CPU (workers)", "\(fmt(benchCPU, 2)) s, \(fmt(benchCPU / Swift.max(windowSeconds, 1e-9) * 100, 0))% of one core"))
            if lines.windowStalls > 0 { rows.append(("sender loop passes held by the window", group(lines.windowStalls))) }
        }
        if let a = serverBefore, let b = serverAfter {
            let cpu = b.totalCPU - a.totalCPU
            let hub = b.rootCPU - a.rootCPU
            rows.append(("server CPU", "\(fmt(cpu, 3)) s in \(fmt(windowSeconds, 2)) s: hub \(fmt(hub, 3)) s, sessions \(fmt(cpu - hub, 3)) s (\(fmt(cpu / Swift.max(windowSeconds, 1e-9) * 100, 1))% of one core)"))
            if c.scenario == .connections {
                rows.append(("hub CPU while idle", "\(fmt(hub / Swift.max(windowSeconds, 1e-9) * 100, 2))% of one core"))
            }
            if let per = cpuPerLineMicros { rows.append(("server CPU per delivered line", "\(fmt(per, 3)) µs")) }
            if let per = cpuPerKeyMicros { rows.append(("server CPU per key typed", "\(fmt(per, 3)) µs (all of it counted per key)")) }
            rows.append(("server memory (PSS)", "\(group(b.totalPSS)) KiB in \(b.processes) processes: root \(group(b.rootPSS)) KiB, \(fmt(pssPerSessionKiB ?? 0, 1)) KiB per other process\(b.pssComplete ? "" : " (some unreadable)")"))
            if let base = serverBaseline, let per = pssPerClientKiB {
                rows.append(("server memory per client", "\(fmt(per, 1)) KiB (PSS growth since before the first connect: \(group(base.totalPSS)) -> \(group(b.totalPSS)) KiB)"))
            }
        }
        if let f = faults {
            rows.append(("faults: kills", "\(f.kills) of \(f.victims) victims killed with SIGKILL (\(f.killMisses) sessions not found), \(f.killedAnnounced) quits announced, \(f.victimsDroppedEarly) dropped before their kill"))
            rows.append(("faults: stallers", "\(f.stallers) stopped reading; \(f.stallersAnnounced) quits announced (\(f.stallersAnnouncedBeforeEnd) before the traffic ended)"))
            rows.append(("faults: noise", "\(f.noisy) noisy clients, \(f.noisyConnects) connections, \(group(f.noisyBytes)) bytes: \(f.randomChunks) random chunks, \(f.overlong) overlong lines, \(f.telnetNoise) telnet bursts"))
            rows.append(("faults: churn", "\(f.churn) clients: \(f.joins) joins, \(f.parts) parts, \(f.nickChanges) nick changes, \(f.privateMessages) private and \(f.channelMessages) channel messages; \(f.churnDropped) dropped"))
            let x = f.churnCheck
            rows.append(("churn check: private", "\(group(x.privateSent)) sent, \(group(x.privateRefused)) refused (addressee's nick changed), \(group(x.privateExpected)) owed, \(group(x.privateDelivered)) delivered; lost / duplicated / reordered \(x.privateLost) / \(x.privateDuplicated) / \(x.privateReordered)"))
            rows.append(("churn check: channels", "\(group(x.channelSent)) lines sent, \(group(x.channelObserved)) seen with exact membership by an IRC member, owing \(group(x.channelRequired)) deliveries; \(group(x.channelDelivered)) delivered in memberships; lost / duplicated / reordered \(x.channelLost) / \(x.channelDuplicated) / \(x.channelReordered)"))
            rows.append(("churn check: other", "unexpected \(x.unexpected), observers disagreeing \(x.disagreements), corrupted \(x.corrupted), error replies \(f.churnErrors), lines not written whole \(f.churnWriteFailures): \(x.ok && f.churnErrors == 0 && f.churnWriteFailures == 0 ? "exactly once, in order" : "FAILED")"))
            rows.append(("faults: watcher", "\(f.watcherAlive ? "alive" : "DROPPED"), \(f.quitsSeen) quits seen; seed \(f.seed)"))
        }
        if let l = leaks {
            let a = l.after
            rows.append(("hub after everyone left", a.map { "\(l.hubAlive ? "alive" : "DEAD") after \(fmt(l.secondsToEmpty, 1)) s: descriptors \(l.before.descriptors) -> \($0.descriptors), children \(l.before.children) -> \($0.children) (zombies \($0.zombies)), PSS \(group(l.before.pssKiB)) -> \(group($0.pssKiB)) KiB (\(l.pssGrowthKiB >= 0 ? "+" : "")\(l.pssGrowthKiB), tolerance +\(l.pssToleranceKiB)): \(l.ok ? "back to start" : "NOT back to start")" } ?? "hub gone"))
        }
        for p in progress { rows.append(("progress", p)) }
        for n in notes.prefix(12) { rows.append(("note", n)) }
        let width = rows.map { $0.0.count }.max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n") + "\n"
    }

    func json(label: String?) -> String {
        let c = config
        var f: [(String, String)] = []
        f.append(("scenario", jsonString(c.scenario.rawValue)))
        f.append(("dialect", jsonString(c.dialect.rawValue)))
        f.append(("tls", c.tls ? "true" : "false"))
        f.append(("target", jsonString(c.target.description)))
        if let label { f.append(("label", jsonString(label))) }
        f.append(("clients", "\(c.clients)"))
        f.append(("senders", "\(c.senders)"))
        f.append(("workers", "\(c.workers)"))
        f.append(("rate", fmt(c.rate, 3)))
        f.append(("line_size", "\(c.lineSize)"))
        if let plan = c.community {
            let privates = plan.targets.filter { if case .user = $0 { return true } else { return false } }.count
            f.append(("community", "{\"channel_sizes\": [\(plan.sizes.map(String.init).joined(separator: ", "))], \"private_senders\": \(privates)}"))
        }
        f.append(("duration_s", fmt(c.duration, 3)))
        f.append(("ready", "\(ready)"))
        f.append(("connect_failed", "\(connectFailed)"))
        f.append(("register_failed", "\(registerFailed)"))
        f.append(("dropped", "\(dropped)"))
        f.append(("ramp_s", fmt(rampSeconds, 4)))
        f.append(("registration", registration.json()))
        f.append(("sent", "\(totalSent)"))
        f.append(("expected", "\(expectedDeliveries)"))
        f.append(("delivered", "\(delivered)"))
        f.append(("lost", "\(lost)"))
        f.append(("duplicated", "\(duplicated)"))
        f.append(("reordered", "\(reordered)"))
        f.append(("corrupted", "\(lines.corrupted)"))
        f.append(("echoed", "\(lines.echoes)"))
        f.append(("window_s", fmt(windowSeconds, 4)))
        f.append(("delivered_per_s", fmt(deliveredPerSecond, 1)))
        f.append(("latency_first", c.paced ? first.json() : "null"))
        f.append(("latency_last", c.paced ? last.json() : "null"))
        f.append(("latency_all", all.json()))
        f.append(("bench_cpu_s", fmt(benchCPU, 4)))
        f.append(("bench_cpu_pct", fmt(benchCPU / Swift.max(windowSeconds, 1e-9) * 100, 2)))
        f.append(("window_stalls", "\(lines.windowStalls)"))
        if let a = serverBefore, let b = serverAfter {
            var s: [(String, String)] = []
            s.append(("cpu_s", fmt(b.totalCPU - a.totalCPU, 4)))
            s.append(("hub_cpu_s", fmt(b.rootCPU - a.rootCPU, 4)))
            s.append(("cpu_per_line_us", cpuPerLineMicros.map { fmt($0, 4) } ?? "null"))
            s.append(("cpu_per_key_us", cpuPerKeyMicros.map { fmt($0, 4) } ?? "null"))
            s.append(("hub_cpu_pct", fmt((b.rootCPU - a.rootCPU) / Swift.max(windowSeconds, 1e-9) * 100, 3)))
            s.append(("pss_kib", "\(b.totalPSS)"))
            s.append(("hub_pss_kib", "\(b.rootPSS)"))
            s.append(("pss_per_session_kib", pssPerSessionKiB.map { fmt($0, 2) } ?? "null"))
            s.append(("pss_baseline_kib", serverBaseline.map { "\($0.totalPSS)" } ?? "null"))
            s.append(("pss_per_client_kib", pssPerClientKiB.map { fmt($0, 2) } ?? "null"))
            s.append(("pss_at_start_kib", "\(a.totalPSS)"))
            s.append(("cpu_pct", fmt((b.totalCPU - a.totalCPU) / Swift.max(windowSeconds, 1e-9) * 100, 2)))
            s.append(("processes", "\(b.processes)"))
            f.append(("server", "{" + s.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"))
        } else {
            f.append(("server", "null"))
        }
        if let x = faults {
            let kv: [(String, String)] = [
                ("victims", "\(x.victims)"), ("kills", "\(x.kills)"), ("kill_misses", "\(x.killMisses)"),
                ("killed_announced", "\(x.killedAnnounced)"), ("victims_dropped_early", "\(x.victimsDroppedEarly)"),
                ("stallers", "\(x.stallers)"), ("stallers_announced", "\(x.stallersAnnounced)"),
                ("stallers_announced_before_end", "\(x.stallersAnnouncedBeforeEnd)"),
                ("noisy", "\(x.noisy)"), ("noisy_connects", "\(x.noisyConnects)"), ("noisy_bytes", "\(x.noisyBytes)"),
                ("overlong_lines", "\(x.overlong)"), ("telnet_bursts", "\(x.telnetNoise)"), ("random_chunks", "\(x.randomChunks)"),
                ("churn", "\(x.churn)"), ("joins", "\(x.joins)"), ("parts", "\(x.parts)"), ("nick_changes", "\(x.nickChanges)"),
                ("private_messages", "\(x.privateMessages)"), ("channel_messages", "\(x.channelMessages)"),
                ("churn_dropped", "\(x.churnDropped)"), ("watcher_alive", "\(x.watcherAlive)"), ("quits_seen", "\(x.quitsSeen)"),
                ("seed", "\(x.seed)"), ("total_clients", "\(c.totalClients)"),
                ("churn_check", churnJSON(x)),
            ]
            f.append(("faults", "{" + kv.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"))
        }
        if let l = leaks {
            func hub(_ h: HubSample) -> String { "{\"descriptors\": \(h.descriptors), \"pss_kib\": \(h.pssKiB), \"children\": \(h.children), \"zombies\": \(h.zombies)}" }
            let kv: [(String, String)] = [
                ("hub_alive", "\(l.hubAlive)"), ("before", hub(l.before)), ("after", l.after.map(hub) ?? "null"),
                ("seconds_to_empty", fmt(l.secondsToEmpty, 3)), ("pss_growth_kib", "\(l.pssGrowthKiB)"),
                ("pss_tolerance_kib", "\(l.pssToleranceKiB)"), ("descriptors_back", "\(l.descriptorsBack)"),
                ("children_back", "\(l.childrenBack)"), ("pss_within_tolerance", "\(l.pssWithinTolerance)"), ("ok", "\(l.ok)"),
            ]
            f.append(("leaks", "{" + kv.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"))
        }
        f.append(("notes", "[" + notes.map(jsonString).joined(separator: ", ") + "]"))
        return "{\n" + f.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }
}
