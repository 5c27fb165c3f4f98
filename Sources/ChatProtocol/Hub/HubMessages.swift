/// How a connection talks: a person on telnet/nc, or an IRC client.
public enum Dialect: UInt8, Sendable, CustomStringConvertible {
    case human = 0
    case irc = 1

    public var description: String { self == .human ? "human" : "irc" }
}

/// PRIVMSG, NOTICE, or an action (`/me`, CTCP ACTION on IRC).
public enum MessageKind: UInt8, Sendable {
    case privmsg = 0
    case notice = 1
    case action = 2
}

/// A channel member as the NAMES reply lists it.
public struct Member: Equatable, Sendable {
    public var nick: String
    public var isOperator: Bool
    public init(nick: String, isOperator: Bool) {
        self.nick = nick
        self.isOperator = isOperator
    }
}

/// One row of a WHO reply.
public struct WhoEntry: Equatable, Sendable {
    public var channel: String  // "*" when not asked through a channel
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    public var isAway: Bool
    public var isOperator: Bool
    public init(channel: String, nick: String, user: String, host: String, realName: String, isAway: Bool, isOperator: Bool) {
        self.channel = channel; self.nick = nick; self.user = user; self.host = host
        self.realName = realName; self.isAway = isAway; self.isOperator = isOperator
    }
}

/// What the hub tells a session once its registration is accepted.
public struct Welcome: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var serverName: String
    public var network: String
    public var version: String
    public var createdAt: Int64  // Unix seconds
    public var isupport: [String]  // ISUPPORT tokens, e.g. "CHANTYPES=#"
    public var users: Int
    public var channels: Int
    public var motd: [String]?  // nil: there is no MOTD
    public init(nick: String, user: String, host: String, serverName: String, network: String, version: String,
                createdAt: Int64, isupport: [String], users: Int, channels: Int, motd: [String]?) {
        self.nick = nick; self.user = user; self.host = host; self.serverName = serverName
        self.network = network; self.version = version; self.createdAt = createdAt
        self.isupport = isupport; self.users = users; self.channels = channels; self.motd = motd
    }
}

/// WHOIS facts about one user.
public struct WhoisInfo: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    public var channels: [String]  // with "@" before channels where the user is operator
    public var idleSeconds: Int64
    public var signonTime: Int64
    public var away: String?
    public init(nick: String, user: String, host: String, realName: String, channels: [String],
                idleSeconds: Int64, signonTime: Int64, away: String?) {
        self.nick = nick; self.user = user; self.host = host; self.realName = realName
        self.channels = channels; self.idleSeconds = idleSeconds; self.signonTime = signonTime; self.away = away
    }
}

/// One row of a LIST reply.
public struct ChannelSummary: Equatable, Sendable {
    public var name: String
    public var users: Int
    public var topic: String
    public init(name: String, users: Int, topic: String) {
        self.name = name; self.users = users; self.topic = topic
    }
}

/// One row of a USERHOST reply: someone who is online, and whether they are away.
public struct UserHost: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var isAway: Bool
    public init(nick: String, user: String, host: String, isAway: Bool) {
        self.nick = nick; self.user = user; self.host = host; self.isAway = isAway
    }
}

/// A refusal, named by its IRC numeric so that IRC sessions send it as is and human sessions
/// can word it; `params` are the numeric's middle parameters (after the client's nick).
public struct ErrorCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noSuchNick = ErrorCode(rawValue: 401)
    public static let noSuchChannel = ErrorCode(rawValue: 403)
    public static let cannotSendToChannel = ErrorCode(rawValue: 404)
    public static let tooManyChannels = ErrorCode(rawValue: 405)
    public static let noRecipient = ErrorCode(rawValue: 411)
    public static let noTextToSend = ErrorCode(rawValue: 412)
    public static let unknownCommand = ErrorCode(rawValue: 421)
    public static let noNicknameGiven = ErrorCode(rawValue: 431)
    public static let erroneousNickname = ErrorCode(rawValue: 432)
    public static let nicknameInUse = ErrorCode(rawValue: 433)
    public static let userNotInChannel = ErrorCode(rawValue: 441)
    public static let notOnChannel = ErrorCode(rawValue: 442)
    public static let userOnChannel = ErrorCode(rawValue: 443)
    public static let notRegistered = ErrorCode(rawValue: 451)
    public static let needMoreParams = ErrorCode(rawValue: 461)
    public static let alreadyRegistered = ErrorCode(rawValue: 462)
    public static let bannedFromChannel = ErrorCode(rawValue: 474)
    public static let badChannelName = ErrorCode(rawValue: 479)
    public static let chanOpPrivsNeeded = ErrorCode(rawValue: 482)
    public static let unknownMode = ErrorCode(rawValue: 472)
    public static let usersDontMatch = ErrorCode(rawValue: 502)
}

/// Intent, from a session to the hub. The hub decides and answers with events.
public enum HubRequest: Equatable, Sendable {
    /// The session has recognised its client's dialect.
    case hello(dialect: Dialect)
    case register(nick: String, user: String, realName: String)
    case nick(String)
    case join(channels: [String])
    case part(channels: [String], reason: String)
    /// One target per request; the session splits comma lists.
    case message(kind: MessageKind, target: String, text: String)
    /// `text == nil` asks for the topic.
    case topic(channel: String, text: String?)
    /// `channel == nil` lists the session's own channels.
    case names(channel: String?)
    case who(mask: String)
    case whois(nick: String)
    case kick(channel: String, nick: String, reason: String)
    /// `text == nil` marks the user back.
    case away(text: String?)
    case mode(target: String, args: [String])
    case list
    case motd
    case quit(reason: String)
    /// How many are online and how many channels there are (IRC LUSERS).
    case lusers
    /// Which of these nicks are online (IRC ISON, for clients' notify lists).
    case ison(nicks: [String])
    /// The address and away state of these nicks, those online (IRC USERHOST, at most 5).
    case userhost(nicks: [String])
}

/// Fact, from the hub to a session, rendered by the session in its dialect.
/// `source` is a full `nick!user@host` for users, or the server's name.
public enum HubEvent: Equatable, Sendable {
    case welcome(Welcome)
    case error(code: ErrorCode, params: [String], text: String)
    case nick(source: String, newNick: String)
    case join(channel: String, source: String)
    case part(channel: String, source: String, reason: String)
    case quit(source: String, reason: String)
    case kick(channel: String, source: String, nick: String, reason: String)
    /// A message to a channel or to the recipient; `time` is milliseconds since the epoch.
    case message(source: String, kind: MessageKind, target: String, text: String, time: Int64)
    /// `isChange`: someone just set it (broadcast); otherwise a reply (empty text: no topic).
    case topic(channel: String, text: String, setBy: String, setAt: Int64, isChange: Bool)
    /// Long lists come in several events; all but the last have `more` set, so that a frame
    /// never exceeds `HubFrame.maxPayload` (and IRC clients get one end-of-list reply).
    case names(channel: String, members: [Member], more: Bool = false)
    case who(mask: String, entries: [WhoEntry], more: Bool = false)
    /// Instead of `names` for a person joining a crowd: how many are there (a list of
    /// thousands of nicks is noise on a terminal, and sending it to each arrival makes a
    /// crowd's arrivals cost the square of its size).
    case memberCount(channel: String, count: Int)
    case whois(WhoisInfo)
    /// Reply to the session's own AWAY.
    case awayStatus(isAway: Bool)
    /// The target of a private message is away.
    case awayReply(nick: String, text: String)
    case channelModes(channel: String, modes: String, createdAt: Int64)
    case list([ChannelSummary], more: Bool = false)
    case motd([String]?)
    /// A notice from the server or its operator, to everyone or to one channel's members.
    case serverNotice(text: String)
    /// The hub ends this connection: tell the user why, flush, close.
    case disconnect(reason: String)
    /// Reply to `lusers`: registered users and channels, as in the welcome.
    case lusers(users: Int, channels: Int)
    /// Reply to `ison`: the nicks asked for that are online, spelled as their owners do.
    case ison(nicks: [String])
    /// Reply to `userhost`: one row for each nick asked for that is online.
    case userhost([UserHost])
    /// A channel operator changed a channel mode, broadcast to the channel: for now only
    /// `+o`/`-o` (`modes`), giving or taking operator status from the nick in `args`.
    case channelModeChange(channel: String, source: String, modes: String, args: [String])
}

// MARK: - Encoding

extension HubRequest {
    /// The type byte of this request's frames.
    public var messageType: HubMessageType {
        switch self {
        case .hello: return .requestHello
        case .register: return .requestRegister
        case .nick: return .requestNick
        case .join: return .requestJoin
        case .part: return .requestPart
        case .message: return .requestMessage
        case .topic: return .requestTopic
        case .names: return .requestNames
        case .who: return .requestWho
        case .whois: return .requestWhois
        case .kick: return .requestKick
        case .away: return .requestAway
        case .mode: return .requestMode
        case .list: return .requestList
        case .motd: return .requestMotd
        case .quit: return .requestQuit
        case .lusers: return .requestLusers
        case .ison: return .requestIson
        case .userhost: return .requestUserhost
        }
    }

    /// Appends this request as one frame.
    public func appendFrame(to out: inout [UInt8]) {
        HubFrame.append(type: messageType.rawValue, to: &out) { w in
            switch self {
            case .hello(let d): w.u8(d.rawValue)
            case .register(let n, let u, let r): w.string(n); w.string(u); w.string(r)
            case .nick(let n): w.string(n)
            case .join(let c): w.strings(c)
            case .part(let c, let r): w.strings(c); w.string(r)
            case .message(let k, let t, let text): w.u8(k.rawValue); w.string(t); w.string(text)
            case .topic(let c, let t): w.string(c); w.optionalString(t)
            case .names(let c): w.optionalString(c)
            case .who(let m): w.string(m)
            case .whois(let n): w.string(n)
            case .kick(let c, let n, let r): w.string(c); w.string(n); w.string(r)
            case .away(let t): w.optionalString(t)
            case .mode(let t, let a): w.string(t); w.strings(a)
            case .list, .motd, .lusers: break
            case .quit(let r): w.string(r)
            case .ison(let n), .userhost(let n): w.strings(n)
            }
        }
    }

    public func frame() -> [UInt8] {
        var out: [UInt8] = []
        appendFrame(to: &out)
        return out
    }

    /// Decodes the payload of a frame of type `type`.
    public init(type: UInt8, payload: UnsafeRawBufferPointer) throws(PayloadError) {
        var r = BinaryReader(payload)
        switch HubMessageType(rawValue: type) {
        case .requestHello?:
            guard let d = Dialect(rawValue: try r.u8()) else { throw .invalidValue("dialect") }
            self = .hello(dialect: d)
        case .requestRegister?: self = .register(nick: try r.string(), user: try r.string(), realName: try r.string())
        case .requestNick?: self = .nick(try r.string())
        case .requestJoin?: self = .join(channels: try r.strings())
        case .requestPart?: self = .part(channels: try r.strings(), reason: try r.string())
        case .requestMessage?:
            guard let k = MessageKind(rawValue: try r.u8()) else { throw .invalidValue("message kind") }
            self = .message(kind: k, target: try r.string(), text: try r.string())
        case .requestTopic?: self = .topic(channel: try r.string(), text: try r.optionalString())
        case .requestNames?: self = .names(channel: try r.optionalString())
        case .requestWho?: self = .who(mask: try r.string())
        case .requestWhois?: self = .whois(nick: try r.string())
        case .requestKick?: self = .kick(channel: try r.string(), nick: try r.string(), reason: try r.string())
        case .requestAway?: self = .away(text: try r.optionalString())
        case .requestMode?: self = .mode(target: try r.string(), args: try r.strings())
        case .requestList?: self = .list
        case .requestMotd?: self = .motd
        case .requestQuit?: self = .quit(reason: try r.string())
        case .requestLusers?: self = .lusers
        case .requestIson?: self = .ison(nicks: try r.strings())
        case .requestUserhost?: self = .userhost(nicks: try r.strings())
        default: throw .unknownType(type)
        }
        try r.finish()
    }
}

extension HubEvent {
    /// The type byte of this event's frames.
    public var messageType: HubMessageType {
        switch self {
        case .welcome: return .eventWelcome
        case .error: return .eventError
        case .nick: return .eventNick
        case .join: return .eventJoin
        case .part: return .eventPart
        case .quit: return .eventQuit
        case .kick: return .eventKick
        case .message: return .eventMessage
        case .topic: return .eventTopic
        case .names: return .eventNames
        case .who: return .eventWho
        case .whois: return .eventWhois
        case .awayStatus: return .eventAwayStatus
        case .awayReply: return .eventAwayReply
        case .channelModes: return .eventChannelModes
        case .list: return .eventList
        case .motd: return .eventMotd
        case .serverNotice: return .eventServerNotice
        case .disconnect: return .eventDisconnect
        case .memberCount: return .eventMemberCount
        case .lusers: return .eventLusers
        case .ison: return .eventIson
        case .userhost: return .eventUserhost
        case .channelModeChange: return .eventChannelModeChange
        }
    }

    /// Appends this event as one frame. A broadcast is encoded once and the same bytes go to
    /// every recipient.
    public func appendFrame(to out: inout [UInt8]) {
        HubFrame.append(type: messageType.rawValue, to: &out) { w in
            switch self {
            case .welcome(let x):
                w.string(x.nick); w.string(x.user); w.string(x.host); w.string(x.serverName)
                w.string(x.network); w.string(x.version); w.int(x.createdAt); w.strings(x.isupport)
                w.varint(UInt64(x.users)); w.varint(UInt64(x.channels))
                if let m = x.motd { w.u8(1); w.strings(m) } else { w.u8(0) }
            case .error(let c, let p, let t): w.u16(c.rawValue); w.strings(p); w.string(t)
            case .nick(let s, let n): w.string(s); w.string(n)
            case .join(let c, let s): w.string(c); w.string(s)
            case .part(let c, let s, let r): w.string(c); w.string(s); w.string(r)
            case .quit(let s, let r): w.string(s); w.string(r)
            case .kick(let c, let s, let n, let r): w.string(c); w.string(s); w.string(n); w.string(r)
            case .message(let s, let k, let t, let text, let time):
                w.string(s); w.u8(k.rawValue); w.string(t); w.string(text); w.int(time)
            case .topic(let c, let t, let by, let at, let change):
                w.string(c); w.string(t); w.string(by); w.int(at); w.bool(change)
            case .names(let c, let members, let more):
                w.string(c); w.varint(UInt64(members.count))
                for m in members { w.string(m.nick); w.bool(m.isOperator) }
                w.bool(more)
            case .who(let mask, let entries, let more):
                w.string(mask); w.varint(UInt64(entries.count))
                for e in entries {
                    w.string(e.channel); w.string(e.nick); w.string(e.user); w.string(e.host)
                    w.string(e.realName); w.bool(e.isAway); w.bool(e.isOperator)
                }
                w.bool(more)
            case .whois(let x):
                w.string(x.nick); w.string(x.user); w.string(x.host); w.string(x.realName)
                w.strings(x.channels); w.int(x.idleSeconds); w.int(x.signonTime); w.optionalString(x.away)
            case .awayStatus(let a): w.bool(a)
            case .awayReply(let n, let t): w.string(n); w.string(t)
            case .channelModes(let c, let m, let at): w.string(c); w.string(m); w.int(at)
            case .list(let rows, let more):
                w.varint(UInt64(rows.count))
                for row in rows { w.string(row.name); w.varint(UInt64(row.users)); w.string(row.topic) }
                w.bool(more)
            case .motd(let lines):
                if let lines { w.u8(1); w.strings(lines) } else { w.u8(0) }
            case .serverNotice(let t): w.string(t)
            case .disconnect(let r): w.string(r)
            case .memberCount(let c, let n): w.string(c); w.varint(UInt64(n))
            case .lusers(let u, let c): w.varint(UInt64(u)); w.varint(UInt64(c))
            case .ison(let n): w.strings(n)
            case .userhost(let rows):
                w.varint(UInt64(rows.count))
                for row in rows { w.string(row.nick); w.string(row.user); w.string(row.host); w.bool(row.isAway) }
            case .channelModeChange(let c, let s, let m, let a): w.string(c); w.string(s); w.string(m); w.strings(a)
            }
        }
    }

    public func frame() -> [UInt8] {
        var out: [UInt8] = []
        appendFrame(to: &out)
        return out
    }

    public init(type: UInt8, payload: UnsafeRawBufferPointer) throws(PayloadError) {
        var r = BinaryReader(payload)
        switch HubMessageType(rawValue: type) {
        case .eventWelcome?:
            let nick = try r.string(), user = try r.string(), host = try r.string(), server = try r.string()
            let network = try r.string(), version = try r.string(), created = try r.int(), isupport = try r.strings()
            let users = try r.count(limit: Int.max), channels = try r.count(limit: Int.max)
            let motd: [String]? = try r.bool() ? try r.strings() : nil
            self = .welcome(Welcome(nick: nick, user: user, host: host, serverName: server, network: network,
                                    version: version, createdAt: created, isupport: isupport, users: users,
                                    channels: channels, motd: motd))
        case .eventError?: self = .error(code: ErrorCode(rawValue: try r.u16()), params: try r.strings(), text: try r.string())
        case .eventNick?: self = .nick(source: try r.string(), newNick: try r.string())
        case .eventJoin?: self = .join(channel: try r.string(), source: try r.string())
        case .eventPart?: self = .part(channel: try r.string(), source: try r.string(), reason: try r.string())
        case .eventQuit?: self = .quit(source: try r.string(), reason: try r.string())
        case .eventKick?: self = .kick(channel: try r.string(), source: try r.string(), nick: try r.string(), reason: try r.string())
        case .eventMessage?:
            let s = try r.string()
            guard let k = MessageKind(rawValue: try r.u8()) else { throw .invalidValue("message kind") }
            self = .message(source: s, kind: k, target: try r.string(), text: try r.string(), time: try r.int())
        case .eventTopic?:
            self = .topic(channel: try r.string(), text: try r.string(), setBy: try r.string(), setAt: try r.int(),
                          isChange: try r.bool())
        case .eventNames?:
            let c = try r.string()
            let n = try r.count(limit: r.remaining)
            var members: [Member] = []
            members.reserveCapacity(n)
            for _ in 0..<n { members.append(Member(nick: try r.string(), isOperator: try r.bool())) }
            self = .names(channel: c, members: members, more: try r.bool())
        case .eventWho?:
            let mask = try r.string()
            let n = try r.count(limit: r.remaining)
            var entries: [WhoEntry] = []
            for _ in 0..<n {
                entries.append(WhoEntry(channel: try r.string(), nick: try r.string(), user: try r.string(),
                                        host: try r.string(), realName: try r.string(), isAway: try r.bool(),
                                        isOperator: try r.bool()))
            }
            self = .who(mask: mask, entries: entries, more: try r.bool())
        case .eventWhois?:
            self = .whois(WhoisInfo(nick: try r.string(), user: try r.string(), host: try r.string(),
                                    realName: try r.string(), channels: try r.strings(), idleSeconds: try r.int(),
                                    signonTime: try r.int(), away: try r.optionalString()))
        case .eventAwayStatus?: self = .awayStatus(isAway: try r.bool())
        case .eventAwayReply?: self = .awayReply(nick: try r.string(), text: try r.string())
        case .eventChannelModes?: self = .channelModes(channel: try r.string(), modes: try r.string(), createdAt: try r.int())
        case .eventList?:
            let n = try r.count(limit: r.remaining)
            var rows: [ChannelSummary] = []
            for _ in 0..<n {
                rows.append(ChannelSummary(name: try r.string(), users: try r.count(limit: Int.max), topic: try r.string()))
            }
            self = .list(rows, more: try r.bool())
        case .eventMotd?: self = .motd(try r.bool() ? try r.strings() : nil)
        case .eventServerNotice?: self = .serverNotice(text: try r.string())
        case .eventDisconnect?: self = .disconnect(reason: try r.string())
        case .eventMemberCount?: self = .memberCount(channel: try r.string(), count: try r.count(limit: Int.max))
        case .eventLusers?: self = .lusers(users: try r.count(limit: Int.max), channels: try r.count(limit: Int.max))
        case .eventIson?: self = .ison(nicks: try r.strings())
        case .eventUserhost?:
            let n = try r.count(limit: r.remaining)
            var rows: [UserHost] = []
            for _ in 0..<n {
                rows.append(UserHost(nick: try r.string(), user: try r.string(), host: try r.string(), isAway: try r.bool()))
            }
            self = .userhost(rows)
        case .eventChannelModeChange?:
            self = .channelModeChange(channel: try r.string(), source: try r.string(), modes: try r.string(),
                                      args: try r.strings())
        default: throw .unknownType(type)
        }
        try r.finish()
    }
}

/// The nick part of a `nick!user@host` source (the whole string when there is no `!`).
public func nickOf(_ source: String) -> Substring {
    if let bang = source.utf8.firstIndex(of: UInt8(ascii: "!")) { return source[..<bang] }
    return source[...]
}
