#if canImport(Glibc)
import Glibc
#endif

/// The community scenario's shape (issue 19): users in channels of mixed sizes, each channel
/// at a human rate, and a few private conversations, as a busy server holds them.
///
/// Deterministic (a function of its inputs), so every worker builds the same plan. Client `s`
/// below `senders` is sender `s`: the first `channelSenders` say lines in a channel (sender
/// `s` in channel `s % channels`, a member of it), the rest write to one user each.
struct CommunityPlan: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        case channel(Int)
        case user(Int)
    }

    let clients: Int
    /// Channel names, `PREFIX0`…: channel 0 holds half the users, channel k the users / 4k.
    let channelNames: [String]
    /// Per client, the channels it joins, in join order.
    let joins: [[Int]]
    /// Per channel, how many users it holds.
    let sizes: [Int]
    /// Per sender, where its lines go and how many a second.
    let targets: [Target]
    let rates: [Double]

    /// The busiest channel's rate and the quietest's; the others in between, geometrically.
    static let busiest = 5.0
    static let quietest = 0.2
    /// A private conversation's rate.
    static let privateRate = 0.2
    /// The most channels one user joins (ngIRCd's default MaxJoins is 10).
    static let maxJoins = 10

    /// Why a shape cannot be planned (a clear line for `--clients`, `--channels`, `--senders`).
    static func problem(clients: Int, channels: Int, senders: Int, privateSenders: Int) -> String? {
        if channels < 1 || channels > 1000 { return "--channels must be between 1 and 1000" }
        if privateSenders < 0 || privateSenders > senders { return "--private must be between 0 and --senders" }
        if senders - privateSenders < channels { return "community needs at least one channel sender per channel (--senders at least --channels + --private)" }
        if clients < 2 * senders + 2 { return "community needs --clients at least twice --senders, plus 2" }
        return nil
    }

    init(clients: Int, channels: Int, senders: Int, privateSenders: Int, channelPrefix: String) {
        self.clients = clients
        channelNames = (0..<channels).map { "\(channelPrefix)\($0)" }
        let channelSenders = senders - privateSenders
        var joins = [[Int]](repeating: [], count: clients)
        // Channel 0: every other user. Channel k: about users / 4k, picked by a hash of (user,
        // channel) so that the small channels overlap the big one as people's do.
        for u in stride(from: 0, to: clients, by: 2) { joins[u].append(0) }
        for k in 1..<max(channels, 1) {
            let want = max(8, clients / (4 * k))
            for u in 0..<clients where joins[u].count < Self.maxJoins && Self.hash(u, k) % UInt64(clients) < UInt64(want) {
                joins[u].append(k)
            }
        }
        // A channel sender is in its channel; nobody is in none.
        for s in 0..<channelSenders where !joins[s].contains(s % channels) { joins[s].append(s % channels) }
        for u in 0..<clients where joins[u].isEmpty { joins[u].append(channels > 1 ? 1 + u % (channels - 1) : 0) }
        self.joins = joins
        var sizes = [Int](repeating: 0, count: channels)
        for j in joins { for k in j { sizes[k] += 1 } }
        self.sizes = sizes
        var targets: [Target] = []
        var rates: [Double] = []
        for s in 0..<channelSenders {
            let k = s % channels
            let sendersHere = channelSenders / channels + (k < channelSenders % channels ? 1 : 0)
            targets.append(.channel(k))
            rates.append(Self.channelRate(k, of: channels) / Double(sendersHere))
        }
        // Private conversations go to users counted from the end, never a sender.
        for p in 0..<privateSenders {
            targets.append(.user(clients - 1 - p))
            rates.append(Self.privateRate)
        }
        self.targets = targets
        self.rates = rates
    }

    /// Channel `k`'s lines a second: 5 for the first, 0.2 for the last.
    static func channelRate(_ k: Int, of channels: Int) -> Double {
        guard channels > 1 else { return busiest }
        let f = Double(k) / Double(channels - 1)
        return busiest * pow(quietest / busiest, f)
    }

    /// Whether client `u` receives sender `s`'s lines.
    @inline(__always)
    func receives(_ u: Int, from s: Int) -> Bool {
        if u == s { return false }
        switch targets[s] {
        case .channel(let k): return joins[u].contains(k)
        case .user(let t): return u == t
        }
    }

    /// What precedes sender `s`'s payload on the wire.
    func prefix(_ s: Int, nick: (Int) -> String) -> String {
        switch targets[s] {
        case .channel(let k): return "PRIVMSG \(channelNames[k]) :"
        case .user(let t): return "PRIVMSG \(nick(t)) :"
        }
    }

    /// The JOIN a client sends after its welcome.
    func joinCommand(_ u: Int) -> String { "JOIN " + joins[u].map { channelNames[$0] }.joined(separator: ",") }

    /// The channel whose end of names (366) says client `u` has joined everything.
    func lastChannel(_ u: Int) -> String { channelNames[joins[u].last!] }

    var totalRate: Double { rates.reduce(0, +) }

    /// One line for the report: the channels' sizes and rates.
    var summary: String {
        let shown = sizes.prefix(6).map(String.init).joined(separator: ", ") + (sizes.count > 6 ? ", … \(sizes.last!)" : "")
        let privates = targets.filter { if case .user = $0 { return true } else { return false } }.count
        return "\(sizes.count) channels of \(shown) users at \(fmt(Self.channelRate(0, of: sizes.count), 1))-\(fmt(Self.channelRate(sizes.count - 1, of: sizes.count), 1)) lines/s each, \(privates) private conversations at \(fmt(Self.privateRate, 1)) lines/s"
    }

    /// A fixed mix of two numbers (splitmix64's finaliser).
    static func hash(_ a: Int, _ b: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: a) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: b) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
