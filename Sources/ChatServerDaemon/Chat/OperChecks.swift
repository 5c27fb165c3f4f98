/// The OPER attempts whose password is being checked: by ticket, which session asked for
/// which operator block (nil: no such block, checked against a decoy so that the answer takes
/// as long either way). While a session waits here the hub reads no more of its requests, so
/// its replies keep the order of its commands (`Hub.mustWait`).
struct OperChecks {
    struct Pending: Equatable {
        var session: Int
        var block: String?
        var nick: String
    }

    private var pending: [UInt64: Pending] = [:]
    private var waiting: Set<Int> = []
    private var nextTicket: UInt64 = 1

    /// Checks under way at most: more would only queue behind the worker.
    static let limit = 32

    var count: Int { pending.count }

    /// Whether `session` waits for a verdict. One comparison while nobody does.
    @inline(__always)
    func awaits(_ session: Int) -> Bool { !waiting.isEmpty && waiting.contains(session) }

    /// Records a check; returns its ticket.
    mutating func add(_ p: Pending) -> UInt64 {
        let ticket = nextTicket
        nextTicket &+= 1
        pending[ticket] = p
        waiting.insert(p.session)
        return ticket
    }

    /// The check `ticket`, forgotten; nil for one not (or no longer) known.
    mutating func take(_ ticket: UInt64) -> Pending? {
        guard let p = pending.removeValue(forKey: ticket) else { return nil }
        waiting.remove(p.session)
        return p
    }

    /// Every ticket under way, oldest first (to answer them all when the worker is lost).
    var tickets: [UInt64] { pending.keys.sorted() }
}
