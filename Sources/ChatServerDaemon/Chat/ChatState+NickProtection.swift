import ChatProtocol

/// Protected nicks: a registered nick is held for its owner. Whoever takes it (at
/// registration or by NICK) without being logged in to its account is told to identify within `settings.nickGrace` seconds and is then renamed to a
/// guest nick (`Guest12345`). The owner takes the nick back with NickServ REGAIN (the holder
/// is renamed) or GHOST (the holder is disconnected). The deadlines are the hub loop's
/// timers (`nextNickDeadline`, `expireNickGuards`): no thread, no I/O.
extension ChatState {
    /// When the next guard may be due (the clock's milliseconds); nil when none is.
    var nextNickDeadline: Int64? { nickGuards.earliest }

    /// Starts the grace period of `id` if its nick is registered to an account it is not
    /// logged in to (after registration or a nick change; not after a logout: who was logged
    /// in is the owner). Nothing when `nickGrace` is 0.
    func protectNick(_ id: Int) {
        guard settings.nickGrace > 0, let u = users[id], u.registered else { return }
        let key = fold(u.nick)
        guard let account = accounts[key], u.account.map(fold) != key else { return }
        let now = clock()
        nickGuards.start(id, key: key, deadline: now + Int64(settings.nickGrace) * 1000, now: now)
        let left = (nickGuards[id]!.deadline - now + 999) / 1000
        guard left > 0 else {
            return nickServNotice(id, "The nick \(account.name) is registered and your time to identify for it is over: you will be renamed.")
        }
        let how = u.dialect == .human ? "/identify" : "/msg NickServ IDENTIFY <password>"
        nickServNotice(id, "The nick \(account.name) is registered. Identify with \(how) within \(left) s, or you will be renamed.")
    }

    /// Renames the users whose grace period is over and who are still on the nick without
    /// being logged in to its account (the hub calls it when `nextNickDeadline` is past).
    func expireNickGuards() {
        for (id, key) in nickGuards.takeDue(now: clock()) {
            guard let u = users[id], fold(u.nick) == key, accounts[key] != nil, u.account.map(fold) != key else { continue }
            let guest = guestNick()
            nickServNotice(id, "You did not identify for \(u.nick) in time: you are now \(guest).")
            changeNick(id, to: guest)
        }
    }

    /// A free nick `Guest` and five digits (more when there are that many users), which is
    /// no account's: among `users.count + 1` numbers in a row one is free.
    func guestNick() -> String {
        let span = max(100_000, (users.count + 1) * 10)
        var n = guestNumber ?? Int(clock() / 7 % 100_000)
        for _ in 0...users.count + accounts.count {
            n = (n + 1) % span
            let digits = String(n)
            let nick = "Guest" + String(repeating: "0", count: max(0, 5 - digits.utf8.count)) + digits
            if accounts[fold(nick)] == nil && nickProblem(nick, for: -1) == nil {
                guestNumber = n
                return nick
            }
        }
        guestNumber = n
        return "Guest" + String(n)  // not reached: more numbers were tried than nicks are taken
    }

    // MARK: REGAIN and GHOST

    /// `REGAIN <nick> [password]`, `GHOST …`: the account's owner, logged in to it, needs
    /// no password; with one, the password is checked (and logs them in).
    func nickServRegain(_ id: Int, _ args: [String], ghost: Bool) {
        let verb = ghost ? "GHOST" : "REGAIN"
        guard args.count == 1 || args.count == 2 else { return nickServNotice(id, "Usage: \(verb) <nick> [password]") }
        let key = fold(args[0])
        guard let account = accounts[key] else { return nickServNotice(id, "\(shown(name: args[0])) is not registered.") }
        if let mine = users[id]!.account {
            if fold(mine) == key { return reclaim(id, key: key, ghost: ghost) }
            return nickServNotice(id, "You are logged in as \(mine), not \(account.name): log out first.")
        }
        guard args.count == 2 else {
            return nickServNotice(id, "Identify to \(account.name) first, or give its password: \(verb) \(account.name) <password>")
        }
        guard mayCheck(id) else { return }
        if !startCheck(id, .regain(account: key, ghost: ghost), account: key, password: args[1]) {
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
        }
    }

    /// The worker's verdict on a REGAIN's password.
    func regainChecked(_ id: Int, key: String, ghost: Bool, verdict: Bool?) {
        guard let verdict else { return nickServNotice(id, "Passwords cannot be checked now; try again later.") }
        guard verdict, let account = accounts[key], !account.frozen, users[id]!.account == nil else {
            operChecks.failed(host: users[id]!.host, now: clock(), free: Self.freeFailures)
            return nickServNotice(id, "Invalid account or password.")
        }
        operChecks.succeeded(host: users[id]!.host)
        logIn(id, account: account.name)
        reclaim(id, key: key, ghost: ghost)
    }

    /// Gives `id` (the owner) the nick of account `key`: whoever holds it, or a nick that
    /// looks like it, is renamed to a guest nick (disconnected for GHOST) first.
    private func reclaim(_ id: Int, key: String, ghost: Bool) {
        let name = accounts[key]!.name
        let me = users[id]!
        if fold(me.nick) == key { return nickServNotice(id, "You already have the nick \(me.nick).") }
        if let holder = nickHolder(name), holder != id, let h = users[holder] {
            // A look-alike that is itself its owner's registered nick stays theirs.
            if fold(h.nick) != key, accounts[fold(h.nick)] != nil, h.account.map(fold) == fold(h.nick) {
                return nickServNotice(id, "\(h.nick), too like \(name), is its owner's registered nick: \(name) cannot be taken.")
            }
            if ghost {
                let why = "GHOST command used by \(me.nick)"
                end(session: holder, quitReason: why, farewell: "\(h.host) (\(why))")
            } else {
                let guest = guestNick()
                nickServNotice(holder, "The owner of \(name) took it back: you are now \(guest).")
                changeNick(holder, to: guest)
            }
        }
        changeNick(id, to: name)
        if fold(users[id]!.nick) == key { nickServNotice(id, "You have regained the nick \(users[id]!.nick).") }
    }
}
