import ChatPOSIX
import ChatProtocol

/// What requests cost. A session's replies (and the work behind them, such as sorting a big
/// channel's members) count against its `WorkBudget`; a session over its budget, or past its
/// share of one loop turn, has its requests wait in its channel, unread, so the kernel's
/// buffer pushes back on it, until it may go on. Chat itself costs nothing here: a message is
/// answered to others, not to its sender, and flood control in the session bounds it.
extension Hub {
    /// Bytes' worth one session may have answered in one turn of the loop before the others
    /// get theirs (one request more may go over it).
    static let turnShare = 16 * 1024
    /// One unit of `ChatState.work` (a member sorted, a user or channel looked at), in bytes' worth.
    static let workUnit = 16

    /// Answers one request and charges its sender; returns what it cost.
    func handleCharged(_ request: HubRequest, from id: Int) -> Int {
        costed = id
        replyBytes = 0
        let work = state.work
        state.handle(request, from: id)
        costed = -1
        let cost = replyBytes &+ (state.work &- work) &* Self.workUnit
        if cost > 0 && config.replyRate > 0 {
            // Repaid up to now first: what it spends is counted from now (chat costs nothing,
            // so the clock is read for replies only).
            let now = Proc.monotonicNanos(), rate = config.replyRate
            slots.update(id) { slot in
                slot.budget.refill(now: now, rate: rate)
                slot.budget.charge(cost)
            }
        }
        return cost
    }

    /// Whether the session's next request must wait: its share of this turn is used, or its
    /// budget is spent (the clock is read only then).
    func mustWait(_ id: Int, turnCost: Int) -> Bool {
        if turnCost >= Self.turnShare { return true }
        // Its OPER's password is being checked: what it sent next is answered after the verdict.
        if state.operChecks.awaits(id) { return true }
        let rate = config.replyRate, burst = config.replyBurst
        guard rate > 0, slots.update(id, { $0.budget.isExhausted(burst: burst) }) == true else { return false }
        let now = Proc.monotonicNanos()
        return slots.update(id) { slot in
            slot.budget.refill(now: now, rate: rate)
            return slot.budget.isExhausted(burst: burst)
        } ?? false
    }

    /// Leaves the session's requests waiting: its channel is no longer read until `resumeHeld`.
    func hold(slot id: Int) {
        guard slots.update(id, { $0.hold(true) }) == true else { return }
        held.append(id)
        stats.holds += 1
        watchChannel(slot: id)
    }

    /// Each turn: sessions whose requests waited go on, as far as their budgets allow; those
    /// done with what they had are read again.
    func resumeHeld() {
        guard !held.isEmpty else { return }
        let list = held
        held.removeAll(keepingCapacity: true)
        // A session that closed its channel is left to its end (`endSession` drains it).
        for id in list where slots.update(id, { $0.held }) == true && slots.isOpen(id) {
            if mustWait(id, turnCost: 0) {
                held.append(id)
                continue
            }
            _ = slots.update(id) { $0.hold(false) }
            processFrames(slot: id)
            // Not held again: it answered all it had read; read its channel again.
            if slots.update(id, { $0.held }) == false { watchChannel(slot: id) }
        }
    }

    /// When the first held session may go on (monotonic nanoseconds); nil when none waits.
    func heldDeadline(now: UInt64) -> UInt64? {
        var soonest: UInt64?
        let rate = config.replyRate, burst = config.replyBurst
        for id in held {
            // Waits for the password worker, whose answer wakes the loop.
            if state.operChecks.awaits(id) { continue }
            guard let wait = slots.update(id, { $0.budget.wait(rate: rate, burst: burst) }) else { continue }
            soonest = min(soonest ?? .max, now + wait)
        }
        return soonest
    }
}
