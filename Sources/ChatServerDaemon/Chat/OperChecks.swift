/// The password checks under way, for OPER and for accounts (NickServ, SASL): by ticket,
/// which session asked and for what (`PasswordPurpose`: an operator block or account that does
/// not exist is checked against a decoy so that the answer takes as long either way; a new
/// password is hashed). While a session waits here the hub reads no more of its requests, so
/// its replies keep the order of its commands (`Hub.mustWait`). And the failed attempts by
/// address: each failure doubles the wait before the next attempt from there, so that
/// reconnecting does not buy more guesses.
struct OperChecks {
    struct Pending: Equatable {
        var session: Int
        var purpose: PasswordPurpose

        /// An OPER check for the operator block `block` (nil: no such block).
        init(session: Int, block: String?) { self.init(session: session, purpose: .oper(block: block)) }

        init(session: Int, purpose: PasswordPurpose) {
            self.session = session
            self.purpose = purpose
        }

        /// The operator block of an OPER check; nil for none or another purpose.
        var block: String? { if case .oper(let b) = purpose { b } else { nil } }
    }

    private var pending: [UInt64: Pending] = [:]
    private var waiting: Set<Int> = []
    private var nextTicket: UInt64 = 1
    /// Failed attempts by address, and when the next may be made (ms).
    private var failures: [String: (count: Int, retryAt: Int64)] = [:]

    /// The longest wait after failed attempts, in ms.
    static let longestWait: Int64 = 60_000
    /// Addresses remembered at most; past it those whose wait is over are forgotten first.
    static let addressLimit = 4096

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

    /// The checks of a session that ended are forgotten: their verdicts will find no ticket
    /// (the session's number may be given to a new connection meanwhile).
    mutating func forget(session: Int) {
        guard waiting.remove(session) != nil else { return }
        pending = pending.filter { $0.value.session != session }
    }

    /// When the next attempt from `host` may be made (ms); 0 when at once.
    func retryAt(host: String) -> Int64 { failures[host]?.retryAt ?? 0 }

    /// A failed attempt from `host` at `now`: the next waits 1 s, then 2, 4… up to a minute;
    /// the first `free` failures in a row wait nothing (account logins, where a typo is common
    /// and SASL clients retry at once; OPER has none).
    mutating func failed(host: String, now: Int64, free: Int = 0) {
        if failures.count >= Self.addressLimit && failures[host] == nil {
            failures = failures.filter { $0.value.retryAt > now }
            if failures.count >= Self.addressLimit { failures.removeAll() }
        }
        let count = (failures[host]?.count ?? 0) + 1
        failures[host] = (count, count <= free ? 0 : now + min(Self.longestWait, 1000 << min(count - 1 - free, 6)))
    }

    /// A success from `host`: its failures are forgotten.
    mutating func succeeded(host: String) { failures[host] = nil }

    /// Whether a check for `purpose` is under way (two registrations of one account at once).
    func contains(_ purpose: PasswordPurpose) -> Bool { pending.values.contains { $0.purpose == purpose } }

    /// Every ticket under way, oldest first (to answer them all when the worker is lost).
    var tickets: [UInt64] { pending.keys.sorted() }
}
