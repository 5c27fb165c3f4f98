/// How long the client waits before connecting again after losing the server: 1 s, then
/// 2, 4, … up to 60 s while attempts keep failing, and 1 s again once a connection has
/// lasted 10 s (a server that accepts and drops at once must not be hammered; one that
/// was fine for a while gets a quick retry).
struct ReconnectBackoff: Equatable, Sendable {
    static let first: Int64 = 1_000
    static let cap: Int64 = 60_000
    /// A connection open at least this long (ms) counts as having worked.
    static let stable: Int64 = 10_000

    private var upcoming = first

    /// A connection or an attempt ended; `lasted` is how long it had been open (ms), nil
    /// when it never opened. A stable one starts the schedule again.
    mutating func connectionEnded(lasted: Int64?) {
        if let lasted, lasted >= Self.stable { upcoming = Self.first }
    }

    /// The wait before the next attempt (ms); the one after it doubles, up to the cap.
    mutating func next() -> Int64 {
        defer { upcoming = min(upcoming * 2, Self.cap) }
        return upcoming
    }
}
