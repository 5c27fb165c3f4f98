import ChatProtocol

/// The one owner of shared chat state: nicks, channels, topics, history. It decides on each
/// request and sends events; it does no I/O, so every rule is tested without processes.
final class ChatState {
    private(set) var settings: ChatSettings
    let sink: EventSink
    var users: [Int: User] = [:]
    private var nicks: [String: Int] = [:]  // impersonation key → session
    private(set) var channels: [String: Channel] = [:]  // folded name → channel
    /// The same channels by their display name: clients nearly always send it as is, and
    /// this saves folding the name on every message.
    private var channelsByName: [String: Channel] = [:]
    var clock: () -> Int64

    /// Set while a NOTICE is handled: `error` sends nothing (a notice gets no automatic reply).
    private var quietErrors = false
    /// The recipients of one broadcast, reused so that a broadcast allocates nothing.
    private var recipients: [Int] = []
    /// Work done beyond the replies' bytes, in items looked at (members sorted, users matched,
    /// channels listed): the hub charges it to the session that asked (`Hub+Costs`).
    private(set) var work = 0
    /// Adds `items` looked at to `work` (the handlers in other files).
    func charge(work items: Int) { work &+= items }
    /// Every channel's history, bounded as a whole.
    private(set) var history = HistoryLedger()
    /// Who had each nick before, for WHOWAS (ChatState+Whowas.swift).
    var whowasHistory = WhowasHistory()
    /// Who checks operator passwords (the hub's password worker); nil: OPER is refused.
    var passwords: PasswordChecker?
    /// The password checks under way, OPER's and accounts' (`ChatState+Operators`, `+Accounts`).
    var operChecks = OperChecks()
    /// Every registered account by folded name, loaded from `accountStorage` at start.
    var accounts: [String: Account] = [:]
    /// Which account (folded name) holds each client certificate fingerprint (ChatState+Certificates).
    var certificateOwners: [String: String] = [:]
    /// Where account changes are written (the hub's state store); nil: kept in memory only.
    var accountStorage: AccountStorage?
    /// Where channel lines are kept across restarts (the state store under `--state-dir`);
    /// nil: in memory only (`ChatState+History`).
    var historyStorage: HistoryStorage?
    /// Where registered channels are written (the state store under `--state-dir`); nil:
    /// kept in memory only (`ChatState+ChannelRegistry`).
    var channelStorage: ChannelStorage?
    /// Told when the server ends a user's connection (`end(session:…)`): the console makes
    /// sure a session that does not leave is killed.
    var sessionEnding: ((Int) -> Void)?
    /// The last message's number (IRCv3 `msgid`), counted from the start time so that a
    /// restarted hub does not reuse numbers (`ChatState+Caps.swift`).
    var lastMessageID: UInt64 = 0
    /// Users on a registered nick they have not identified for, and when they must have
    /// (`ChatState+NickProtection.swift`).
    var nickGuards = NickGuards()
    /// The number of the last guest nick given (`Guest12345`), seeded from the clock.
    var guestNumber: Int?

    static let reservedNicks: Set<String> = ["server", "console", "operator", "oper", "admin", "root", "system",
                                             "chanserv", "nickserv", "irc", "hub"]
    /// The reserved nicks as `Names.impersonationKey` folds them, so that their look-alikes
    /// (`r00t`, `Adm1n`, `N1ckServ`, `0per`) are refused as `a1ice` is while `alice` is on.
    /// They are letters only, so either casemapping folds them the same.
    static let reservedKeys = Set(reservedNicks.map { Names.impersonationKey($0) })

    init(settings: ChatSettings, sink: EventSink, clock: @escaping () -> Int64) {
        self.settings = settings
        self.sink = sink
        self.clock = clock
        lastMessageID = UInt64(max(0, clock())) << 16
    }

    func updateSettings(_ s: ChatSettings) { settings = s }

    var registeredCount: Int { nicks.count }
    /// The most registered users at once (LUSERS 265, 266).
    private(set) var maxUsers = 0
    /// Who watches whom (MONITOR, ChatState+Monitor.swift).
    var monitors = MonitorTable()

    func fold(_ s: String) -> String { settings.casemapping.fold(s) }

    // MARK: Sessions

    func connect(session id: Int, host: String) {
        let now = clock()
        users[id] = User(id: id, host: host, connectedAt: now, lastActive: now)
    }

    /// The session is gone (quit, crash, kill): tell everyone who shared a channel with it.
    func disconnect(session id: Int, reason: String) {
        guard let u = users[id] else { return }
        if operChecks.awaits(id) { operChecks.forget(session: id) }
        nickGuards.stop(id)
        sink.audit(.quit(session: id, nick: u.registered ? u.nick : nil, reason: clean(reason, limit: settings.quitLength)))
        if u.registered {
            // A quit reason reaches every channel the user was in: cleaned as a part reason is.
            let frame = HubEvent.quit(source: u.source, reason: clean(reason, limit: settings.quitLength)).frame()
            for peer in peers(of: id) { send(frame, to: peer) }
            for key in u.channels { leave(channelKey: key, session: id) }
            nicks[Names.impersonationKey(u.nick, casemapping: settings.casemapping)] = nil
            rememberWhowas(u)
            announceOffline(u.nick, of: id)
        }
        monitors.clear(id)
        users[id] = nil
    }

    /// Who holds `nick` or a nick that looks like it (`a1ice` for `alice`), if anyone.
    func nickHolder(_ nick: String) -> Int? { nicks[Names.impersonationKey(nick, casemapping: settings.casemapping)] }

    func session(named nick: String) -> Int? {
        guard let id = nicks[Names.impersonationKey(nick, casemapping: settings.casemapping)],
              let u = users[id], settings.casemapping.equal(u.nick, nick) else { return nil }
        return id
    }

    // MARK: Requests

    func handle(_ request: HubRequest, from id: Int) {
        if case .sync(let token) = request {
            // The session's barrier: everything it sent before has been handled, so its answers
            // are queued ahead of this one. Answered before registration and after a quit too
            // (a quitting session waits on it to say goodbye after its quit is announced).
            return send(.sync(token: token), to: id)
        }
        guard users[id] != nil else { return }
        // Passwords go to NickServ as typed, never cleaned or kept (ChatState+Accounts.swift).
        if let (kind, text) = Self.nickServText(request), users[id]!.registered {
            users[id]!.lastActive = clock()
            return nickServ(id, kind: kind, text: text)
        }
        // Every string a session sends enters here: free text cleaned, names as they are
        // (ChatState+Text.swift).
        let request = accepted(request)
        if let (kind, text) = Self.chanServText(request), users[id]!.registered {
            users[id]!.lastActive = clock()
            return chanServ(id, kind: kind, text: text)
        }
        switch request {
        case .hello(let d):
            users[id]!.dialect = d
            sink.audit(.connected(session: id, dialect: d))
            for key in users[id]!.channels {  // normally none: a session says hello first
                if d == .human { channels[key]?.ircMembers.remove(id) } else { channels[key]?.ircMembers.insert(id) }
            }
        case .register(let nick, let user, let real): register(id, nick: nick, user: user, realName: real)
        case .capabilities(let names): users[id]!.caps = PeerCapabilities(names: names)
        case .tlsInfo(let version, let cipher, let certificate):
            users[id]!.tls = "\(version)/\(cipher)"
            users[id]!.certificate = certificate.isEmpty ? nil : certificate
        case .tlsSign: break  // the hub's (`Hub+TLS`), never the chat state's
        case .authenticate(let account, let password): authenticate(id, account: account, password: password)
        case .authenticateExternal(let account): authenticateExternal(id, account: account)
        case .quit(let reason):
            disconnect(session: id, reason: reason)
        default:
            guard users[id]!.registered else {
                return error(id, .notRegistered, [], "You have not registered")
            }
            users[id]!.lastActive = clock()
            handleRegistered(request, from: id)
        }
    }

    private func handleRegistered(_ request: HubRequest, from id: Int) {
        switch request {
        case .hello, .register, .quit, .sync, .capabilities, .tlsInfo, .tlsSign, .authenticate, .authenticateExternal: break
        case .taggedMessage(let kind, let target, let text, let tags): message(id, kind: kind, target: target, text: text, tags: tags)
        case .tagMessage(let target, let tags): tagMessage(id, target: target, tags: tags)
        case .setName(let realName): setName(id, realName: realName)
        case .chatHistory(let query): chatHistory(id, query)
        case .nick(let n): changeNick(id, to: n)
        case .join(let list, let keys): joinAll(id, list, keys: keys)
        case .invite(let nick, let channel): invite(id, nick: nick, channel: channel)
        case .part(let list, let reason): for c in settings.casemapping.unique(list) { part(id, channel: c, reason: reason) }
        case .message(let kind, let target, let text): message(id, kind: kind, target: target, text: text)
        case .topic(let c, let text): topic(id, channel: c, text: text)
        case .names(let c): names(id, channel: c)
        case .who(let mask, let options): who(id, mask: mask, options: options)
        case .whois(let nick): whois(id, nick: nick)
        case .whowas(let nick, let count): whowas(id, nick: nick, count: count)
        case .kick(let c, let nick, let reason): kick(id, channel: c, nick: nick, reason: reason)
        case .away(let text): away(id, text: text)
        case .mode(let target, let args):
            if settings.casemapping.equal(target, users[id]!.nick) { return userMode(id, args: args) }
            mode(id, target: target, args: args)
        case .list(let filters): list(id, filters: filters)
        case .motd: send(.motd(settings.motd), to: id)
        case .lusers: send(.lusers(luserCounts()), to: id)
        case .invitations: invitations(id)
        case .ison(let list):
            send(.ison(nicks: settings.casemapping.unique(list).compactMap { session(named: $0).map { users[$0]!.nick } }), to: id)
        case .userhost(let list):
            let rows = settings.casemapping.unique(list).prefix(5).compactMap { n in
                session(named: n).flatMap { users[$0] }.map { UserHost(nick: $0.nick, user: $0.user, host: $0.host, isAway: $0.away != nil,
                                                                      isServerOperator: $0.isOperator) }
            }
            send(.userhost(rows), to: id)
        case .monitor(let action, let targets): monitor(id, action, targets: targets)
        case .oper(let name, let password): oper(id, name: name, password: password)
        case .kill(let nick, let reason): kill(id, nick: nick, reason: reason)
        case .wallops(let text): wallops(id, text: text)
        }
    }

    // MARK: Registration and nicks

    /// Why `nick` cannot be used by session `id`, or nil when it can.
    func nickProblem(_ nick: String, for id: Int) -> (ErrorCode, String)? {
        if nick.isEmpty { return (.noNicknameGiven, "No nickname given") }
        // 432 in every case; the text says which, for the people reading it.
        if Names.isValidNick(nick, maxLength: .max) && nick.count > settings.nickLength {
            return (.erroneousNickname, "Nickname too long (at most \(settings.nickLength) characters)")
        }
        if !Names.isValidNick(nick, maxLength: settings.nickLength) { return (.erroneousNickname, "Erroneous nickname") }
        let key = Names.impersonationKey(nick, casemapping: settings.casemapping)
        if Self.reservedKeys.contains(key) || key == Names.impersonationKey(settings.serverName, casemapping: settings.casemapping) {
            return (.erroneousNickname, "Nickname is reserved")
        }
        if let owner = nicks[key], owner != id {
            // Not the same nick but one that looks like it (a1ice for alice): say so.
            if let other = users[owner]?.nick, fold(other) != fold(nick) {
                return (.nicknameInUse, "Nickname is too similar to \(other), which is in use")
            }
            return (.nicknameInUse, "Nickname is already in use")
        }
        return nil
    }

    private func register(_ id: Int, nick: String, user: String, realName: String) {
        if users[id]!.registered { return error(id, .alreadyRegistered, [], "You may not reregister") }
        if let (code, text) = nickProblem(nick, for: id) { return error(id, code, [nick], text) }
        var u = users[id]!
        u.nick = nick
        u.user = user
        u.realName = realName
        // Asked before anything is sent: a banned user is never welcomed.
        if let refuses = refusesRegistration, refuses(id, u.source, u.host) { return }
        u.registered = true
        users[id] = u
        nicks[Names.impersonationKey(nick, casemapping: settings.casemapping)] = id
        maxUsers = max(maxUsers, nicks.count)
        if watchNames { named.append(id) }
        sink.audit(.nick(session: id, old: nil, new: nick))
        defer { announceOnline(id) }  // after the welcome
        send(.welcome(Welcome(nick: nick, user: u.user, host: u.host, serverName: settings.serverName,
                              network: settings.network, version: settings.version, createdAt: settings.createdAt,
                              isupport: settings.isupport, users: nicks.count, channels: channels.count,
                              motd: settings.motd)), to: id)
        protectNick(id)
    }

    func changeNick(_ id: Int, to new: String) {
        let u = users[id]!
        if u.nick == new { return }
        if let (code, text) = nickProblem(new, for: id) { return error(id, code, [new], text) }
        let frame = HubEvent.nick(source: u.source, newNick: new).frame()
        send(frame, to: id)
        for peer in peers(of: id) { send(frame, to: peer) }
        nicks[Names.impersonationKey(u.nick, casemapping: settings.casemapping)] = nil
        nicks[Names.impersonationKey(new, casemapping: settings.casemapping)] = id
        users[id]!.nick = new
        rememberWhowas(u)
        if watchNames { named.append(id) }
        sink.audit(.nick(session: id, old: u.nick, new: new))
        if fold(u.nick) != fold(new) {  // a change of case only is the same nick to watchers
            announceOffline(u.nick, of: id)
            announceOnline(id)
        }
        protectNick(id)
    }

    /// Consulted before a user is welcomed, with its session, `nick!user@host` and address:
    /// true when the user is refused, and then has been disconnected (the console's bans on
    /// nick masks). It may end the session, so `register` does nothing after a refusal.
    var refusesRegistration: ((_ id: Int, _ source: String, _ host: String) -> Bool)?

    /// While set (the console has bans on nick masks), sessions that registered or changed
    /// nick are listed in `named`, so that only they are checked against the bans.
    var watchNames = false {
        didSet { if !watchNames { named.removeAll() } }
    }
    private(set) var named: [Int] = []

    /// The sessions named or renamed since the last call.
    func takeNamed() -> [Int] {
        defer { named.removeAll(keepingCapacity: true) }
        return named
    }

    /// Every other registered session that shares a channel with `id`, once each.
    func peers(of id: Int) -> Set<Int> {
        var out = Set<Int>()
        for key in users[id]?.channels ?? [] {
            guard let ch = channels[key] else { continue }
            if isQuiet(ch) {
                for m in ch.ircMembers where m != id { out.insert(m) }
            } else {
                for m in ch.members.keys where m != id { out.insert(m) }
            }
        }
        return out
    }

    /// In a channel this big, people (not IRC clients, whose nick lists need them) are spared
    /// join, part, quit and nick notices: in a crowd they are noise, and sending them to
    /// everyone makes each arrival cost as much as the crowd is big.
    func isQuiet(_ ch: Channel) -> Bool { ch.members.count > settings.quietChannelSize }

    /// A membership notice to a channel, as `isQuiet` allows; `id` (who it is about) always gets it.
    private func announce(_ frame: [UInt8], in ch: Channel, about id: Int) {
        guard isQuiet(ch) else { return broadcast(frame, in: ch) }
        broadcast(frame) { recipients in
            if ch.members[id] != nil { recipients.append(id) }
            for m in ch.ircMembers where m != id { recipients.append(m) }
        }
    }

    /// The most bytes of rows in one list reply (NAMES, WHO, LIST). With what else the event
    /// holds (a name or mask, at most `RequestLimits.name` bytes) it stays far below a frame's
    /// 64 KiB whatever was asked: no request can make the hub build an event it cannot frame.
    static let chunkBytes = 32 * 1024

    /// A list reply in events small enough for a frame: at most `rows` rows and `chunkBytes`
    /// bytes of them (`bytes` bounds a row's encoding) each; all but the last say `more`.
    func sendChunked<T>(_ items: [T], rows: Int, to id: Int, bytes: (T) -> Int,
                                _ make: (ArraySlice<T>, Bool) -> HubEvent) {
        if items.isEmpty { return send(make([], false), to: id) }
        var start = 0
        while start < items.count {
            var end = start, total = 0
            while end < items.count && end - start < rows {
                total += bytes(items[end])
                if end > start && total > Self.chunkBytes { break }
                end += 1
            }
            send(make(items[start..<end], end < items.count), to: id)
            start = end
        }
    }

    // MARK: Channels

    /// Each channel once, with the key in its place.
    private func joinAll(_ id: Int, _ list: [String], keys: [String]) {
        var seen = Set<String>()
        for (i, c) in list.enumerated() where seen.insert(fold(c)).inserted {
            join(id, channel: c, key: i < keys.count ? keys[i] : nil)
        }
    }

    private func join(_ id: Int, channel name: String, key keyGiven: String? = nil) {
        guard Names.isValidChannel(name, maxLength: settings.channelLength) else {
            return error(id, .noSuchChannel, [name], "No such channel")
        }
        let key = fold(name)
        if users[id]!.channels.contains(key) { return }
        if users[id]!.channels.count >= settings.maxChannelsPerUser {
            return error(id, .tooManyChannels, [name], "You have joined too many channels")
        }
        let ch: Channel
        if let existing = channels[key] {
            ch = existing
            guard admits(id, to: ch, key: keyGiven) else { return }
            ch.members[id] = false
        } else {
            ch = Channel(name: name, createdAt: clock() / 1000)
            ch.members[id] = true
            open(ch)
        }
        users[id]!.channels.insert(key)
        let human = users[id]!.dialect == .human
        if !human { ch.ircMembers.insert(id) }
        announceJoin(of: id, in: ch)
        if !ch.topic.isEmpty {
            send(.topic(channel: ch.name, text: ch.topic, setBy: ch.topicBy, setAt: ch.topicAt, isChange: false), to: id)
        }
        if human && isQuiet(ch) {
            send(.memberCount(channel: ch.name, count: ch.members.count), to: id)
        } else {
            sendNames(ch.name, ch, to: id)
        }
        for f in ch.orderedHistory { send(f, to: id) }
        if ch.registration != nil { grantStatus(id, in: ch) }
    }

    /// Makes `ch` known (its first member joins, or it is a registered channel loaded at
    /// start), with its last lines from the store.
    func open(_ ch: Channel) {
        let key = fold(ch.name)
        channels[key] = ch
        channelsByName[ch.name] = ch
        history.adopt(ch)
        restoreHistory(of: ch, key: key)
    }

    /// Forgets `ch` if nobody is in it and it is not registered.
    func closeIfEmpty(_ ch: Channel) {
        guard ch.members.isEmpty, ch.registration == nil else { return }
        channels[fold(ch.name)] = nil
        channelsByName[ch.name] = nil
        history.forget(ch)
    }

    /// A channel that comes back to life (its first member joins) gets its last lines from
    /// the store, as if it had never emptied: JOIN replays them.
    private func restoreHistory(of ch: Channel, key: String) {
        guard let historyStorage, settings.historyLength > 0 else { return }
        let lines = historyStorage.recent(channel: key, limit: settings.historyLength)
        charge(work: lines.count)
        for line in lines {
            history.remember(line.frame, in: ch, lineLimit: settings.historyLength, byteLimit: settings.historyMemory)
        }
    }

    /// At most 1,000 members per event, and `chunkBytes` of them.
    func sendNames(_ name: String, _ ch: Channel?, to id: Int) {
        let secret = ch?.modes.flags.contains(.secret) ?? false
        sendChunked(ch.map(members(of:)) ?? [], rows: 1000, to: id, bytes: HubEvent.encodedSize) {
            .names(channel: name, members: Array($0), more: $1, isSecret: secret)
        }
    }

    /// Operators first, then by nick, case-insensitively. Each nick is lowercased once, not
    /// at every comparison: this runs for every IRC client that joins, over the whole channel.
    func members(of ch: Channel) -> [Member] {
        var keyed: [(key: String, member: Member)] = []
        keyed.reserveCapacity(ch.members.count)
        work &+= ch.members.count
        for (id, op) in ch.members {
            guard let u = users[id] else { continue }
            let voiced = !ch.voiced.isEmpty && ch.voiced.contains(id)
            keyed.append(((op ? "0" : voiced ? "1" : "2") + u.nick.lowercased(),
                          Member(nick: u.nick, isOperator: op, isVoiced: voiced, source: u.source)))
        }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.member)
    }

    private func leave(channelKey key: String, session id: Int) {
        guard let ch = channels[key] else { return }
        ch.members[id] = nil
        ch.ircMembers.remove(id)
        ch.voiced.remove(id)
        users[id]?.channels.remove(key)
        closeIfEmpty(ch)
    }

    /// The channel `name` if `id` is a member; otherwise sends the error and returns nil.
    func memberChannel(_ id: Int, _ name: String) -> Channel? {
        guard let ch = channels[fold(name)] else {
            error(id, .noSuchChannel, [name], "No such channel")
            return nil
        }
        guard ch.members[id] != nil else {
            error(id, .notOnChannel, [ch.name], "You're not on that channel")
            return nil
        }
        return ch
    }

    private func part(_ id: Int, channel name: String, reason: String) {
        guard let ch = memberChannel(id, name) else { return }
        let frame = HubEvent.part(channel: ch.name, source: users[id]!.source, reason: reason).frame()
        announce(frame, in: ch, about: id)
        leave(channelKey: fold(name), session: id)
    }

    private func topic(_ id: Int, channel name: String, text: String?) {
        guard let text else {
            guard let ch = channels[fold(name)] else { return error(id, .noSuchChannel, [name], "No such channel") }
            send(.topic(channel: ch.name, text: ch.topic, setBy: ch.topicBy, setAt: ch.topicAt, isChange: false), to: id)
            return
        }
        guard let ch = memberChannel(id, name) else { return }
        if ch.modes.flags.contains(.topicLock) && ch.members[id] != true {
            return error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator")
        }
        setTopic(ch, text: text, by: users[id]!.nick)
    }

    /// Sets a channel's topic and tells its members (also used by the operator console).
    func setTopic(_ ch: Channel, text: String, by: String) {
        ch.topic = clean(text, limit: settings.topicLength)
        ch.topicBy = by
        ch.topicAt = clock() / 1000
        if ch.registration != nil { keep(ch, .row) }
        let source = users.values.first { $0.nick == by }?.source ?? by
        let frame = HubEvent.topic(channel: ch.name, text: ch.topic, setBy: source, setAt: ch.topicAt, isChange: true).frame()
        broadcast(frame, in: ch)
    }

    private func names(_ id: Int, channel name: String?) {
        if let name {
            // A secret channel's members are hidden from outsiders: an empty list, as for a
            // channel that does not exist.
            let ch = channels[fold(name)].flatMap { isHidden($0, from: id) ? nil : $0 }
            sendNames(ch?.name ?? shown(name: name), ch, to: id)
        } else if users[id]!.channels.isEmpty {
            // In no channel: an empty list, so that IRC clients get `366 nick * :End of /NAMES list.`
            sendNames("*", nil, to: id)
        } else {
            for key in users[id]!.channels.sorted() {
                if let ch = channels[key] { sendNames(ch.name, ch, to: id) }
            }
        }
    }

    private func whois(_ id: Int, nick: String) {
        guard let sid = session(named: nick), let u = users[sid] else {
            return send(.whoisMissing(nick: shown(name: nick)), to: id)
        }
        work &+= u.channels.count
        let chans = u.channels.compactMap { key -> String? in
            guard let ch = channels[key], !isHidden(ch, from: id) else { return nil }
            return (ch.members[sid] == true ? "@" : ch.voiced.contains(sid) ? "+" : "") + ch.name
        }.sorted()
        let now = clock()
        send(.whois(WhoisInfo(nick: u.nick, user: u.user, host: u.host, realName: u.realName, channels: chans,
                              idleSeconds: (now - u.lastActive) / 1000, signonTime: u.connectedAt / 1000,
                              away: u.away, isServerOperator: u.isOperator, account: u.account)), to: id)
    }

    private func kick(_ id: Int, channel name: String, nick: String, reason: String) {
        guard let ch = memberChannel(id, name) else { return }
        guard ch.members[id] == true else {
            return error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator")
        }
        guard let target = session(named: nick), ch.members[target] != nil else {
            return error(id, .userNotInChannel, [nick, ch.name], "They aren't on that channel")
        }
        let why = reason.isEmpty ? users[id]!.nick : reason
        let frame = HubEvent.kick(channel: ch.name, source: users[id]!.source, nick: users[target]!.nick, reason: why).frame()
        broadcast(frame, in: ch)
        sink.audit(.kick(by: id, channel: ch.name, target: target, targetNick: users[target]!.nick, reason: why))
        leave(channelKey: fold(ch.name), session: target)
    }

    private func away(_ id: Int, text: String?) {
        users[id]!.away = (text?.isEmpty ?? true) ? nil : text
        send(.awayStatus(isAway: users[id]!.away != nil), to: id)
        notifyAway(of: id)
    }

    private func list(_ id: Int, filters: [String]) {
        work &+= channels.count
        let rows = listedChannels(filters, for: id).sorted { $0.name < $1.name }
            .map { ChannelSummary(name: $0.name, users: $0.members.count, topic: $0.topic) }
        sendChunked(rows, rows: 100, to: id, bytes: HubEvent.encodedSize) { .list(Array($0), more: $1) }
    }

    // MARK: Messages

    /// `tags`: the sender's client-only tags (IRCv3 message-tags), checked by `accepted`.
    private func message(_ id: Int, kind: MessageKind, target: String, text: String, tags: String = "") {
        // A NOTICE never gets an automatic reply (RFC 2812 3.3.2): its errors are not sent.
        quietErrors = kind == .notice
        defer { quietErrors = false }
        if target.isEmpty { return error(id, .noRecipient, [], "No recipient given (PRIVMSG)") }
        let body = text  // cleaned as accepted
        if body.isEmpty { return error(id, .noTextToSend, [], "No text to send") }
        let now = clock()
        let u = users[id]!
        if u.mutedUntil > now {
            return error(id, .cannotSendToChannel, [target], "You are muted by the server operator")
        }
        if target.utf8.first == UInt8(ascii: "#") {  // by byte: "#" + a combining mark is a channel too
            guard let ch = channelsByName[target] ?? channels[fold(target)] else { return error(id, .noSuchNick, [target], "No such nick/channel") }
            if ch.members[id] == nil && ch.modes.flags.contains(.noExternal) {
                return error(id, .cannotSendToChannel, [ch.name], "Cannot send to channel (no external messages)")
            }
            if ch.modes.checksSpeech, let why = speechRefusal(id, in: ch) {
                return error(id, .cannotSendToChannel, [ch.name], why)
            }
            let messageID = nextMessageID()
            let frame = HubEvent.message(source: u.source, kind: kind, target: ch.name, text: body, time: now,
                                         id: messageID, tags: tags, account: u.account ?? "").frame()
            broadcast(frame, in: ch) { $0 != id }
            if u.caps.contains(.echoMessage) { send(frame, to: id) }
            // Notices and CTCP queries (VERSION, PING: for the clients there now; replayed, a
            // newcomer's client would answer a stale one) stay out of the history.
            if kind != .notice && body.utf8.first != CTCP.delimiter {
                history.remember(frame, in: ch, lineLimit: settings.historyLength, byteLimit: settings.historyMemory)
                if let historyStorage {
                    historyStorage.append(StoredLine(source: u.source, kind: kind, target: ch.name, text: body, time: now, id: messageID,
                                                     tags: tags, account: u.account ?? ""),
                                          channel: fold(ch.name), retention: settings.historyRetention)
                }
            }
        } else {
            guard let sid = session(named: target), let peer = users[sid] else {
                return error(id, .noSuchNick, [target], "No such nick/channel")
            }
            let messageID = nextMessageID()
            let frame = HubEvent.message(source: u.source, kind: kind, target: peer.nick, text: body, time: now,
                                         id: messageID, tags: tags, account: u.account ?? "").frame()
            send(frame, to: sid)
            if u.caps.contains(.echoMessage) { send(frame, to: id) }
            if settings.historyPrivate {
                keepPrivate(StoredLine(source: u.source, kind: kind, target: peer.nick, text: body, time: now, id: messageID,
                                       tags: tags, account: u.account ?? ""), from: u, to: peer)
            }
            if let away = peer.away, kind != .notice { send(.awayReply(nick: peer.nick, text: away), to: id) }
        }
    }

    // MARK: Operator actions

    /// The longest server notice, in bytes: one IRC line with room for its prefix.
    static let noticeLimit = 400

    /// A notice from the server to everyone, or to one channel's members.
    @discardableResult
    func serverNotice(_ text: String, channel: String? = nil) -> Bool {
        let frame = HubEvent.serverNotice(text: clean(text, limit: Self.noticeLimit)).frame()
        if let channel {
            guard let ch = channels[fold(channel)] else { return false }
            broadcast(frame, in: ch)
        } else {
            broadcast(frame) { $0.append(contentsOf: users.keys) }
        }
        return true
    }

    func mute(_ id: Int, until: Int64) { users[id]?.mutedUntil = until }

    func channel(named name: String) -> Channel? { channels[fold(name)] }

    // MARK: Helpers

    /// An error reply. Its parameters often echo what the user sent (a nick, a channel, a
    /// mode letter), so each is shown as `shown(name:)` makes it.
    func error(_ id: Int, _ code: ErrorCode, _ params: [String], _ text: String) {
        if quietErrors { return }
        send(.error(code: code, params: params.map { shown(name: $0) }, text: text), to: id)
    }

    func send(_ event: HubEvent, to id: Int) { send(event.frame(), to: id) }

    @inline(__always)
    func send(_ frame: [UInt8], to id: Int) {
        sink.deliver(frame, to: id)
    }

    /// One frame to the members of `ch` that `include` picks, in one call to the sink.
    func broadcast(_ frame: [UInt8], in ch: Channel, where include: (Int) -> Bool = { _ in true }) {
        broadcast(frame) { recipients in
            for m in ch.members.keys where include(m) { recipients.append(m) }
        }
    }

    /// One frame to the sessions `pick` lists, in one call to the sink.
    func broadcast(_ frame: [UInt8], to pick: (inout [Int]) -> Void) {
        recipients.removeAll(keepingCapacity: true)
        pick(&recipients)
        sink.deliver(frame, toEach: recipients)
    }
}
