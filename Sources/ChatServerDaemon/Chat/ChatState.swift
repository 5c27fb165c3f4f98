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

    func register(_ id: Int, nick: String, user: String, realName: String) {
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
    func announce(_ frame: [UInt8], in ch: Channel, about id: Int) {
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

    // MARK: Channels opening and closing

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
    func restoreHistory(of ch: Channel, key: String) {
        guard let historyStorage, settings.historyLength > 0 else { return }
        let lines = historyStorage.recent(channel: key, limit: settings.historyLength)
        charge(work: lines.count)
        for line in lines {
            history.remember(line.frame, in: ch, lineLimit: settings.historyLength, byteLimit: settings.historyMemory)
        }
    }

    // MARK: Messages

    /// `tags`: the sender's client-only tags (IRCv3 message-tags), checked by `accepted`.
    func message(_ id: Int, kind: MessageKind, target: String, text: String, tags: String = "") {
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
