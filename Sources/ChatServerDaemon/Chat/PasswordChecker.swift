/// Where the hub has passwords checked, away from its loop: the password worker
/// (`PasswordService`), or a stand-in in tests. The answer comes later, through
/// `ChatState.passwordChecked(ticket:verdict:)`.
protocol PasswordChecker: AnyObject {
    /// Asks whether `password` matches the stored `hash` (an argon2id string); false when the
    /// check cannot be taken now (no worker, its queue full), and then no answer comes.
    func check(ticket: UInt64, hash: String, password: String) -> Bool
    /// Asks for a new argon2id hash of `password` (an account's); false when it cannot be
    /// made now. The answer comes through `ChatState.passwordHashed(ticket:hash:)`.
    func hash(ticket: UInt64, password: String) -> Bool
}

extension PasswordChecker {
    /// A checker that cannot hash (OPER's stand-ins in tests) refuses.
    func hash(ticket: UInt64, password: String) -> Bool { false }
}
