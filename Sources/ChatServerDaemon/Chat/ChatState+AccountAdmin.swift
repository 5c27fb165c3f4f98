import ChatProtocol

/// What the server operator does to accounts (the console's `accounts`, `freeze`,
/// `unfreeze`, `drop-account`): each change is written through `accountStorage` first, as
/// NickServ's are, and the users logged in to the account are told.
extension ChatState {
    /// Why an operator's change to an account or a registered channel failed.
    enum AdminError: Error, Equatable {
        /// No such account, or no such registered channel.
        case notFound
        /// Already in the state asked for (frozen, or not).
        case unchanged
        /// The state store refused the write (why, when it said): nothing changed.
        case notWritten(String?)
    }

    /// The accounts whose name matches `mask` (`*` and `?`; nil: all), by name, with how many
    /// connections are logged in to each.
    func accountList(mask: String?) -> [(account: Account, sessions: Int)] {
        charge(work: accounts.count)
        var logged: [String: Int] = [:]
        for u in users.values { if let a = u.account { logged[fold(a), default: 0] += 1 } }
        return accounts.filter { mask == nil || Names.maskMatches(mask: mask!, $0.value.name, casemapping: settings.casemapping) }
            .map { (account: $0.value, sessions: logged[$0.key] ?? 0) }
            .sorted { fold($0.account.name) < fold($1.account.name) }
    }

    /// Freezes (no login to it; its sessions are logged out) or unfreezes `name`; returns the
    /// account and how many sessions were logged out.
    func setFrozen(_ name: String, _ frozen: Bool) -> Result<(Account, Int), AdminError> {
        let key = fold(name)
        guard var account = accounts[key] else { return .failure(.notFound) }
        guard account.frozen != frozen else { return .failure(.unchanged) }
        account.frozen = frozen
        do { try accountStorage?.save(account: account, folded: key) } catch { return .failure(.notWritten("\(error)")) }
        accounts[key] = account
        let out = frozen ? logOutEveryone(of: key, why: "The account \(account.name) is frozen by the server operator.") : 0
        return .success((account, out))
    }

    /// Deletes the account `name` (the console's `drop-account`); returns it and how many
    /// sessions were logged out.
    func dropAccount(_ name: String) -> Result<(Account, Int), AdminError> {
        let key = fold(name)
        guard let account = accounts[key] else { return .failure(.notFound) }
        do { try removeAccount(key) } catch { return .failure(.notWritten("\(error)")) }
        return .success((account, logOutEveryone(of: key, why: "The account \(account.name) is dropped by the server operator.")))
    }

    /// Deletes the account `key` from the store, then from memory (NickServ DROP, the console).
    func removeAccount(_ key: String) throws {
        try accountStorage?.deleteAccount(folded: key)
        for fp in accounts[key]?.certificates ?? [] { certificateOwners[fp] = nil }
        accounts[key] = nil
        forgetInChannels(account: key)
    }

    /// Logs out every session logged in to account `key` (901, account-notify), telling each
    /// `why` when given; returns how many there were.
    @discardableResult
    func logOutEveryone(of key: String, why: String?) -> Int {
        var count = 0
        for (sid, u) in users where u.account.map(fold) == key {
            users[sid]!.account = nil
            send(.loggedOut(nick: u.nick, source: u.source), to: sid)
            notifyAccount(of: sid)
            if let why { nickServNotice(sid, why) }
            count += 1
        }
        return count
    }
}
