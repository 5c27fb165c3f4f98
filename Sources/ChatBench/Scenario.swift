import ChatPOSIX

enum Scenario: String, CaseIterable, Sendable {
    /// N clients, S of them sending flat out (bounded by a per-sender window of lines in flight).
    case fanout
    /// N clients, S senders at a fixed total rate: delivery latency percentiles.
    case latency
    /// Ramp to N clients, each greeted and registered, then hold them idle.
    case connections
    /// Long mixed traffic: fixed rate, varying line sizes, progress lines, memory growth.
    case soak
    /// No server: the hub frame codec alone, nanoseconds per message frame (`CodecBench`).
    case codec
    /// A few connections ask for big replies with small requests; two other users measure how
    /// long they wait for each other's lines, and the hub's memory (`AmplificationBench`).
    case amplification
    /// A community as a busy server holds it: 2,000 IRC users in 20 channels of mixed sizes
    /// (one of 1,000), each channel at a human rate, some private conversations (`CommunityPlan`).
    case community
    /// Accounts and stored history (issue 16): two users' delivery latency with and without a
    /// storm of NickServ logins, and the hub's CPU time to replay stored history on join
    /// (`AccountsBench`).
    case accounts
}
