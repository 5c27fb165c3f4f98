/// The state database the console's `backup` copies.
extension Hub {
    /// The store the accounts are written to: the database under `--state-dir` (or in memory).
    var stateDatabase: StateStore? { state.accountStorage as? StateStore }
}
