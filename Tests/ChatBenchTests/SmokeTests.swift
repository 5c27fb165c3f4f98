import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

// CI smoke runs: the real chat-bench against the real chat-server (and ncat --chat when it is
// installed), tiny sizes, one or two seconds each. They assert that every line arrived once,
// in order and intact, never how fast.

/// A server under test: its process (output in a log) and the port it listens on.
struct Server {
    let process: LoggedProcess
    let port: Int
    /// ncat does not end on SIGTERM.
    var stopSignal = SIGTERM

    var pid: Int32 { process.pid }
    /// For `defer`: holds the thread while the server ends (a moment, once signalled).
    func stop() { process.stopBlocking(stopSignal, grace: 5) }

    static func chatServer(_ extra: [String] = []) async throws -> Server {
        let p = try LoggedProcess(productPath("chat-server"), name: "bench-smoke") { dir in
            ["--listen", "127.0.0.1:0", "--flood-rate", "0", "--max-per-ip", "0", "--max-clients", "0",
             "--control-socket", dir + "/control.sock"] + extra
        }
        return Server(process: p, port: try await p.waitForListeningPort(timeout: 15))
    }
}

/// Runs chat-bench with `arguments` plus --json; its parsed output.
func bench(_ arguments: [String]) async throws -> [String: Any] {
    let r = try await runToExit(productPath("chat-bench"), arguments + ["--json", "--quiet", "--workers", "2"], errorsApart: true)
    let data = Data(r.output.utf8), errText = r.errors
    guard r.status == 0 else {
        throw TestFailure("chat-bench \(arguments) exited \(r.status): \(errText)\n\(String(decoding: data, as: UTF8.self))")
    }
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("chat-bench printed no JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return json
}

func int(_ j: [String: Any], _ key: String) -> Int { (j[key] as? NSNumber)?.intValue ?? -1 }

/// Every line delivered exactly once, in order, intact, to every other client.
func expectPerfect(_ j: [String: Any], clients: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let sent = int(j, "sent")
    #expect(int(j, "ready") == clients, "\(j)", sourceLocation: sourceLocation)
    #expect(sent > 0, "\(j)", sourceLocation: sourceLocation)
    #expect(int(j, "expected") == sent * (clients - 1), "\(j)", sourceLocation: sourceLocation)
    #expect(int(j, "delivered") == sent * (clients - 1), "\(j)", sourceLocation: sourceLocation)
    for key in ["lost", "duplicated", "reordered", "corrupted", "dropped"] {
        #expect(int(j, key) == 0, "\(key) in \(j)", sourceLocation: sourceLocation)
    }
}

@Suite(.serialized) struct SmokeTests {
    @Test func fanoutIRC() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["fanout", "--target", "127.0.0.1:\(server.port)", "--dialect", "irc", "--clients", "6", "--senders", "2",
                           "--duration", "1", "--server-pid", "\(server.pid)"])
        expectPerfect(j, clients: 6)
        let s = j["server"] as? [String: Any]
        #expect((s?["processes"] as? NSNumber)?.intValue == 9, "hub + spawner + password worker + 6 sessions: \(String(describing: s))")
    }

    /// The community scenario against the real server: every member of each channel, and each
    /// private addressee, gets every line once, in order, intact.
    @Test func communityIRC() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["community", "--target", "127.0.0.1:\(server.port)", "--clients", "40", "--channels", "4",
                                 "--senders", "10", "--private", "2", "--duration", "2", "--server-pid", "\(server.pid)"])
        #expect(int(j, "ready") == 40, "\(j)")
        #expect(int(j, "sent") > 0 && int(j, "expected") > int(j, "sent"), "\(j)")
        #expect(int(j, "delivered") == int(j, "expected"), "\(j)")
        for key in ["lost", "duplicated", "reordered", "corrupted", "dropped"] {
            #expect(int(j, key) == 0, "\(key) in \(j)")
        }
        let community = j["community"] as? [String: Any]
        #expect((community?["channel_sizes"] as? [Any])?.count == 4, "\(j)")
        #expect((community?["private_senders"] as? NSNumber)?.intValue == 2, "\(j)")
    }

    @Test func communityRefusesTheHumanDialect() async throws {
        let r = try await runToExit(productPath("chat-bench"), ["community", "--dialect", "human", "--quiet"], errorsApart: true)
        #expect(r.status != 0 && r.errors.contains("community is for the irc dialect"), "\(r)")
    }

    @Test func latencyHuman() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["latency", "--target", "127.0.0.1:\(server.port)", "--dialect", "human", "--clients", "5",
                           "--rate", "50", "--duration", "1"])
        expectPerfect(j, clients: 5)
        #expect(j["latency_first"] is [String: Any], "\(j)")
    }

    /// Telnet users in character mode, each key a write of its own: every line arrives once,
    /// and the server's CPU per key is reported.
    @Test func latencyTypist() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["latency", "--target", "127.0.0.1:\(server.port)", "--dialect", "typist", "--clients", "4",
                           "--rate", "20", "--duration", "1", "--server-pid", "\(server.pid)"])
        expectPerfect(j, clients: 4)
        let s = j["server"] as? [String: Any]
        #expect(((s?["cpu_per_key_us"] as? NSNumber)?.doubleValue ?? 0) > 0, "\(String(describing: s))")
    }

    @Test func soakMixed() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["soak", "--target", "127.0.0.1:\(server.port)", "--dialect", "mixed", "--clients", "6", "--senders", "3",
                           "--rate", "150", "--duration", "2", "--interval", "1", "--server-pid", "\(server.pid)"])
        expectPerfect(j, clients: 6)
    }

    @Test func connectionsHuman() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["connections", "--target", "127.0.0.1:\(server.port)", "--dialect", "human", "--clients", "20",
                           "--hold", "0.5", "--server-pid", "\(server.pid)"])
        #expect(int(j, "ready") == 20, "\(j)")
        #expect(int(j, "connect_failed") == 0 && int(j, "register_failed") == 0 && int(j, "dropped") == 0, "\(j)")
        let s = j["server"] as? [String: Any]
        #expect((s?["processes"] as? NSNumber)?.intValue == 23, "hub + spawner + password worker + 20 sessions: \(String(describing: s))")
    }

    /// The CI version of the fault-injecting soak (docs/RELIABILITY.md, "Soak"): 200 clients in
    /// both dialects for a minute, 1% of the sessions killed with SIGKILL, 4 stallers, 2 noisy
    /// clients, 10 churning ones. A small --send-queue so that the stallers are dropped within
    /// the minute at this rate. Asserts counts and states, never a time.
    @Test func soakWithFaults() async throws {
        let server = try await Server.chatServer(["--send-queue", "32768"])
        defer { server.stop() }
        let j = try await bench(["soak", "--target", "127.0.0.1:\(server.port)", "--dialect", "mixed", "--clients-total", "200",
                           "--senders", "6", "--rate", "120", "--duration", "60", "--interval", "10",
                           "--server-pid", "\(server.pid)", "--kill-percent", "1", "--stallers", "4", "--noisy", "2",
                           "--churn", "10", "--announce-timeout", "30", "--leak-timeout", "30"])
        let measured = int(j, "clients")
        #expect(measured == 200 - 2 - 4 - 2 - 10 - 1, "\(j)")
        expectPerfect(j, clients: measured)
        #expect(server.process.isRunning, "the hub died:\n\(server.process.log)")

        let f = try #require(j["faults"] as? [String: Any], "\(j)")
        #expect(int(f, "victims") == 2, "\(f)")
        #expect(int(f, "kills") == int(f, "victims") && int(f, "kill_misses") == 0, "\(f)")
        #expect(int(f, "killed_announced") == int(f, "kills"), "every killed session's quit is announced: \(f)")
        #expect(int(f, "victims_dropped_early") == 0, "\(f)")
        #expect(int(f, "stallers") == 4 && int(f, "stallers_announced_before_end") == 4, "every staller is dropped and announced: \(f)")
        #expect(int(f, "noisy_bytes") > 0 && int(f, "overlong_lines") > 0 && int(f, "telnet_bursts") > 0, "\(f)")
        #expect(int(f, "joins") > 0 && int(f, "parts") > 0 && int(f, "nick_changes") > 0, "\(f)")
        #expect(int(f, "private_messages") > 0 && int(f, "channel_messages") > 0, "\(f)")
        #expect(int(f, "churn_dropped") == 0, "\(f)")
        // The churn traffic, exactly once and in order (ChurnLedger): private messages to their
        // addressee, channel lines to every member of the moment.
        let c = try #require(f["churn_check"] as? [String: Any], "\(f)")
        #expect(int(c, "private_sent") == int(f, "private_messages") && int(c, "channel_sent") == int(f, "channel_messages"), "\(c)")
        #expect(int(c, "private_expected") > 0 && int(c, "private_delivered") == int(c, "private_expected"), "\(c)")
        #expect(int(c, "channel_observed") > 0 && int(c, "channel_required") > 0 && int(c, "channel_delivered") > 0, "\(c)")
        for key in ["private_lost", "private_duplicated", "private_reordered", "channel_lost", "channel_duplicated",
                    "channel_reordered", "unexpected", "disagreements", "corrupted", "errors", "write_failures"] {
            #expect(int(c, key) == 0, "\(key) in \(c)\nnotes: \(j["notes"] ?? "")")
        }
        #expect((c["ok"] as? Bool) == true, "\(c)")
        #expect((f["watcher_alive"] as? Bool) == true, "\(f)")

        let l = try #require(j["leaks"] as? [String: Any], "\(j)")
        #expect((l["hub_alive"] as? Bool) == true, "\(l)")
        #expect((l["descriptors_back"] as? Bool) == true, "hub descriptors: \(l)")
        #expect((l["children_back"] as? Bool) == true, "hub children and zombies: \(l)")
        #expect((l["pss_within_tolerance"] as? Bool) == true, "hub PSS: \(l)")
        let after = l["after"] as? [String: Any]
        #expect(after.map { int($0, "zombies") } == 0, "\(l)")
    }

    /// The amplification attack at a small size (docs/BENCHMARKS.md, "Amplification"): every
    /// line of the pair arrives, the attackers were answered, the hub is alive.
    @Test func amplificationMeasuresThePairAndTheHub() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let j = try await bench(["amplification", "--target", "127.0.0.1:\(server.port)", "--clients", "20", "--senders", "3",
                                 "--history-channels", "2", "--rate", "50", "--duration", "2", "--server-pid", "\(server.pid)"])
        #expect(j["scenario"] as? String == "amplification")
        #expect(int(j, "sent") > 0 && int(j, "received") == int(j, "sent"), "\(j)")
        for phase in ["quiet", "attacked"] {
            let h = j[phase] as? [String: Any]
            #expect(h.map { int($0, "count") } ?? 0 > 0, "\(phase): \(j)")
        }
        #expect(int(j, "attack_bytes_sent") > 0 && int(j, "attack_bytes_received") > 0, "the attackers were answered: \(j)")
        #expect(int(j, "hub_rss_peak_kib") > 0, "\(j)")
        #expect(server.process.isRunning, "the hub died:\n\(server.process.log)")
    }

    /// Accounts and stored history at a small size (docs/BENCHMARKS.md, issue 16): every line
    /// of the pair arrives, every login is answered 900, every join replays the whole history.
    @Test func accountsMeasuresLoginsAndReplay() async throws {
        let state = NSTemporaryDirectory() + "chat-bench-accounts-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try shareWithServerUser(state)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try await Server.chatServer(["--state-dir", state + "/s", "--history", "30", "--reply-budget", "0"])
        defer { server.stop() }
        let j = try await bench(["accounts", "--target", "127.0.0.1:\(server.port)", "--accounts", "3", "--logins", "4",
                                 "--rate", "20", "--duration", "1", "--replay", "30", "--joins", "3", "--server-pid", "\(server.pid)"])
        #expect(j["scenario"] as? String == "accounts")
        #expect(int(j, "sent") > 0 && int(j, "received") == int(j, "sent"), "\(j)")
        for phase in ["quiet", "logins"] {
            let h = j[phase] as? [String: Any]
            #expect(h.map { int($0, "count") } ?? 0 > 0, "\(phase): \(j)")
        }
        #expect(int(j, "logins_started") > 0 && int(j, "logins_ok") == int(j, "logins_started"), "\(j)")
        #expect(int(j, "logins_failed") == 0, "\(j)")
        #expect(int(j, "replayed_lines") == 30 * 3, "\(j)")
        #expect(server.process.isRunning, "the hub died:\n\(server.process.log)")
    }

    @Test func accountsRefusesBadSizes() async throws {
        for bad in [["--accounts", "0"], ["--logins=-1"], ["--replay", "20000"], ["--joins=-2"]] {
            let r = try await runToExit(productPath("chat-bench"), ["accounts", "--target", "127.0.0.1:1", "--replay", "0"] + bad,
                                        errorsApart: true)
            #expect(r.status != 0 && r.errors.contains("--accounts from 1"), "\(bad): \(r.errors)")
        }
        let r = try await runToExit(productPath("chat-bench"), ["accounts", "--target", "127.0.0.1:1"], errorsApart: true)
        #expect(r.status != 0 && r.errors.contains("--server-pid"), "\(r.errors)")
    }

    @Test func codecMeasuresEveryStep() async throws {
        let j = try await bench(["codec", "--frames", "2000"])
        #expect(j["scenario"] as? String == "codec")
        let results = try #require(j["results"] as? [[String: Any]])
        #expect(results.map { $0["name"] as? String ?? "" } == [
            "encode message event", "encode message request", "decode message event", "decode message view",
            "decode and render IRC line", "sanitize ASCII text", "sanitize non-ASCII text",
        ])
        for r in results {
            let ns = r["ns_per_frame"] as? Double ?? 0
            #expect(ns > 0 && ns < 1_000_000, "\(r)")
            #expect((r["bytes_per_frame"] as? Int ?? 0) > 64, "\(r)")
        }
    }

    static let ncat = ["/usr/bin/ncat", "/usr/local/bin/ncat"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func fanoutRawAgainstNcat() async throws {
        // Not skipped when ncat is missing: the README and .ci/run install it.
        guard let path = Self.ncat else {
            Issue.record("needs ncat (apt-get install ncat)")
            return
        }
        let port = try freeLoopbackPort()
        let ncat = try LoggedProcess(path, name: "bench-smoke") { _ in ["--chat", "--listen", "127.0.0.1", "\(port)"] }
        try await ncat.waitUntilListening(on: port)
        var server = Server(process: ncat, port: port)
        server.stopSignal = SIGKILL
        defer { server.stop() }
        let j = try await bench(["fanout", "--target", "127.0.0.1:\(server.port)", "--dialect", "raw", "--clients", "5", "--senders", "2",
                           "--duration", "1", "--window", "64"])
        expectPerfect(j, clients: 5)
    }
}
