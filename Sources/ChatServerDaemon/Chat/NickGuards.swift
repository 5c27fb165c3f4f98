/// Users on a registered nick they are not logged in to, each with the time (the chat
/// state's clock, milliseconds) by which they must identify (`ChatState+NickProtection`).
/// One guard a session; a spent one stays until the session goes, so that leaving the nick
/// and taking it again does not buy a new grace period.
struct NickGuards {
    struct Guard: Equatable {
        /// The nick's folded form: the account it belongs to.
        var key: String
        var deadline: Int64
        /// Its time ran out: taking the nick again gets no new grace period.
        var spent = false
    }

    private(set) var guards: [Int: Guard] = [:]
    /// No live guard is due before this. A removed guard may leave it early: the expiry pass
    /// then finds nothing and computes it again (cheaper than a scan at every removal).
    private(set) var earliest: Int64?

    var isEmpty: Bool { guards.isEmpty }

    subscript(id: Int) -> Guard? { guards[id] }

    /// Session `id` took `key`: it must identify by `deadline`, or at once if it used up its
    /// grace period for that nick before. Taking the nick it is already guarded for keeps
    /// the deadline it had.
    mutating func start(_ id: Int, key: String, deadline: Int64, now: Int64) {
        var g = Guard(key: key, deadline: deadline)
        if let old = guards[id], old.key == key { g.deadline = old.spent ? now : old.deadline }
        guards[id] = g
        earliest = min(earliest ?? g.deadline, g.deadline)
    }

    /// Session `id` identified, or is gone.
    mutating func stop(_ id: Int) { guards[id] = nil }

    /// The live guards due at `now`, marked spent; `earliest` computed again.
    mutating func takeDue(now: Int64) -> [(id: Int, key: String)] {
        guard let e = earliest, e <= now else { return [] }
        var due: [(id: Int, key: String)] = []
        var next: Int64?
        for (id, g) in guards where !g.spent {
            if g.deadline <= now {
                due.append((id, g.key))
                guards[id]!.spent = true
            } else {
                next = min(next ?? g.deadline, g.deadline)
            }
        }
        earliest = next
        return due.sorted { $0.id < $1.id }
    }
}
