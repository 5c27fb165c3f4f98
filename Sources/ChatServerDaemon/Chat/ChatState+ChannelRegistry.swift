import ChatProtocol

/// Registered channels: ChanServ (`PRIVMSG ChanServ :REGISTER #chan`, IRC `CS`, telnet
/// `/msg ChanServ …`), as Ergo and Atheme name its commands. A logged-in channel operator
/// registers a channel and becomes its founder; the founder keeps an access list of accounts
/// that regain `+o` or `+v` when they join or log in, announced as a MODE from ChanServ. A
/// registered channel outlives its last member, and its topic and modes are written through
/// `channelStorage` (the turn's transaction) as they change.
extension ChatState {
    /// The service's nick, as its notices and modes come from it.
    static let chanServ = "ChanServ"
    static let chanServSource = "ChanServ!ChanServ@services."
    /// What a user who may not join a frozen channel is told (474).
    static let frozenRefusal = "Cannot join channel (frozen by the server operator)"

    /// The text of a request that is a message to ChanServ, with its kind; nil for every
    /// other request. Costs a channel message one length comparison.
    static func chanServText(_ request: HubRequest) -> (MessageKind, String)? { serviceText(request, to: "chanserv") }

    /// A notice from ChanServ to `id`.
    func chanServNotice(_ id: Int, _ text: String) { send(.serviceNotice(service: Self.chanServ, text: text), to: id) }

    /// One command to ChanServ (its text already cleaned by `accepted`). A NOTICE or an
    /// action gets no answer.
    func chanServ(_ id: Int, kind: MessageKind, text: String) {
        guard kind == .privmsg else { return }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return chanServHelp(id) }
        let args = Array(words.dropFirst())
        switch verb {
        case "register": chanServRegister(id, args)
        case "drop", "unregister": chanServDrop(id, args)
        case "info": chanServInfo(id, args)
        case "op", "deop", "voice", "devoice": chanServStatus(id, verb, args)
        case "access": chanServAccess(id, args)
        case "help": chanServHelp(id)
        default: chanServNotice(id, "Unknown command \(shown(name: String(verb.prefix(32)))). Type /msg ChanServ HELP for the commands.")
        }
    }

    private func chanServHelp(_ id: Int) {
        for line in [
            "ChanServ keeps registered channels: their founder, topic, modes and bans survive a restart, and the accounts on their access list regain their status.",
            "REGISTER <#channel>                    register a channel you are an operator of (you must be logged in)",
            "INFO <#channel>                        who founded a channel, and when",
            "DROP <#channel>                        unregister a channel you founded (also UNREGISTER)",
            "OP|DEOP|VOICE|DEVOICE <#channel> [nick] give or take a status, as your access allows",
            "ACCESS <#channel> ADD <account> OP|VOICE  who regains which status (founder only)",
            "ACCESS <#channel> DEL <account>        remove an account from the access list",
            "ACCESS <#channel> LIST                 the access list",
        ] { chanServNotice(id, line) }
    }

    // MARK: Lookups

    /// The account `id` is logged in to; otherwise says how to log in and returns nil.
    private func loggedInAccount(_ id: Int) -> String? {
        if let account = users[id]!.account { return account }
        let how = users[id]!.dialect == .human ? "/identify" : "/msg NickServ IDENTIFY <password>"
        chanServNotice(id, "You are not logged in: log in with \(how) first.")
        return nil
    }

    /// The registered channel `name`; otherwise says why (a bad name, unregistered) and returns nil.
    private func registeredChannel(_ id: Int, _ name: String) -> Channel? {
        guard Names.isValidChannel(name, maxLength: settings.channelLength) else {
            chanServNotice(id, "\(shown(name: name)) is not a valid channel name (# and at most \(settings.channelLength) characters, no spaces or commas).")
            return nil
        }
        guard let ch = channels[fold(name)], ch.registration != nil else {
            chanServNotice(id, "\(shown(name: name)) is not registered.")
            return nil
        }
        return ch
    }

    /// The status `account` has in `ch` by its registration: the founder is an operator.
    func accessLevel(_ account: String, in ch: Channel) -> ChannelAccess.Level? {
        guard let reg = ch.registration else { return nil }
        let key = fold(account)
        if fold(reg.founder) == key { return .op }
        return reg.access.first { fold($0.account) == key }?.level
    }

    private func isFounder(_ account: String, of ch: Channel) -> Bool {
        ch.registration.map { fold($0.founder) == fold(account) } ?? false
    }

    /// Says so and returns true when `ch` is frozen: ChanServ changes nothing in it.
    private func refusedFrozen(_ id: Int, _ ch: Channel) -> Bool {
        guard ch.registration?.frozen == true else { return false }
        chanServNotice(id, "\(ch.name) is frozen by the server operator.")
        return true
    }

    // MARK: Commands

    private func chanServRegister(_ id: Int, _ args: [String]) {
        guard args.count == 1 else { return chanServNotice(id, "Usage: REGISTER <#channel>") }
        guard let account = loggedInAccount(id) else { return }
        let name = args[0]
        guard Names.isValidChannel(name, maxLength: settings.channelLength) else {
            return chanServNotice(id, "\(shown(name: name)) is not a valid channel name (# and at most \(settings.channelLength) characters, no spaces or commas).")
        }
        guard let ch = channels[fold(name)], ch.members[id] != nil else {
            return chanServNotice(id, "You must be in \(shown(name: name)) to register it.")
        }
        if ch.registration != nil { return chanServNotice(id, "\(ch.name) is already registered.") }
        guard ch.members[id] == true else {
            return chanServNotice(id, "You must be an operator of \(ch.name) to register it.")
        }
        charge(work: channels.count)
        let founded = channels.values.reduce(0) { $0 + (isFounder(account, of: $1) ? 1 : 0) }
        if founded >= ChannelRegistration.perAccount {
            return chanServNotice(id, "An account may register at most \(ChannelRegistration.perAccount) channels; drop one first.")
        }
        let founder = accounts[fold(account)]?.name ?? account
        ch.registration = ChannelRegistration(founder: founder, registeredAt: clock() / 1000)
        guard save(ch, .all) else {
            ch.registration = nil
            return chanServNotice(id, "\(ch.name) could not be registered (the server could not write it); try again later.")
        }
        chanServNotice(id, "Channel \(ch.name) successfully registered to \(founder).")
    }

    private func chanServDrop(_ id: Int, _ args: [String]) {
        guard args.count == 1 else { return chanServNotice(id, "Usage: DROP <#channel>") }
        guard let account = loggedInAccount(id), let ch = registeredChannel(id, args[0]) else { return }
        guard isFounder(account, of: ch) else { return chanServNotice(id, "Only the founder of \(ch.name) can drop it.") }
        if refusedFrozen(id, ch) { return }
        guard unregister(ch) else {
            return chanServNotice(id, "\(ch.name) could not be dropped (the server could not write it); try again later.")
        }
        chanServNotice(id, "Channel \(ch.name) is now unregistered.")
    }

    private func chanServInfo(_ id: Int, _ args: [String]) {
        guard args.count == 1 else { return chanServNotice(id, "Usage: INFO <#channel>") }
        guard let ch = registeredChannel(id, args[0]), let reg = ch.registration else { return }
        let entries = reg.access.count
        chanServNotice(id, "\(ch.name) is registered to \(reg.founder) since \(Self.utcDate(reg.registeredAt)); "
            + "its access list has \(NumberFormat.count(entries, "entry", plural: "entries"))"
            + (reg.frozen ? "; it is frozen by the server operator." : "."))
    }

    /// `OP|DEOP|VOICE|DEVOICE #chan [nick]`: an operator by access may change anyone's
    /// status; someone with voice access may voice or devoice themselves.
    private func chanServStatus(_ id: Int, _ verb: String, _ args: [String]) {
        guard args.count == 1 || args.count == 2 else { return chanServNotice(id, "Usage: \(verb.uppercased()) <#channel> [nick]") }
        guard let account = loggedInAccount(id), let ch = registeredChannel(id, args[0]) else { return }
        if refusedFrozen(id, ch) { return }
        let target: Int
        if args.count == 2 {
            guard let sid = session(named: args[1]), ch.members[sid] != nil else {
                return chanServNotice(id, "\(shown(name: args[1])) is not in \(ch.name).")
            }
            target = sid
        } else {
            guard ch.members[id] != nil else { return chanServNotice(id, "You are not in \(ch.name).") }
            target = id
        }
        let letter: Character = verb.hasSuffix("op") ? "o" : "v"
        let level = accessLevel(account, in: ch)
        guard level == .op || (level == .voice && letter == "v" && target == id) else {
            return chanServNotice(id, "You have no access to \(verb.uppercased()) in \(ch.name).")
        }
        if !setStatus(target, letter, adding: !verb.hasPrefix("de"), in: ch) {
            chanServNotice(id, "Nothing to change: \(users[target]!.nick) \(verb.hasPrefix("de") ? "has no" : "has") +\(letter) in \(ch.name) already.")
        }
    }

    private func chanServAccess(_ id: Int, _ args: [String]) {
        let usage = "Usage: ACCESS <#channel> ADD <account> OP|VOICE, ACCESS <#channel> DEL <account>, ACCESS <#channel> LIST"
        guard args.count >= 2 else { return chanServNotice(id, usage) }
        guard let account = loggedInAccount(id), let ch = registeredChannel(id, args[0]), let reg = ch.registration else { return }
        guard isFounder(account, of: ch) else {
            return chanServNotice(id, "Only the founder of \(ch.name) can see or change its access list.")
        }
        switch args[1].lowercased() {
        case "list":
            guard args.count == 2 else { return chanServNotice(id, usage) }
            chanServNotice(id, "Access list of \(ch.name) (founder \(reg.founder)): \(NumberFormat.count(reg.access.count, "entry", plural: "entries"))")
            for (i, e) in reg.access.enumerated() {
                chanServNotice(id, "\(i + 1) \(e.account) \(e.level.rawValue.uppercased()) (added by \(e.addedBy), \(Self.utcDate(e.addedAt)))")
            }
            chanServNotice(id, "End of the access list of \(ch.name).")
        case "add":
            guard args.count == 4 else { return chanServNotice(id, usage) }
            if refusedFrozen(id, ch) { return }
            guard let added = accounts[fold(args[2])] else { return chanServNotice(id, "\(shown(name: args[2])) is not a registered account.") }
            guard let level = ChannelAccess.Level(word: args[3]) else {
                return chanServNotice(id, "\(shown(name: args[3])) is not a level: OP or VOICE.")
            }
            if isFounder(added.name, of: ch) { return chanServNotice(id, "\(added.name) founded \(ch.name): they are its operator already.") }
            var access = reg.access
            let entry = ChannelAccess(account: added.name, level: level, addedBy: account, addedAt: clock() / 1000)
            if let i = access.firstIndex(where: { fold($0.account) == fold(added.name) }) {
                access[i] = entry
            } else {
                guard access.count < ChannelRegistration.accessLimit else {
                    return chanServNotice(id, "The access list of \(ch.name) is full (at most \(ChannelRegistration.accessLimit)); remove an entry first.")
                }
                access.append(entry)
            }
            guard changeAccess(ch, access) else { return chanServNotice(id, "The access list could not be changed (the server could not write it); try again later.") }
            chanServNotice(id, "\(added.name) is on the access list of \(ch.name) as \(level.rawValue.uppercased()).")
            // Whoever is in the channel logged in to it gets the status now.
            for sid in ch.members.keys.sorted() where users[sid]?.account.map(fold) == fold(added.name) { grantStatus(sid, in: ch) }
        case "del":
            guard args.count == 3 else { return chanServNotice(id, usage) }
            if refusedFrozen(id, ch) { return }
            var access = reg.access
            guard let i = access.firstIndex(where: { fold($0.account) == fold(args[2]) }) else {
                return chanServNotice(id, "\(shown(name: args[2])) is not on the access list of \(ch.name).")
            }
            let removed = access.remove(at: i)
            guard changeAccess(ch, access) else { return chanServNotice(id, "The access list could not be changed (the server could not write it); try again later.") }
            chanServNotice(id, "\(removed.account) is removed from the access list of \(ch.name).")
        default:
            chanServNotice(id, "Unknown ACCESS subcommand \(shown(name: String(args[1].prefix(32)))): ADD, DEL or LIST.")
        }
    }

    // MARK: Status

    /// Gives `id` the status its account has in the registered `ch` (after a join or a
    /// login), announced as a MODE from ChanServ. Nothing in a frozen channel.
    func grantStatus(_ id: Int, in ch: Channel) {
        guard let reg = ch.registration, !reg.frozen, ch.members[id] != nil, let account = users[id]?.account,
              let level = accessLevel(account, in: ch) else { return }
        setStatus(id, level.letter, adding: true, in: ch)
    }

    /// `grantStatus` in every registered channel `id` is in (after a login).
    func grantStatusEverywhere(_ id: Int) {
        guard let keys = users[id]?.channels else { return }
        for key in keys.sorted() { if let ch = channels[key], ch.registration != nil { grantStatus(id, in: ch) } }
    }

    /// Sets or clears `+o`/`+v` of member `id` in `ch` and announces it from ChanServ;
    /// false when it was so already.
    @discardableResult
    private func setStatus(_ id: Int, _ letter: Character, adding: Bool, in ch: Channel) -> Bool {
        guard let isOp = ch.members[id], let nick = users[id]?.nick else { return false }
        if letter == "o" {
            if isOp == adding { return false }
            ch.members[id] = adding
        } else {
            if ch.voiced.contains(id) == adding { return false }
            if adding { ch.voiced.insert(id) } else { ch.voiced.remove(id) }
        }
        broadcast(HubEvent.channelModeChange(channel: ch.name, source: Self.chanServSource,
                                             modes: (adding ? "+" : "-") + String(letter), args: [nick]).frame(), in: ch)
        return true
    }

    // MARK: Keeping

    /// What the store keeps of `ch`; nil when it is not registered.
    func record(of ch: Channel) -> RegisteredChannel? {
        ch.registration.map {
            RegisteredChannel(name: ch.name, registration: $0, topic: ch.topic, topicBy: ch.topicBy, topicAt: ch.topicAt, modes: ch.modes)
        }
    }

    /// Writes `parts` of `ch` through `channelStorage`; false when the write failed (the
    /// store logs why). True without a store: kept in memory only.
    @discardableResult
    func save(_ ch: Channel, _ parts: ChannelParts) -> Bool {
        guard let channelStorage, let record = record(of: ch) else { return true }
        do { try channelStorage.save(channel: record, folded: fold(ch.name), parts: parts) } catch { return false }
        return true
    }

    /// Writes the topic or the modes of a registered channel after a change (a failure is
    /// the store's to log: the change was made and announced).
    func keep(_ ch: Channel, _ parts: ChannelParts) { save(ch, parts) }

    /// Writes what `applied` (a MODE line's changes) changed of a registered channel:
    /// nothing for member statuses, which do not persist.
    func keepModes(_ ch: Channel, _ applied: [ChannelModeChange]) {
        var parts: ChannelParts = []
        for c in applied {
            if ChannelModeChange.listLetters.contains(c.letter) { parts.insert(.lists) } else if c.letter != "o" && c.letter != "v" { parts.insert(.row) }
        }
        if !parts.isEmpty { keep(ch, parts) }
    }

    /// Replaces the access list of `ch`, written first; false when the write failed.
    private func changeAccess(_ ch: Channel, _ access: [ChannelAccess]) -> Bool {
        let before = ch.registration!.access
        ch.registration!.access = access
        if save(ch, .access) { return true }
        ch.registration!.access = before
        return false
    }

    /// Unregisters `ch` (deleted from the store first); a channel nobody is in goes. False
    /// when the store refused.
    @discardableResult
    func unregister(_ ch: Channel) -> Bool {
        if let channelStorage {
            do { try channelStorage.deleteChannel(folded: fold(ch.name)) } catch { return false }
        }
        ch.registration = nil
        closeIfEmpty(ch)
        return true
    }

    /// The account `key` is gone: the channels it founded are unregistered, and it leaves
    /// every access list (a new account of the same name inherits nothing).
    func forgetInChannels(account key: String) {
        charge(work: channels.count)
        for ch in channels.values.sorted(by: { $0.name < $1.name }) {
            guard let reg = ch.registration else { continue }
            if fold(reg.founder) == key {
                unregister(ch)
            } else if reg.access.contains(where: { fold($0.account) == key }) {
                ch.registration!.access.removeAll { fold($0.account) == key }
                save(ch, .access)
            }
        }
    }

    /// Loads the registered channels from `storage` (each exists from now on, empty, with
    /// its topic and modes) and writes through it from now on. A row whose name is not a
    /// channel name under this server's settings is skipped.
    func useChannelStorage(_ storage: ChannelStorage) throws {
        for (folded, r) in try storage.loadChannels().sorted(by: { $0.key < $1.key }) {
            guard Names.isValidChannel(r.name, maxLength: settings.channelLength), fold(r.name) == folded,
                  channels[folded] == nil else { continue }
            let ch = Channel(name: r.name, createdAt: r.registration.registeredAt)
            ch.registration = r.registration
            ch.topic = clean(r.topic, limit: settings.topicLength)
            ch.topicBy = r.topicBy
            ch.topicAt = r.topicAt
            ch.modes = r.modes
            open(ch)
        }
        channelStorage = storage
    }

    /// `2026-12-07 18:30 UTC` for Unix seconds.
    static func utcDate(_ seconds: Int64) -> String {
        let t = CivilTime(epochSeconds: seconds)
        return "\(t.year)-\(NumberFormat.twoDigits(t.month))-\(NumberFormat.twoDigits(t.day)) "
            + "\(NumberFormat.twoDigits(t.hour)):\(NumberFormat.twoDigits(t.minute)) UTC"
    }
}
