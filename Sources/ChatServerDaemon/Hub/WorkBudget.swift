/// What a session may still ask of the hub, in bytes of replies (work such as sorting a
/// member list counts as bytes' worth): `rate` bytes a second on average, `burst` at once.
/// A request's cost is known only once it is answered, so one may overdraw the budget; the
/// session's next requests then wait until the debt is repaid. A rate of 0 means no limit.
struct WorkBudget {
    /// Bytes' worth spent and not yet repaid: the session may go on while it is under `burst`.
    private(set) var spent = 0
    private var last: UInt64 = 0

    /// Repays what `rate` gives back since the last call.
    mutating func refill(now: UInt64, rate: Int) {
        guard now > last else { return }
        // At most 10 s at once: the product stays far from overflowing, and 10 s repays any burst.
        let micros = Int(min(now - last, 10_000_000_000) / 1000)
        last = now
        spent = max(0, spent - micros * rate / 1_000_000)
    }

    mutating func charge(_ cost: Int) { spent = spent &+ cost }

    /// Whether the session must wait before its next request is answered.
    func isExhausted(burst: Int) -> Bool { spent >= burst }

    /// Nanoseconds until the session may go on (0: it may now).
    func wait(rate: Int, burst: Int) -> UInt64 {
        guard spent >= burst, rate > 0 else { return 0 }
        return UInt64((spent - burst + 1) * 1_000_000 / rate + 1) * 1000
    }
}
