import ChatPOSIX

struct BenchConfig: Sendable {
    var scenario: Scenario
    var dialect: Dialect
    var target: SocketAddress
    var clients: Int
    var senders: Int
    /// Seconds of traffic (fanout, latency, soak).
    var duration: Double
    /// Total lines per second over all senders; 0 is flat out.
    var rate: Double
    /// Bytes of message text per line (the payload, without the protocol around it).
    var lineSize: Int
    /// Soak: line sizes vary between 24 and `lineSize` bytes.
    var varySize: Bool
    var workers: Int
    /// Most lines per sender sent but not yet received by every receiver.
    var window: Int
    /// Most lines per write when sending flat out.
    var batch: Int
    /// Channel the IRC clients join (mixed: #lobby, where the human clients are).
    var channel: String
    var serverPID: Int32?
    /// Seconds to hold the clients idle (connections).
    var hold: Double
    /// Most connections being opened or registered at once (over all workers).
    var connectConcurrency: Int
    /// Before a run, wait until nothing has arrived for this long (join notices).
    var settleQuietMS: Int
    /// After the senders stop, give up waiting for missing lines after this long without input.
    var drainTimeout: Double
    /// Seconds a worker waits for all its clients to register.
    var registerTimeout: Double
    /// Soak: seconds between progress lines.
    var interval: Double
    /// Nick prefix, so that several benches can share a server.
    var nickPrefix: String
    /// Soak: faults injected besides the measured traffic (Faults.swift).
    var faults = FaultConfig()
    /// The target is a TLS port: every client talks TLS (ChatTLS) under its dialect.
    var tls = false
    /// The community scenario's channels, senders and rates (nil: one channel, one rate).
    var community: CommunityPlan?

    /// Sessions the soak kills: kill-percent of every session of the run, these included.
    var victims: Int { faults.victims }
    /// Every client of the run: measured, faulty, churning, and the watcher.
    var totalClients: Int { clients + (faults.any ? victims + faults.stallers + faults.noisy + faults.churn + 1 : 0) }

    func kind(of client: Int) -> ClientKind {
        switch dialect {
        case .human: return .human
        case .irc: return .irc
        case .raw: return .raw
        case .mixed: return client % 2 == 0 ? .irc : .human
        case .typist: return .typist
        }
    }

    var ircChannel: String { dialect == .mixed ? "#lobby" : channel }

    func nick(_ client: Int) -> String { "\(nickPrefix)\(client)" }

    func worker(of client: Int) -> Int { client % workers }

    /// Whether senders follow a schedule (and the bench keeps per-line first/last times).
    var paced: Bool { rate > 0 }

    /// Lines per second of one sender.
    var perSenderRate: Double { senders > 0 ? rate / Double(senders) : 0 }

    /// Lines per second of sender `s`.
    func rate(ofSender s: Int) -> Double { community?.rates[s] ?? perSenderRate }

    /// Lines one sender can send in the run (an upper bound), for per-line arrays.
    var linesPerSenderBound: Int {
        guard paced else { return 0 }
        return Int((community?.rates.max() ?? perSenderRate) * duration * 1.05) + 16
    }
}
