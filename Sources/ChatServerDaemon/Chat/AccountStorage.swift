/// Where the chat state writes accounts through (the hub's `StateStore`, a stand-in in
/// tests): the chat state does no I/O. Each call returns once the change is committed, or
/// throws, and then the user is told it failed: an acknowledged change survives a crash.
protocol AccountStorage: AnyObject {
    /// Every account, by folded name, with its certificate fingerprints (read once, at start).
    func loadAccounts() throws -> [String: Account]
    /// Adds or replaces the account `folded`.
    func save(account: Account, folded: String) throws
    /// Removes the account `folded` and its certificate fingerprints.
    func deleteAccount(folded: String) throws
    /// Adds a certificate fingerprint to the account `folded` (NickServ CERT ADD).
    func addCertificate(_ fingerprint: String, folded: String) throws
    /// Removes a certificate fingerprint (NickServ CERT DEL).
    func deleteCertificate(_ fingerprint: String) throws
}
