// An event as a hub frame's payload (docs/PROTOCOL.md, "Events").
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
        case .sync: return .eventSync
        case .whoisMissing: return .eventWhoisMissing
        case .whowas: return .eventWhowas
        case .invite: return .eventInvite
        case .inviting: return .eventInviting
        case .modeList: return .eventModeList
        case .monitor: return .eventMonitor
        case .monitorList: return .eventMonitorList
        case .userModes: return .eventUserModes
        case .youreOper: return .eventYoureOper
        case .loggedIn: return .eventLoggedIn
        case .loggedOut: return .eventLoggedOut
        case .saslResult: return .eventSaslResult
        case .serviceNotice: return .eventServiceNotice
        case .wallops: return .eventWallops
        case .tagMessage: return .eventTagMessage
        case .awayChange: return .eventAwayChange
        case .setName: return .eventSetName
        case .extendedJoin: return .eventExtendedJoin
        case .invitations: return .eventInvitations
        case .tlsSignature: return .eventTlsSignature
        case .historyBatch: return .eventHistoryBatch
        case .historyRefused: return .eventHistoryRefused
        case .historyTargets: return .eventHistoryTargets
        case .accountChange: return .eventAccountChange
        }
    }

    /// Appends this event as one frame. A broadcast is encoded once and the same bytes go to
    /// every recipient.
    public func appendFrame(to out: inout [UInt8]) {
        HubFrame.append(type: messageType.rawValue, to: &out) { w in writePayload(to: &w) }
    }

    /// This event as one new frame.
    public func frame() -> [UInt8] { HubFrame.make(type: messageType.rawValue) { w in writePayload(to: &w) } }

    /// Writes this event's fields, the frame's payload.
    private func writePayload(to w: inout BinaryWriter) {
        switch self {
        case .welcome(let x):
            w.string(x.nick); w.string(x.user); w.string(x.host); w.string(x.serverName)
            w.string(x.network); w.string(x.version); w.int(x.createdAt); w.strings(x.isupport)
            w.varint(UInt64(x.users)); w.varint(UInt64(x.channels))
            if let m = x.motd { w.u8(1); w.strings(m) } else { w.u8(0) }
        case .error(let c, let p, let t): w.u16(c.rawValue); w.strings(p); w.string(t)
        case .nick(let s, let n): w.string(s); w.string(n)
        case .join(let c, let s, let a): w.string(c); w.string(s); w.string(a)
        case .part(let c, let s, let r): w.string(c); w.string(s); w.string(r)
        case .quit(let s, let r): w.string(s); w.string(r)
        case .kick(let c, let s, let n, let r): w.string(c); w.string(s); w.string(n); w.string(r)
        case .message(let s, let k, let t, let text, let time, let id, let tags, let account):
            w.string(s); w.u8(k.rawValue); w.string(t); w.string(text); w.int(time); w.varint(id); w.string(tags); w.string(account)
        case .topic(let c, let t, let by, let at, let change):
            w.string(c); w.string(t); w.string(by); w.int(at); w.bool(change)
        case .names(let c, let members, let more, let secret):
            w.string(c); w.varint(UInt64(members.count))
            for m in members {
                w.string(m.nick); w.u8((m.isOperator ? 1 : 0) | (m.isVoiced ? 2 : 0)); w.string(m.source)
            }
            w.bool(more); w.bool(secret)
        case .who(let mask, let entries, let more, let whox):
            w.string(mask); w.varint(UInt64(entries.count))
            for e in entries {
                w.string(e.channel); w.string(e.nick); w.string(e.user); w.string(e.host)
                w.string(e.realName); w.bool(e.isAway); w.bool(e.isOperator); w.bool(e.isVoiced); w.bool(e.isServerOperator)
                w.int(e.idleSeconds)
            }
            w.bool(more); w.whox(whox)
        case .whois(let x):
            w.string(x.nick); w.string(x.user); w.string(x.host); w.string(x.realName)
            w.strings(x.channels); w.int(x.idleSeconds); w.int(x.signonTime); w.optionalString(x.away)
            w.bool(x.isServerOperator)
            w.optionalString(x.account)
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
        case .lusers(let l):
            for n in [l.users, l.invisible, l.operators, l.unknown, l.channels, l.maxUsers] { w.varint(UInt64(n)) }
        case .ison(let n): w.strings(n)
        case .userhost(let rows):
            w.varint(UInt64(rows.count))
            for row in rows {
                w.string(row.nick); w.string(row.user); w.string(row.host); w.bool(row.isAway); w.bool(row.isServerOperator)
            }
        case .channelModeChange(let c, let s, let m, let a): w.string(c); w.string(s); w.string(m); w.strings(a)
        case .sync(let t): w.varint(t)
        case .whoisMissing(let n): w.string(n)
        case .whowas(let n, let entries):
            w.string(n); w.varint(UInt64(entries.count))
            for e in entries {
                w.string(e.nick); w.string(e.user); w.string(e.host); w.string(e.realName); w.string(e.server); w.int(e.leftAt)
            }
        case .invite(let c, let s, let n, let a): w.string(c); w.string(s); w.string(n); w.string(a)
        case .inviting(let c, let n): w.string(c); w.string(n)
        case .modeList(let c, let m, let entries):
            w.string(c); w.string(m); w.varint(UInt64(entries.count))
            for e in entries { w.string(e.mask); w.string(e.setBy); w.int(e.setAt) }
        case .monitor(let on, let off): w.strings(on); w.strings(off)
        case .monitorList(let t): w.strings(t)
        case .userModes(let n, let m, let change): w.string(n); w.string(m); w.bool(change)
        case .youreOper(let n): w.string(n)
        case .loggedIn(let n, let s, let a): w.string(n); w.string(s); w.string(a)
        case .loggedOut(let n, let s): w.string(n); w.string(s)
        case .saslResult(let o): w.u8(o.rawValue)
        case .serviceNotice(let s, let t): w.string(s); w.string(t)
        case .wallops(let s, let t): w.string(s); w.string(t)
        case .tagMessage(let s, let t, let tags, let time, let id, let a): w.string(s); w.string(t); w.string(tags); w.int(time); w.varint(id); w.string(a)
        case .awayChange(let s, let t): w.string(s); w.optionalString(t)
        case .setName(let s, let r): w.string(s); w.string(r)
        case .extendedJoin(let c, let s, let r, let a): w.string(c); w.string(s); w.string(r); w.string(a)
        case .invitations(let c): w.strings(c)
        case .tlsSignature(let s): w.byteArray(s)
        case .historyBatch(let t, let end): w.string(t); w.bool(end)
        case .historyRefused(let sub, let t): w.string(sub); w.string(t)
        case .historyTargets(let targets):
            w.varint(UInt64(targets.count))
            for t in targets { w.string(t.name); w.int(t.time) }
        case .accountChange(let s, let a): w.string(s); w.string(a)
        }
    }

    /// The bytes a row of a `names` reply takes in its payload, as `writePayload` writes it:
    /// what the hub chunks list replies by, so that no event outgrows a frame.
    public static func encodedSize(_ m: Member) -> Int { BinaryWriter.size(m.nick) + 1 + BinaryWriter.size(m.source) }

    /// The bytes a row of a `who` reply takes (see `encodedSize(_: Member)`).
    public static func encodedSize(_ e: WhoEntry) -> Int {
        BinaryWriter.size(e.channel) + BinaryWriter.size(e.nick) + BinaryWriter.size(e.user) + BinaryWriter.size(e.host)
            + BinaryWriter.size(e.realName) + 4 + BinaryWriter.size(e.idleSeconds)
    }

    /// The bytes a row of a `list` reply takes, at most (see `encodedSize(_: Member)`).
    public static func encodedSize(_ row: ChannelSummary) -> Int {
        BinaryWriter.size(row.name) + BinaryWriter.size(UInt64(row.users)) + BinaryWriter.size(row.topic)
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
        case .eventJoin?: self = .join(channel: try r.string(), source: try r.string(), account: try r.string())
        case .eventPart?: self = .part(channel: try r.string(), source: try r.string(), reason: try r.string())
        case .eventQuit?: self = .quit(source: try r.string(), reason: try r.string())
        case .eventKick?: self = .kick(channel: try r.string(), source: try r.string(), nick: try r.string(), reason: try r.string())
        case .eventMessage?:
            let s = try r.string()
            guard let k = MessageKind(rawValue: try r.u8()) else { throw .invalidValue("message kind") }
            self = .message(source: s, kind: k, target: try r.string(), text: try r.string(), time: try r.int(),
                            id: try r.varint(), tags: try r.string(), account: try r.string())
        case .eventTopic?:
            self = .topic(channel: try r.string(), text: try r.string(), setBy: try r.string(), setAt: try r.int(),
                          isChange: try r.bool())
        case .eventNames?:
            let c = try r.string()
            let n = try r.count(limit: r.remaining)
            var members: [Member] = []
            members.reserveCapacity(n)
            for _ in 0..<n {
                let nick = try r.string(), status = try r.u8()
                guard status < 4 else { throw .invalidValue("member status") }
                members.append(Member(nick: nick, isOperator: status & 1 != 0, isVoiced: status & 2 != 0, source: try r.string()))
            }
            self = .names(channel: c, members: members, more: try r.bool(), isSecret: try r.bool())
        case .eventWho?:
            let mask = try r.string()
            let n = try r.count(limit: r.remaining)
            var entries: [WhoEntry] = []
            for _ in 0..<n {
                entries.append(WhoEntry(channel: try r.string(), nick: try r.string(), user: try r.string(),
                                        host: try r.string(), realName: try r.string(), isAway: try r.bool(),
                                        isOperator: try r.bool(), isVoiced: try r.bool(), isServerOperator: try r.bool(),
                                        idleSeconds: try r.int()))
            }
            self = .who(mask: mask, entries: entries, more: try r.bool(), whox: try r.whox())
        case .eventWhois?:
            self = .whois(WhoisInfo(nick: try r.string(), user: try r.string(), host: try r.string(),
                                    realName: try r.string(), channels: try r.strings(), idleSeconds: try r.int(),
                                    signonTime: try r.int(), away: try r.optionalString(), isServerOperator: try r.bool(),
                                    account: try r.optionalString()))
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
        case .eventLusers?:
            self = .lusers(LuserCounts(users: try r.count(limit: Int.max), invisible: try r.count(limit: Int.max),
                                       operators: try r.count(limit: Int.max), unknown: try r.count(limit: Int.max),
                                       channels: try r.count(limit: Int.max), maxUsers: try r.count(limit: Int.max)))
        case .eventIson?: self = .ison(nicks: try r.strings())
        case .eventUserhost?:
            let n = try r.count(limit: r.remaining)
            var rows: [UserHost] = []
            for _ in 0..<n {
                rows.append(UserHost(nick: try r.string(), user: try r.string(), host: try r.string(), isAway: try r.bool(),
                                     isServerOperator: try r.bool()))
            }
            self = .userhost(rows)
        case .eventChannelModeChange?:
            self = .channelModeChange(channel: try r.string(), source: try r.string(), modes: try r.string(),
                                      args: try r.strings())
        case .eventSync?: self = .sync(token: try r.varint())
        case .eventWhoisMissing?: self = .whoisMissing(nick: try r.string())
        case .eventWhowas?:
            let nick = try r.string()
            let n = try r.count(limit: r.remaining)
            var entries: [WhowasEntry] = []
            for _ in 0..<n {
                entries.append(WhowasEntry(nick: try r.string(), user: try r.string(), host: try r.string(),
                                           realName: try r.string(), server: try r.string(), leftAt: try r.int()))
            }
            self = .whowas(nick: nick, entries: entries)
        case .eventInvite?: self = .invite(channel: try r.string(), source: try r.string(), nick: try r.string(), account: try r.string())
        case .eventInviting?: self = .inviting(channel: try r.string(), nick: try r.string())
        case .eventModeList?:
            let c = try r.string(), m = try r.string()
            let n = try r.count(limit: r.remaining)
            var entries: [ModeListEntry] = []
            for _ in 0..<n { entries.append(ModeListEntry(mask: try r.string(), setBy: try r.string(), setAt: try r.int())) }
            self = .modeList(channel: c, mode: m, entries: entries)
        case .eventMonitor?: self = .monitor(online: try r.strings(), offline: try r.strings())
        case .eventMonitorList?: self = .monitorList(targets: try r.strings())
        case .eventUserModes?: self = .userModes(nick: try r.string(), modes: try r.string(), isChange: try r.bool())
        case .eventYoureOper?: self = .youreOper(name: try r.string())
        case .eventLoggedIn?: self = .loggedIn(nick: try r.string(), source: try r.string(), account: try r.string())
        case .eventLoggedOut?: self = .loggedOut(nick: try r.string(), source: try r.string())
        case .eventSaslResult?:
            guard let o = SASLOutcome(rawValue: try r.u8()) else { throw .invalidValue("sasl outcome") }
            self = .saslResult(o)
        case .eventServiceNotice?: self = .serviceNotice(service: try r.string(), text: try r.string())
        case .eventWallops?: self = .wallops(source: try r.string(), text: try r.string())
        case .eventTagMessage?:
            self = .tagMessage(source: try r.string(), target: try r.string(), tags: try r.string(), time: try r.int(), id: try r.varint(),
                               account: try r.string())
        case .eventAwayChange?: self = .awayChange(source: try r.string(), text: try r.optionalString())
        case .eventSetName?: self = .setName(source: try r.string(), realName: try r.string())
        case .eventExtendedJoin?:
            self = .extendedJoin(channel: try r.string(), source: try r.string(), realName: try r.string(), account: try r.string())
        case .eventInvitations?: self = .invitations(channels: try r.strings())
        case .eventTlsSignature?: self = .tlsSignature(try r.byteArray(limit: 2048, "tls signature"))
        case .eventHistoryBatch?: self = .historyBatch(target: try r.string(), isEnd: try r.bool())
        case .eventHistoryRefused?: self = .historyRefused(subcommand: try r.string(), target: try r.string())
        case .eventHistoryTargets?:
            let count = try r.varint()
            guard count <= UInt64(HistoryQuery.maxLimit) else { throw .invalidValue("chathistory targets") }
            var targets: [HistoryTarget] = []
            for _ in 0..<count { targets.append(HistoryTarget(name: try r.string(), time: try r.int())) }
            self = .historyTargets(targets)
        case .eventAccountChange?: self = .accountChange(source: try r.string(), account: try r.string())
        default: throw .unknownType(type)
        }
        try r.finish()
    }
}
