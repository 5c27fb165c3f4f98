import ArgumentParser
import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

extension Scenario: ExpressibleByArgument {}
extension Dialect: ExpressibleByArgument {}

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-bench",
        abstract: "Load generator and meter for chat servers (chat-server, IRC servers, ncat --chat).",
        discussion: """
            Scenarios: fanout (N clients, S senders flat out), latency (fixed rate; first, last and \
            every delivery), connections (ramp to N registered clients, then hold them idle), soak \
            (long fixed-rate traffic with varying line sizes and progress lines), codec (no server: \
            the hub frame codec alone, nanoseconds per message frame), amplification (a few \
            connections ask for big replies; how long two other users wait for each other's lines, \
            and the hub's memory), community (IRC users in channels of mixed sizes at human rates, \
            and private conversations: server CPU, memory and delivery latency), accounts (delivery \
            latency with and without a storm of NickServ logins; the hub's CPU time to replay history \
            on join). Every line carries \
            its sender, sequence number, send time and a checksum, so loss, duplicates, reordering \
            and corruption are counted. With --server-pid, the CPU and PSS of the server's whole \
            process tree are measured too. See docs/BENCHMARKS.md.
            """
    )

    @Argument(help: "fanout, latency, connections, soak, codec, amplification, community or accounts.")
    var scenario: Scenario

    @Option(name: .customLong("target"), help: ArgumentHelp("Server address.", valueName: "HOST:PORT"))
    var target = "127.0.0.1:4444"

    @Option(help: "human, irc, raw (any line server), mixed (human and IRC in #lobby) or typist (telnet in character mode, a write per key).")
    var dialect: Dialect = .irc

    @Option(help: "Clients (default: fanout 100, latency 50, connections 10000, soak 200, community 2000).")
    var clients: Int?

    @Option(help: "Clients that send (default: fanout 5, latency 1, soak 10, community 80: three per channel and the private ones).")
    var senders: Int?

    @Option(help: "Seconds of traffic (default: fanout 10, latency 10, soak 300, community 30).")
    var duration: Double?

    @Option(help: "Total lines per second over all senders; 0 is flat out (default: fanout 0, latency 200, soak 2000; community: each channel's own, 5 down to 0.2).")
    var rate: Double?

    @Option(name: .customLong("line-size"), help: "Bytes of message text per line.")
    var lineSize = 64

    @Option(help: "Worker processes (default: the number of cores).")
    var workers: Int?

    @Option(help: "Most lines per sender in flight (sent, not yet received by every receiver).")
    var window = 512

    @Option(help: "Most lines per write when sending flat out.")
    var batch = 32

    @Option(help: "Channel the IRC clients join (community: the channels' names start with it).")
    var channel = "#bench"

    @Option(help: "community: channels (the first holds half the users, channel k about the users / 4k).")
    var channels = 20

    @Option(name: .customLong("private"), help: "community: senders that write to one user each (0.2 lines/s), out of --senders.")
    var privateSenders = 20

    @Option(name: .customLong("server-pid"), help: "Measure this process and its descendants (CPU, PSS).")
    var serverPID: Int32?

    @Option(help: "Seconds to hold the clients idle (connections).")
    var hold: Double = 10

    @Option(name: .customLong("connect-concurrency"), help: "Most connections opening or registering at once.")
    var connectConcurrency = 2000

    @Option(name: .customLong("settle-ms"), help: "Before a run, wait until nothing arrived for this many milliseconds.")
    var settleMS = 300

    @Option(name: .customLong("drain-timeout"), help: "Seconds of silence after which missing lines count as lost.")
    var drainTimeout: Double = 3

    @Option(name: .customLong("register-timeout"), help: "Seconds for all clients to connect and register.")
    var registerTimeout: Double = 120

    @Option(help: "Soak: seconds between progress lines.")
    var interval: Double = 10

    @Option(name: .customLong("nick-prefix"), help: "Nicknames are this followed by the client number.")
    var nickPrefix = "b"

    @Option(name: .customLong("kill-percent"), help: "Soak: percent of all sessions to kill with SIGKILL at random times (needs --server-pid).")
    var killPercent: Double = 0

    @Option(help: "Soak: clients that register, then never read.")
    var stallers = 0

    @Option(help: "Soak: clients that send random bytes, overlong lines and telnet noise.")
    var noisy = 0

    @Option(help: "Soak: clients that join and part #churnN channels, change nicks and send private and channel messages at random.")
    var churn = 0

    @Option(help: "Soak: seed for the faults' random choices (default: from the clock).")
    var seed: UInt64?

    @Option(name: .customLong("announce-timeout"), help: "Soak: seconds after the run to wait for the quits of killed and stalled clients.")
    var announceTimeout: Double = 30

    @Option(name: .customLong("leak-timeout"), help: "Soak with faults: seconds to wait, after everyone left, for the hub to have no sessions.")
    var leakTimeout: Double = 30

    @Option(name: .customLong("pss-tolerance-kib"), help: "Soak with faults: hub PSS growth allowed from before the first connect to after everyone left.")
    var pssToleranceKiB = 8192

    @Option(name: .customLong("clients-total"), help: "Soak with faults: make --clients the measured clients left after the faulty, churning and watcher clients are taken out of this total.")
    var clientsTotal: Int?

    @Flag(help: "The target is a TLS port: clients connect over TLS (handshake, then their dialect); certificates are not checked.")
    var tls = false

    @Option(help: "Name of the server under test, for the report.")
    var label: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    func config() throws -> BenchConfig {
        guard let addr = SocketAddress.parse(numeric: target) ?? (SocketAddress.splitHostPort(target).flatMap { hp in
            hp.1.flatMap { try? SocketAddress.resolve(host: hp.0, port: $0).first }
        }) else { throw ValidationError("bad --target '\(target)': expected HOST:PORT") }
        let defaults: (clients: Int, senders: Int, duration: Double, rate: Double) = {
            switch scenario {
            case .fanout: return (100, 5, 10, 0)
            case .latency: return (50, 1, 10, 200)
            case .connections: return (10000, 0, 0, 0)
            case .soak: return (200, 10, 300, 2000)
            case .codec: return (0, 0, 0, 0)
            case .amplification: return (200, 4, 10, 100)
            case .community: return (2000, 80, 30, 0)
            case .accounts: return (2, 0, 10, 100)
            }
        }()
        var faults = FaultConfig(killPercent: killPercent, stallers: stallers, noisy: noisy, churn: churn,
                                 seed: seed ?? Proc.monotonicNanos(), announceTimeout: announceTimeout,
                                 leakTimeout: leakTimeout, pssToleranceKiB: pssToleranceKiB)
        if killPercent < 0 || killPercent >= 50 { throw ValidationError("--kill-percent must be between 0 and 50") }
        if stallers < 0 || noisy < 0 || churn < 0 { throw ValidationError("--stallers, --noisy and --churn must not be negative") }
        faults.seed = faults.seed == 0 ? 1 : faults.seed
        var c = clients ?? defaults.clients
        if let total = clientsTotal {
            // Measured = total - victims - stallers - noisy - churn - watcher, victims = p% of total.
            let victims = faults.killPercent > 0 ? max(1, Int((Double(total) * faults.killPercent / 100 - 1e-9).rounded(.up))) : 0
            faults.victims = victims
            c = total - victims - stallers - noisy - churn - (faults.any ? 1 : 0)
            if c < 2 { throw ValidationError("--clients-total leaves fewer than 2 measured clients") }
        } else {
            faults.victims = faults.victimsFor(others: c + stallers + noisy + churn + 1)
        }
        var s = scenario == .connections ? 0 : (senders ?? defaults.senders)
        s = min(s, c)
        let w = max(1, min(workers ?? Proc.onlineCPUs, max(c, 1)))
        if c < 1 { throw ValidationError("--clients must be at least 1") }
        if scenario != .connections && c < 2 { throw ValidationError("need at least 2 clients to deliver anything") }
        if lineSize < Payload.minimumSize + 16 || lineSize > 400 { throw ValidationError("--line-size must be between \(Payload.minimumSize + 16) and 400") }
        if window < 1 || batch < 1 { throw ValidationError("--window and --batch must be at least 1") }
        if dialect == .mixed && scenario == .connections { }
        if tls && (dialect == .raw || faults.any) {
            throw ValidationError("--tls is for the irc, human, mixed and typist dialects, without faults")
        }
        var plan: CommunityPlan?
        if scenario == .community {
            // A telnet user talks in one channel at a time: a community is IRC clients.
            if dialect != .irc { throw ValidationError("community is for the irc dialect") }
            if faults.any { throw ValidationError("faults (--kill-percent, --stallers, --noisy, --churn) are for the soak scenario") }
            let s = senders ?? defaults.senders
            if let why = CommunityPlan.problem(clients: c, channels: channels, senders: s, privateSenders: privateSenders) {
                throw ValidationError(why)
            }
            plan = CommunityPlan(clients: c, channels: channels, senders: s, privateSenders: privateSenders, channelPrefix: channel)
        }
        return BenchConfig(
            scenario: scenario, dialect: dialect, target: addr, clients: c, senders: s,
            duration: duration ?? defaults.duration, rate: plan?.totalRate ?? rate ?? defaults.rate, lineSize: lineSize,
            varySize: scenario == .soak, workers: w, window: window, batch: batch, channel: channel,
            serverPID: serverPID, hold: hold, connectConcurrency: max(connectConcurrency, 1),
            settleQuietMS: settleMS, drainTimeout: drainTimeout, registerTimeout: registerTimeout,
            interval: interval, nickPrefix: nickPrefix, faults: faults, tls: tls, community: plan)
    }

    @Option(help: "codec: frames per round.")
    var frames = 1_000_000

    @Option(name: .customLong("history-channels"), help: "amplification: channels whose history the attackers join and part.")
    var historyChannels = 10

    @Option(name: .customLong("attack-rounds"), help: "amplification: rounds of requests each attacker keeps in flight; 0 writes them as fast as its socket takes them.")
    var attackRounds = 4

    @Option(help: "accounts: accounts registered first, logged in to again and again.")
    var accounts = 20

    @Option(help: "accounts: logins a second (NickServ IDENTIFY, each from a new connection) during the storm; 0 skips the logins.")
    var logins: Double = 100

    @Option(help: "accounts: lines of history each measured join replays (the server's --history must allow as many); 0 skips the replay.")
    var replay = 500

    @Option(help: "accounts: joins of the channel with history (and as many of an empty one, subtracted).")
    var joins = 40

    /// The amplification scenario: --clients is the crowd in #big, --senders the attackers,
    /// --rate the lines a second each of the pair says.
    func runAmplification() throws {
        let cfg = try config()
        guard cfg.clients >= 1, cfg.senders >= 1, historyChannels >= 0, historyChannels * 4 <= cfg.clients, attackRounds >= 0 else {
            throw ValidationError("amplification needs --clients at least 4 × --history-channels, --senders at least 1 and --attack-rounds 0 or more")
        }
        let settings = AmplificationBench.Settings(target: cfg.target, crowd: cfg.clients, attackers: senders ?? 4,
                                                   duration: cfg.duration, historyChannels: historyChannels,
                                                   rate: cfg.rate, serverPID: serverPID, nickPrefix: nickPrefix, rounds: attackRounds)
        let quiet = self.quiet
        let bench = AmplificationBench(settings) { line in
            if !quiet { FD.writeAllIgnoringErrors(2, "chat-bench: " + line + "\n") }
        }
        let figures: AmplificationBench.Figures
        do {
            figures = try bench.run()
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-bench: error: \(error)\n")
            throw ExitCode(2)
        }
        FD.writeAllIgnoringErrors(1, json ? AmplificationBench.json(figures, settings) : AmplificationBench.table(figures, settings))
    }

    func run() throws {
        if scenario == .codec {
            guard frames >= 1, lineSize >= 1, lineSize <= 4000 else { throw ValidationError("--frames must be at least 1 and --line-size between 1 and 4000") }
            let figures = CodecBench(frames: frames, textSize: lineSize).run()
            FD.writeAllIgnoringErrors(1, json ? CodecBench.json(figures, frames: frames, textSize: lineSize)
                                              : CodecBench.table(figures, frames: frames, textSize: lineSize))
            return
        }
        if scenario == .amplification {
            if tls { throw ValidationError("--tls is for fanout, latency, connections and soak") }
            return try runAmplification()
        }
        if scenario == .accounts {
            if tls { throw ValidationError("--tls is for fanout, latency, connections and soak") }
            return try runAccounts()
        }
        let cfg = try config()
        let quiet = self.quiet
        let runner = try Runner(cfg: cfg) { line in
            if !quiet { FD.writeAllIgnoringErrors(2, "chat-bench: " + line + "\n") }
        }
        let result: BenchResult
        do {
            result = try runner.run()
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-bench: error: \(error)\n")
            throw ExitCode(2)
        }
        FD.writeAllIgnoringErrors(1, json ? result.json(label: label) : result.table(label: label))
    }
}
