/// Flood control: `rate` lines per second on average, bursts of up to `burst` lines.
/// A rate of 0 means no limit.
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: UInt64  // ns

    init(rate: Double, burst: Int, now: UInt64) {
        self.rate = rate
        self.burst = Double(max(burst, 1))
        tokens = self.burst
        last = now
    }

    var unlimited: Bool { rate <= 0 }

    /// Takes a token if one is there.
    mutating func take(now: UInt64) -> Bool {
        if unlimited { return true }
        refill(now)
        if tokens >= 1 {
            tokens -= 1
            return true
        }
        return false
    }

    /// Returns a token taken for a line that was not handed on after all (it waits for the hub).
    mutating func giveBack() {
        if !unlimited { tokens = min(burst, tokens + 1) }
    }

    /// Nanoseconds until the next token.
    mutating func wait(now: UInt64) -> UInt64 {
        if unlimited { return 0 }
        refill(now)
        return tokens >= 1 ? 0 : UInt64(((1 - tokens) / rate) * 1e9) + 1
    }

    private mutating func refill(_ now: UInt64) {
        if now > last {
            tokens = min(burst, tokens + Double(now - last) / 1e9 * rate)
            last = now
        }
    }
}
