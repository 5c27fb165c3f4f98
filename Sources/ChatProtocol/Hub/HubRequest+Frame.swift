// A request as a hub frame's payload (docs/PROTOCOL.md, "Requests").
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
        case .invitations: return .requestInvitations
        case .ison: return .requestIson
        case .userhost: return .requestUserhost
        case .sync: return .requestSync
        case .whowas: return .requestWhowas
        case .invite: return .requestInvite
        case .monitor: return .requestMonitor
        case .oper: return .requestOper
        case .authenticate: return .requestAuthenticate
        case .authenticateExternal: return .requestAuthenticateExternal
        case .kill: return .requestKill
        case .wallops: return .requestWallops
        case .capabilities: return .requestCapabilities
        case .taggedMessage: return .requestTaggedMessage
        case .tagMessage: return .requestTagMessage
        case .setName: return .requestSetName
        case .chatHistory: return .requestChatHistory
        case .tlsInfo: return .requestTlsInfo
        case .tlsSign: return .requestTlsSign
        }
    }

    /// Appends this request as one frame.
    public func appendFrame(to out: inout [UInt8]) {
        HubFrame.append(type: messageType.rawValue, to: &out) { w in writePayload(to: &w) }
    }

    /// This request as one new frame.
    public func frame() -> [UInt8] { HubFrame.make(type: messageType.rawValue) { w in writePayload(to: &w) } }

    /// Writes this request's fields, the frame's payload.
    private func writePayload(to w: inout BinaryWriter) {
        switch self {
        case .hello(let d): w.u8(d.rawValue)
        case .register(let n, let u, let r): w.string(n); w.string(u); w.string(r)
        case .nick(let n): w.string(n)
        case .join(let c, let k): w.strings(c); w.strings(k)
        case .part(let c, let r): w.strings(c); w.string(r)
        case .message(let k, let t, let text): w.u8(k.rawValue); w.string(t); w.string(text)
        case .topic(let c, let t): w.string(c); w.optionalString(t)
        case .names(let c): w.optionalString(c)
        case .who(let m, let o): w.string(m); w.bool(o.operatorsOnly); w.whox(o.whox)
        case .whois(let n): w.string(n)
        case .kick(let c, let n, let r): w.string(c); w.string(n); w.string(r)
        case .away(let t): w.optionalString(t)
        case .mode(let t, let a): w.string(t); w.strings(a)
        case .list(let c): w.strings(c)
        case .motd, .lusers, .invitations: break
        case .quit(let r): w.string(r)
        case .ison(let n), .userhost(let n): w.strings(n)
        case .sync(let t): w.varint(t)
        case .whowas(let n, let c): w.string(n); w.varint(UInt64(max(0, c)))
        case .invite(let n, let c): w.string(n); w.string(c)
        case .monitor(let a, let t): w.u8(a.rawValue); w.strings(t)
        case .oper(let n, let p): w.string(n); w.string(p)
        case .authenticate(let a, let p): w.string(a); w.string(p)
        case .authenticateExternal(let a): w.string(a)
        case .kill(let n, let r): w.string(n); w.string(r)
        case .wallops(let t): w.string(t)
        case .capabilities(let n): w.strings(n)
        case .taggedMessage(let k, let t, let text, let tags): w.u8(k.rawValue); w.string(t); w.string(text); w.string(tags)
        case .tagMessage(let t, let tags): w.string(t); w.string(tags)
        case .setName(let r): w.string(r)
        case .tlsInfo(let v, let c, let f): w.string(v); w.string(c); w.string(f)
        case .tlsSign(let k, let p, let input): w.u8(k); w.u8(p); w.byteArray(input)
        case .chatHistory(let q):
            w.u8(q.subcommand.rawValue); w.string(q.target); w.historyReference(q.first); w.historyReference(q.second)
            w.varint(UInt64(max(0, q.limit)))
        }
    }

    /// Decodes the payload of a frame of type `type`. Every field is held to its limit
    /// (`RequestLimits`: names, text, lists): this is where the hub meets what a session
    /// sends, and a compromised session must not make it build a reply it cannot frame.
    public init(type: UInt8, payload: UnsafeRawBufferPointer) throws(PayloadError) {
        var r = BinaryReader(payload)
        let name = RequestLimits.name, text = RequestLimits.text, items = RequestLimits.items
        switch HubMessageType(rawValue: type) {
        case .requestHello?:
            guard let d = Dialect(rawValue: try r.u8()) else { throw .invalidValue("dialect") }
            self = .hello(dialect: d)
        case .requestRegister?:
            self = .register(nick: try r.string(limit: name, "register nick"), user: try r.string(limit: name, "register user"),
                             realName: try r.string(limit: text, "register real name"))
        case .requestNick?: self = .nick(try r.string(limit: name, "nick"))
        case .requestJoin?:
            self = .join(channels: try r.strings(items: items, limit: name, "join channels"),
                         keys: try r.strings(items: items, limit: name, "join keys"))
        case .requestPart?:
            self = .part(channels: try r.strings(items: items, limit: name, "part channels"), reason: try r.string(limit: text, "part reason"))
        case .requestMessage?:
            guard let k = MessageKind(rawValue: try r.u8()) else { throw .invalidValue("message kind") }
            self = .message(kind: k, target: try r.string(limit: name, "message target"), text: try r.string(limit: text, "message text"))
        case .requestTopic?:
            self = .topic(channel: try r.string(limit: name, "topic channel"), text: try r.optionalString(limit: text, "topic text"))
        case .requestNames?: self = .names(channel: try r.optionalString(limit: name, "names channel"))
        case .requestWho?:
            self = .who(mask: try r.string(limit: name, "who mask"),
                        options: WhoOptions(operatorsOnly: try r.bool(), whox: try r.whox()))
        case .requestWhois?: self = .whois(nick: try r.string(limit: name, "whois nick"))
        case .requestKick?:
            self = .kick(channel: try r.string(limit: name, "kick channel"), nick: try r.string(limit: name, "kick nick"),
                         reason: try r.string(limit: text, "kick reason"))
        case .requestAway?: self = .away(text: try r.optionalString(limit: text, "away text"))
        case .requestMode?:
            self = .mode(target: try r.string(limit: name, "mode target"), args: try r.strings(items: items, limit: name, "mode arguments"))
        case .requestList?: self = .list(channels: try r.strings(items: items, limit: name, "list channels"))
        case .requestMotd?: self = .motd
        case .requestQuit?: self = .quit(reason: try r.string(limit: text, "quit reason"))
        case .requestLusers?: self = .lusers
        case .requestInvitations?: self = .invitations
        case .requestIson?: self = .ison(nicks: try r.strings(items: items, limit: name, "ison nicks"))
        case .requestUserhost?: self = .userhost(nicks: try r.strings(items: items, limit: name, "userhost nicks"))
        case .requestSync?: self = .sync(token: try r.varint())
        case .requestWhowas?:
            self = .whowas(nick: try r.string(limit: name, "whowas nick"), count: Int(clamping: try r.varint()))
        case .requestInvite?:
            self = .invite(nick: try r.string(limit: name, "invite nick"), channel: try r.string(limit: name, "invite channel"))
        case .requestMonitor?:
            guard let a = MonitorAction(rawValue: try r.u8()) else { throw .invalidValue("monitor action") }
            self = .monitor(a, targets: try r.strings(items: items, limit: name, "monitor targets"))
        case .requestOper?: self = .oper(name: try r.string(limit: name, "oper name"), password: try r.string(limit: name, "oper password"))
        case .requestAuthenticate?:
            self = .authenticate(account: try r.string(limit: name, "authenticate account"), password: try r.string(limit: name, "authenticate password"))
        case .requestAuthenticateExternal?: self = .authenticateExternal(account: try r.string(limit: name, "authenticate account"))
        case .requestKill?: self = .kill(nick: try r.string(limit: name, "kill nick"), reason: try r.string(limit: text, "kill reason"))
        case .requestWallops?: self = .wallops(text: try r.string(limit: text, "wallops text"))
        case .requestCapabilities?: self = .capabilities(names: try r.strings(items: items, limit: name, "capabilities"))
        case .requestTaggedMessage?:
            guard let k = MessageKind(rawValue: try r.u8()) else { throw .invalidValue("message kind") }
            self = .taggedMessage(kind: k, target: try r.string(limit: name, "message target"),
                                  text: try r.string(limit: text, "message text"),
                                  tags: try r.string(limit: RequestLimits.tags, "message tags"))
        case .requestTagMessage?:
            self = .tagMessage(target: try r.string(limit: name, "tagmsg target"), tags: try r.string(limit: RequestLimits.tags, "tagmsg tags"))
        case .requestSetName?: self = .setName(realName: try r.string(limit: text, "setname real name"))
        case .requestTlsSign?:
            self = .tlsSign(kind: try r.u8(), padding: try r.u8(), input: try r.byteArray(limit: RequestLimits.signatureInput, "tls signature input"))
        case .requestTlsInfo?:
            self = .tlsInfo(version: try r.string(limit: name, "tls version"), cipher: try r.string(limit: name, "tls cipher"),
                            certificate: try r.string(limit: name, "tls certificate"))
        case .requestChatHistory?:
            guard let sub = HistoryQuery.Subcommand(rawValue: try r.u8()) else { throw .invalidValue("chathistory subcommand") }
            self = .chatHistory(HistoryQuery(subcommand: sub, target: try r.string(limit: name, "chathistory target"),
                                             first: try r.historyReference(), second: try r.historyReference(),
                                             limit: Int(clamping: try r.varint())))
        default: throw .unknownType(type)
        }
        try r.finish()
    }
}
