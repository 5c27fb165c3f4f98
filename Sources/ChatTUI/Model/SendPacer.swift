/// Outgoing lines paced as servers accept them: a burst of a few at once, then one line every
/// interval (irssi: 5, then one every 2.2 s; WeeChat: one every 2 s). A server that counts
/// lines per client (ngIRCd, most ircds) disconnects a client that pastes 25 lines at once
/// for "Excess Flood"; this keeps under the usual limits.
///
/// A penalty clock, as servers keep one: each line moves it on by the interval; a line may
/// go while the clock is less than a burst of intervals ahead of now.
struct SendPacer: Equatable, Sendable {
    let burst: Int
    let interval: Int64
    /// Lines waiting, oldest first.
    private(set) var queue: [String] = []
    private var clock: Int64 = 0

    init(burst: Int, interval: Int64) {
        self.burst = max(1, burst)
        self.interval = max(0, interval)
    }

    /// Takes a line: returns what may go now (it, or nothing when lines are waiting or the
    /// burst is spent; then it waits behind them, in order).
    mutating func submit(_ line: String, now: Int64) -> String? {
        if queue.isEmpty && mayGo(now) {
            take(now)
            return line
        }
        queue.append(line)
        return nil
    }

    /// The waiting lines whose turn has come, in order.
    mutating func release(now: Int64) -> [String] {
        var out: [String] = []
        while !queue.isEmpty && mayGo(now) {
            take(now)
            out.append(queue.removeFirst())
        }
        return out
    }

    /// When the next waiting line may go, if any waits.
    var nextRelease: Int64? {
        queue.isEmpty ? nil : clock - Int64(burst - 1) * interval
    }

    /// Drops the waiting lines; returns how many there were.
    mutating func clear() -> Int {
        defer { queue.removeAll() }
        return queue.count
    }

    /// A new connection: a full burst again.
    mutating func reset() { clock = 0 }

    private func mayGo(_ now: Int64) -> Bool {
        max(clock, now) + interval - now <= Int64(burst) * interval
    }

    private mutating func take(_ now: Int64) { clock = max(clock, now) + interval }
}
