import ChatProtocol

/// Accounts: NickServ (`PRIVMSG NickServ :REGISTER …`, IRC `NS`, telnet `/register`) and SASL
/// logins (`authenticate`). Passwords are checked and hashed by the password worker, never
/// here; they are never logged, audited, echoed or kept, and a message to NickServ never
/// reaches history or another user. Every change is written through `accountStorage` before
/// the user is told it succeeded.
extension ChatState {
    /// The service's nick, as its notices come from it.
    static let nickServ = "NickServ"
    /// Failed logins from one address that cost no wait; after them each doubles it.
    static let freeFailures = 2
    /// A password's bounds, in bytes.
    static let passwordBytes = 5...300

    /// The text of a request that is a message to NickServ, with its kind; nil for every other
    /// request. Costs a channel message one length comparison.
    static func nickServText(_ request: HubRequest) -> (MessageKind, String)? { serviceText(request, to: "nickserv") }

    /// The text of a request that is a message to the service `lowercased` (8 letters), with
    /// its kind; nil for every other request. Costs a channel message one length comparison
    /// (and an 8-byte one, such as `#general`, a comparison without allocating).
    static func serviceText(_ request: HubRequest, to lowercased: String) -> (MessageKind, String)? {
        let kind: MessageKind, target: String, text: String
        switch request {
        case .message(let k, let t, let x): (kind, target, text) = (k, t, x)
        case .taggedMessage(let k, let t, let x, _): (kind, target, text) = (k, t, x)
        default: return nil
        }
        // Byte by byte, ASCII letters folded: no new string for every channel message.
        guard target.utf8.count == 8, CaseMapping.ascii.equal(target, lowercased) else { return nil }
        return (kind, text)
    }

    /// A notice from NickServ to `id`.
    func nickServNotice(_ id: Int, _ text: String) { send(.serviceNotice(service: Self.nickServ, text: text), to: id) }

    /// One command to NickServ. A NOTICE or an action gets no answer (and does nothing).
    func nickServ(_ id: Int, kind: MessageKind, text: String) {
        guard kind == .privmsg else { return }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return nickServHelp(id) }
        let args = Array(words.dropFirst())
        switch verb {
        case "register": nickServRegister(id, args)
        case "identify", "login": nickServIdentify(id, args)
        case "logout": logout(id)
        case "set": nickServSet(id, args)
        case "drop": nickServDrop(id, args)
        case "info": nickServInfo(id, args)
        case "regain", "ghost": nickServRegain(id, args, ghost: verb == "ghost")
        case "cert": nickServCert(id, args)
        case "help": nickServHelp(id)
        default: nickServNotice(id, "Unknown command \(shown(name: String(verb.prefix(32)))). Type /msg NickServ HELP for the commands.")
        }
    }

    private func nickServHelp(_ id: Int) {
        for line in [
            "NickServ keeps accounts: register your nick with a password, then log in to it from any connection.",
            "REGISTER <password>            register the nick you are using as an account (5 to 64 bytes)",
            "IDENTIFY [account] <password>  log in (IRC clients may use SASL PLAIN instead)",
            "IDENTIFY                       log in by your TLS client certificate (added with CERT ADD)",
            "LOGOUT                         log out",
            "SET PASSWORD <new password>    change the password of the account you are logged in to",
            "DROP <password>                delete the account you are logged in to",
            "INFO [account]                 when an account was registered",
            "REGAIN <nick> [password]       take your registered nick back from whoever has it (renamed to a guest nick)",
            "GHOST <nick> [password]        the same, disconnecting whoever has it",
            "CERT ADD [fingerprint]         let a TLS client certificate log in to your account (SASL EXTERNAL); default: this connection's",
            "CERT DEL <fingerprint>         remove one; CERT LIST lists them",
        ] { nickServNotice(id, line) }
    }

    /// Why `password` cannot be an account's password, or nil when it can.
    static func passwordProblem(_ password: String) -> String? {
        if !passwordBytes.contains(password.utf8.count) {
            return "A password is \(passwordBytes.lowerBound) to \(passwordBytes.upperBound) bytes long."
        }
        if password.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "A password may not contain control characters." }
        return nil
    }

    /// Whether a check or hash may start for `id` now; if not, says why (NickServ) and returns false.
    func mayCheck(_ id: Int) -> Bool {
        guard passwords != nil, operChecks.count < OperChecks.limit, !operChecks.awaits(id) else {
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
            return false
        }
        let now = clock(), retryAt = operChecks.retryAt(host: users[id]!.host)
        if now < retryAt {
            nickServNotice(id, "Too many failed attempts: wait \((retryAt - now + 999) / 1000) s before the next.")
            return false
        }
        return true
    }

    /// Starts a check of `password` against `account`'s hash (the decoy's for none); false
    /// when the worker cannot take it (the caller answers at once).
    func startCheck(_ id: Int, _ purpose: PasswordPurpose, account: String?, password: String) -> Bool {
        // Longer than any password (a long message to NickServ): wrong, without the worker,
        // whose packets do not carry it.
        if password.utf8.count > RequestLimits.name {  // `PasswordCheck.maxField`
            accountPasswordChecked(.init(session: id, purpose: purpose), verdict: false)
            return true
        }
        let ticket = operChecks.add(.init(session: id, purpose: purpose))
        let hash = account.flatMap { accounts[$0]?.hash } ?? Self.decoyHash
        if passwords?.check(ticket: ticket, hash: hash, password: password) == true { return true }
        _ = operChecks.take(ticket)
        return false
    }

    private func nickServRegister(_ id: Int, _ args: [String]) {
        let u = users[id]!
        // `REGISTER password [email]`, as Atheme and Ergo take it; the address is not kept.
        guard args.count == 1 || args.count == 2 else { return nickServNotice(id, "Usage: REGISTER <password>") }
        if let account = u.account { return nickServNotice(id, "You are already logged in as \(account).") }
        let key = fold(u.nick)
        if accounts[key] != nil || operChecks.contains(.register(name: key)) {
            return nickServNotice(id, "The account \(u.nick) is already registered.")
        }
        if let why = Self.passwordProblem(args[0]) { return nickServNotice(id, why) }
        guard mayCheck(id) else { return }
        let ticket = operChecks.add(.init(session: id, purpose: .register(name: key)))
        if passwords?.hash(ticket: ticket, password: args[0]) != true {
            _ = operChecks.take(ticket)
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
        }
    }

    private func nickServIdentify(_ id: Int, _ args: [String]) {
        if let account = users[id]!.account { return nickServNotice(id, "You are already logged in as \(account).") }
        if args.isEmpty { return identifyByCertificate(id) }
        guard args.count == 1 || args.count == 2 else { return nickServNotice(id, "Usage: IDENTIFY [account] <password>") }
        let u = users[id]!
        guard mayCheck(id) else { return }
        let name = args.count == 2 ? args[0] : u.nick
        let key = fold(name)
        let known = accounts[key] != nil ? key : nil
        if !startCheck(id, .identify(account: known, sasl: false), account: known, password: args.last!) {
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
        }
    }

    /// SASL PLAIN's login, before or after registration: answered with `saslResult`.
    func authenticate(_ id: Int, account: String, password: String) {
        let u = users[id]!
        if u.account != nil { return send(.saslResult(.alreadyAuthenticated), to: id) }
        let now = clock()
        guard passwords != nil, operChecks.count < OperChecks.limit, !operChecks.awaits(id),
              now >= operChecks.retryAt(host: u.host) else { return send(.saslResult(.failure), to: id) }
        let key = fold(account)
        let known = accounts[key] != nil ? key : nil
        if !startCheck(id, .identify(account: known, sasl: true), account: known, password: password) {
            send(.saslResult(.failure), to: id)
        }
    }

    private func logout(_ id: Int) {
        guard let account = users[id]!.account else { return nickServNotice(id, "You are not logged in.") }
        users[id]!.account = nil
        send(.loggedOut(nick: users[id]!.nick, source: users[id]!.source), to: id)
        notifyAccount(of: id)
        nickServNotice(id, "You are now logged out of \(account).")
    }

    private func nickServSet(_ id: Int, _ args: [String]) {
        guard args.count == 2, args[0].lowercased() == "password" else {
            return nickServNotice(id, "Usage: SET PASSWORD <new password>")
        }
        guard let account = users[id]!.account else { return nickServNotice(id, "You are not logged in.") }
        if let why = Self.passwordProblem(args[1]) { return nickServNotice(id, why) }
        guard mayCheck(id) else { return }
        let ticket = operChecks.add(.init(session: id, purpose: .setPassword(account: fold(account))))
        if passwords?.hash(ticket: ticket, password: args[1]) != true {
            _ = operChecks.take(ticket)
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
        }
    }

    private func nickServDrop(_ id: Int, _ args: [String]) {
        guard args.count == 1 else { return nickServNotice(id, "Usage: DROP <password>") }
        guard let account = users[id]!.account else { return nickServNotice(id, "You are not logged in.") }
        guard mayCheck(id) else { return }
        let key = fold(account)
        if !startCheck(id, .drop(account: key), account: key, password: args[0]) {
            nickServNotice(id, "Passwords cannot be checked now; try again later.")
        }
    }

    private func nickServInfo(_ id: Int, _ args: [String]) {
        guard args.count <= 1 else { return nickServNotice(id, "Usage: INFO [account]") }
        let name = args.first ?? users[id]!.account ?? users[id]!.nick
        guard let a = accounts[fold(name)] else { return nickServNotice(id, "\(shown(name: name)) is not registered.") }
        let when = Self.utcDate(a.registeredAt)
        nickServNotice(id, "\(a.name) is registered since \(when)\(a.frozen ? "; it is frozen by the server operator" : "").")
    }

    // MARK: Answers

    /// A check of `ChatState+Operators`' worker for an account (identify, SASL, drop).
    func accountPasswordChecked(_ p: OperChecks.Pending, verdict: Bool?) {
        let id = p.session
        guard users[id] != nil else { return }
        switch p.purpose {
        case .oper: return
        case .regain(let key, let ghost): regainChecked(id, key: key, ghost: ghost, verdict: verdict)
        case .register, .setPassword:
            return passwordHashed(p, hash: nil)
        case .identify(let key, let sasl):
            guard let verdict else {
                return sasl ? send(.saslResult(.failure), to: id) : nickServNotice(id, "Passwords cannot be checked now; try again later.")
            }
            guard verdict, let key, let account = accounts[key], !account.frozen, users[id]!.account == nil else {
                operChecks.failed(host: users[id]!.host, now: clock(), free: Self.freeFailures)
                return sasl ? send(.saslResult(.failure), to: id) : nickServNotice(id, "Invalid account or password.")
            }
            operChecks.succeeded(host: users[id]!.host)
            logIn(id, account: account.name)
            if sasl { send(.saslResult(.success), to: id) }
        case .drop(let key):
            guard verdict == true, let account = accounts[key] else {
                if verdict == false { operChecks.failed(host: users[id]!.host, now: clock(), free: Self.freeFailures) }
                return nickServNotice(id, verdict == nil ? "Passwords cannot be checked now; try again later." : "Invalid password.")
            }
            operChecks.succeeded(host: users[id]!.host)
            do { try removeAccount(key) } catch {
                return nickServNotice(id, "The account could not be dropped (the server could not write it); try again later.")
            }
            logOutEveryone(of: key, why: nil)
            nickServNotice(id, "The account \(account.name) is dropped.")
        }
    }

    /// The worker's answer to a request for a hash (`PasswordChecker.hash`): the new hash, nil
    /// when it could not make one.
    func passwordHashed(ticket: UInt64, hash: String?) {
        guard let p = operChecks.take(ticket) else { return }
        passwordHashed(p, hash: hash)
    }

    private func passwordHashed(_ p: OperChecks.Pending, hash: String?) {
        let id = p.session
        guard users[id] != nil else { return }
        guard let hash else { return nickServNotice(id, "Passwords cannot be checked now; try again later.") }
        switch p.purpose {
        case .register(let key):
            let u = users[id]!
            // The nick may have changed while the hash was made: the account is the one asked for.
            guard accounts[key] == nil, u.account == nil else {
                return nickServNotice(id, "That account is already registered.")
            }
            let name = fold(u.nick) == key ? u.nick : key
            let account = Account(name: name, hash: hash, registeredAt: clock() / 1000)
            do { try accountStorage?.save(account: account, folded: key) } catch {
                return nickServNotice(id, "The account could not be registered (the server could not write it); try again later.")
            }
            accounts[key] = account
            nickServNotice(id, "The account \(name) is registered.")
            logIn(id, account: name)
        case .setPassword(let key):
            guard var account = accounts[key] else { return nickServNotice(id, "That account no longer exists.") }
            account.hash = hash
            do { try accountStorage?.save(account: account, folded: key) } catch {
                return nickServNotice(id, "The password could not be changed (the server could not write it); try again later.")
            }
            accounts[key] = account
            nickServNotice(id, "The password of \(account.name) is changed.")
        case .oper, .identify, .drop, .regain:
            return
        }
    }

    /// `id` is now logged in to `account`: 900 for IRC clients, a line for people.
    func logIn(_ id: Int, account: String) {
        users[id]!.account = account
        if fold(account) == fold(users[id]!.nick) { nickGuards.stop(id) }
        let u = users[id]!
        // Before registration (SASL) there is no user name yet.
        send(.loggedIn(nick: u.nick, source: u.registered ? u.source : "*!*@" + u.host, account: account), to: id)
        notifyAccount(of: id)
        grantStatusEverywhere(id)
    }

    /// Loads the accounts from `storage` and writes through it from now on.
    func useAccountStorage(_ storage: AccountStorage) throws {
        accounts = try storage.loadAccounts()
        accountStorage = storage
        indexCertificates()
    }
}
