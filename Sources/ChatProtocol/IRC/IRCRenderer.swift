// Hub events as the IRC lines a session sends its client. Pure: no I/O, no clock, no Foundation.

/// Same as `IRCRenderer.render(_:context:)`.
public func render(_ event: HubEvent, context: IRCRenderContext) -> [IRCMessage] {
    IRCRenderer.render(event, context: context)
}

public enum IRCRenderer {
    /// The longest body (source, command, params) a rendered line may have: 512 minus CRLF.
    public static let maxBody = 510

    public static func render(_ event: HubEvent, context: IRCRenderContext) -> [IRCMessage] {
        var out: [IRCMessage] = []
        render(event, context: context, into: &out)
        return out
    }

    /// The reply to VERSION: `351 <client> <version> <server> :<comments>`, then ISUPPORT
    /// (005) again, from what the welcome said.
    public static func version(_ welcome: Welcome, context: IRCRenderContext) -> [IRCMessage] {
        var r = Renderer(context: context, out: [])
        r.version(welcome)
        for i in r.out.indices { r.out[i].trailingColon = true }
        return r.out
    }

    /// Appends the lines for `event` to `out`. Every string from the event is cleaned of CR, LF
    /// and NUL before it goes into a message, and long lists or texts are spread over several
    /// lines so that none is longer than 512 bytes with its CRLF (tags aside).
    public static func render(_ event: HubEvent, context: IRCRenderContext, into out: inout [IRCMessage]) {
        var r = Renderer(context: context, out: out)
        out = []  // hand the buffer over without copying
        let first = r.out.count
        r.render(event)
        out = r.out
        // Text goes out with its ':' as servers conventionally send it; JOIN carries a name.
        for i in first..<out.count where !out[i].params.isEmpty {
            out[i].trailingColon = lastParamIsText(out[i])
            fitBody(&out[i])
        }
    }

    /// Cuts the last parameter (a reason, a notice) so that the body fits in 510 bytes: the
    /// texts not spread over several lines (QUIT, KICK, ERROR reasons) can be long.
    static func fitBody(_ m: inout IRCMessage) {
        var length = m.command.utf8.count + 1  // the last parameter's ':'
        if let source = m.source { length += source.utf8.count + 2 }
        for p in m.params { length += p.utf8.count + 1 }
        guard length > maxBody, let last = m.params.last else { return }
        let room = max(0, last.utf8.count - (length - maxBody))
        m.params[m.params.count - 1] = IRCMessage.cutText(last, maxBytes: room)
    }

    /// Whether the last parameter is free text (gets a ':' by convention) rather than a name,
    /// a mode string or a number.
    static func lastParamIsText(_ m: IRCMessage) -> Bool {
        switch m.command {
        // A user's own mode change (`MODE nick :+i`) has its colon, as it always had.
        case "MODE": return m.params.count == 2 && !m.params[0].hasPrefix("#")
        case "JOIN", "INVITE", "TAGMSG", "004", "324", "329", "333", "341", "367", "346", "348": return false
        case "PART": return m.params.count > 1
        default: return true
        }
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ` in UTC, the IRCv3 server-time format.
    public static func timestamp(epochMilliseconds ms: Int64) -> String {
        CivilTime(epochMilliseconds: ms).iso8601Milliseconds
    }

    /// `YYYY-MM-DD hh:mm:ss UTC`, for 003.
    public static func humanDate(epochSeconds s: Int64) -> String {
        let t = CivilTime(epochSeconds: s)
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2)) \(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)) UTC"
    }

    /// Drops CR, LF and NUL: nothing from a user may end the line early.
    public static func clean(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) { return s }
        return String(decoding: s.utf8.filter { !($0 == 0 || $0 == 0x0A || $0 == 0x0D) }, as: UTF8.self)
    }

    @inline(__always)
    private static func pad(_ n: Int64, _ width: Int) -> String { NumberFormat.zeroPadded(n, width: width) }
}

// MARK: - The rendering itself

private struct Renderer {
    let context: IRCRenderContext
    let server: String
    var me: String
    var out: [IRCMessage]

    init(context: IRCRenderContext, out: [IRCMessage]) {
        self.context = context
        self.server = IRCRenderer.clean(context.serverName)
        self.me = IRCRenderer.clean(context.nick)
        self.out = out
    }

    typealias C = IRCRenderer

    /// `:<server> <code> <me> <params…>`
    mutating func numeric(_ code: Int, _ params: [String]) {
        out.append(IRCMessage(source: server, command: NumberFormat.threeDigits(Int64(code)), params: [me] + params))
    }

    /// Body bytes of `:<server> <code> <me> <params…> :` before a last parameter is added.
    func numericOverhead(_ params: [String]) -> Int {
        var n = 1 + server.utf8.count + 1 + 3 + 1 + me.utf8.count + 2
        for p in params { n += p.utf8.count + 1 }
        return n
    }

    /// `items` packed into as few lines as fit (space-separated, at most `maxPerLine` a line),
    /// each group given to `emit`.
    mutating func packed(_ items: [String], overhead: Int, maxPerLine: Int = .max, _ emit: (inout Renderer, [String]) -> Void) {
        let budget = max(64, C.maxBody - overhead)
        var group: [String] = [], bytes = 0
        for item in items where !item.isEmpty {
            let extra = (group.isEmpty ? 0 : 1) + item.utf8.count
            if !group.isEmpty && (bytes + extra > budget || group.count == maxPerLine) {
                emit(&self, group)
                group = []
                bytes = 0
            }
            bytes += group.isEmpty ? item.utf8.count : extra
            group.append(item)
        }
        if !group.isEmpty { emit(&self, group) }
    }

    /// `items` joined by commas, as many to a line as fit, each line given to `emit`.
    mutating func commaPacked(_ items: [String], overhead: Int, _ emit: (inout Renderer, String) -> Void) {
        let budget = max(64, C.maxBody - overhead)
        var line = ""
        for item in items where !item.isEmpty {
            if !line.isEmpty && line.utf8.count + 1 + item.utf8.count > budget {
                emit(&self, line)
                line = ""
            }
            line += line.isEmpty ? item : "," + item
        }
        if !line.isEmpty { emit(&self, line) }
    }

    /// Long text over several lines of at most `budget` bytes each.
    func pieces(_ text: String, overhead: Int) -> [String] {
        IRCMessage.splitText(text, maxBytes: max(64, C.maxBody - overhead))
    }

    mutating func render(_ event: HubEvent) {
        switch event {
        case .welcome(let w):
            welcome(w)

        case .error(let code, let params, let text):
            numeric(Int(code.rawValue % 1000), params.map(C.clean) + [C.clean(text)])

        case .nick(let source, let newNick):
            out.append(IRCMessage(source: C.clean(source), command: "NICK", params: [C.clean(newNick)]))

        case .join(let channel, let source, let account):
            let tags = !account.isEmpty && context.capabilities.contains(.accountTag) ? [IRCTag(key: "account", value: C.clean(account))] : []
            out.append(IRCMessage(tags: tags, source: C.clean(source), command: "JOIN", params: [C.clean(channel)]))

        case .part(let channel, let source, let reason):
            let reason = C.clean(reason)
            out.append(IRCMessage(source: C.clean(source), command: "PART",
                                  params: reason.isEmpty ? [C.clean(channel)] : [C.clean(channel), reason]))

        case .quit(let source, let reason):
            out.append(IRCMessage(source: C.clean(source), command: "QUIT", params: [C.clean(reason)]))

        case .kick(let channel, let source, let nick, let reason):
            out.append(IRCMessage(source: C.clean(source), command: "KICK",
                                  params: [C.clean(channel), C.clean(nick), C.clean(reason)]))

        case .message(let source, let kind, let target, let text, let time, let id, let tags, let account):
            message(source: C.clean(source), kind: kind, target: C.clean(target), text: C.clean(text), time: time,
                    tags: messageTags(id: id, clientTags: tags, time: time, account: account))

        case .topic(let channel, let text, let setBy, let setAt, let isChange):
            let channel = C.clean(channel), text = C.clean(text)
            if isChange {
                out.append(IRCMessage(source: C.clean(setBy), command: "TOPIC", params: [channel, text]))
            } else if text.isEmpty {
                numeric(331, [channel, "No topic is set"])
            } else {
                numeric(332, [channel, text])
                let setBy = C.clean(setBy)
                if !setBy.isEmpty { numeric(333, [channel, setBy, String(setAt)]) }
            }

        case .names(let channel, let members, let more, let secret):
            let channel = C.clean(channel)
            let all = context.capabilities.contains(.multiPrefix)
            let userHost = context.capabilities.contains(.userhostInNames)
            let nicks = members.map { m in
                m.prefixes(all: all) + C.clean(userHost && !m.source.isEmpty ? m.source : m.nick)
            }
            let symbol = secret ? "@" : "="
            packed(nicks, overhead: numericOverhead([symbol, channel])) { r, group in
                r.numeric(353, [symbol, channel, group.joined(separator: " ")])
            }
            if !more { numeric(366, [channel, "End of /NAMES list."]) }

        case .memberCount(let channel, let count):
            // The hub sends this to people, not IRC clients (whose nick lists need NAMES);
            // should one arrive, a notice says the same.
            out.append(IRCMessage(source: server, command: "NOTICE",
                                  params: [me, "\(count) users in \(C.clean(channel))"]))

        case .who(let mask, let entries, let more, let whox):
            for e in entries {
                if let whox {
                    whoxReply(e, whox)
                } else {
                    numeric(352, [C.clean(e.channel), C.clean(e.user), C.clean(e.host), server, C.clean(e.nick),
                                  Self.whoFlags(e, allPrefixes: multiPrefix), "0 " + C.clean(e.realName)])
                }
            }
            if !more { numeric(315, [C.clean(mask), "End of /WHO list."]) }

        case .whois(let x):
            let nick = C.clean(x.nick)
            numeric(311, [nick, C.clean(x.user), C.clean(x.host), "*", C.clean(x.realName)])
            packed(x.channels.map(C.clean), overhead: numericOverhead([nick])) { r, group in
                r.numeric(319, [nick, group.joined(separator: " ")])
            }
            numeric(312, [nick, server, C.clean(context.serverInfo)])
            if x.isServerOperator { numeric(313, [nick, "is an IRC operator"]) }
            if let account = x.account { numeric(330, [nick, C.clean(account), "is logged in as"]) }
            numeric(317, [nick, String(x.idleSeconds), String(x.signonTime), "seconds idle, signon time"])
            if let away = x.away { numeric(301, [nick, C.clean(away)]) }
            numeric(318, [nick, "End of /WHOIS list."])

        case .whoisMissing(let nick):
            // An unknown nick still ends its WHOIS, as clients wait for 318 (Modern, Ergo, InspIRCd).
            let nick = C.clean(nick)
            numeric(401, [nick, "No such nick/channel"])
            numeric(318, [nick, "End of /WHOIS list."])

        case .whowas(let nick, let entries):
            let nick = C.clean(nick)
            if entries.isEmpty { numeric(406, [nick, "There was no such nickname"]) }
            for e in entries {
                let was = C.clean(e.nick)
                numeric(314, [was, C.clean(e.user), C.clean(e.host), "*", C.clean(e.realName)])
                numeric(312, [was, C.clean(e.server), C.humanDate(epochSeconds: e.leftAt)])
            }
            numeric(369, [nick, "End of WHOWAS"])

        case .awayStatus(let isAway):
            if isAway {
                numeric(306, ["You have been marked as being away"])
            } else {
                numeric(305, ["You are no longer marked as being away"])
            }

        case .awayReply(let nick, let text):
            numeric(301, [C.clean(nick), C.clean(text)])

        case .channelModes(let channel, let modes, let createdAt):
            let channel = C.clean(channel)
            let words = C.clean(modes).split(separator: " ").map(String.init)
            numeric(324, [channel] + (words.isEmpty ? ["+"] : words))
            numeric(329, [channel, String(createdAt)])

        case .list(let rows, let more):
            // 321 (list start) is optional and left out: a long list comes in several events.
            for row in rows { numeric(322, [C.clean(row.name), String(row.users), C.clean(row.topic)]) }
            if !more { numeric(323, ["End of /LIST"]) }

        case .motd(let lines):
            motd(lines)

        case .serverNotice(let text):
            let overhead = 1 + server.utf8.count + " NOTICE ".utf8.count + me.utf8.count + 2
            for piece in pieces(C.clean(text), overhead: overhead) {
                out.append(IRCMessage(source: server, command: "NOTICE", params: [me, piece]))
            }

        case .disconnect(let reason):
            out.append(IRCMessage(command: "ERROR", params: ["Closing Link: " + C.clean(reason)]))

        case .lusers(let counts):
            lusers(counts)

        case .ison(let nicks):
            // One line: a client's ISON fits in one, and so do the nicks it asked about.
            numeric(303, [nicks.map(C.clean).filter { !$0.isEmpty }.joined(separator: " ")])

        case .userhost(let rows):
            // nick=+user@host: '*' after the nick for a server operator, '-' when away.
            let replies = rows.map {
                C.clean($0.nick) + ($0.isServerOperator ? "*" : "") + "=" + ($0.isAway ? "-" : "+") + C.clean($0.user) + "@" + C.clean($0.host)
            }
            numeric(302, [replies.joined(separator: " ")])

        case .channelModeChange(let channel, let source, let modes, let args):
            out.append(IRCMessage(source: C.clean(source), command: "MODE",
                                  params: [C.clean(channel), C.clean(modes)] + args.map(C.clean)))

        case .sync, .tlsSignature:
            break  // the session's own barrier or handshake, not a line for the client

        case .invite(let channel, let source, let nick, let account):
            // The invitee always; the channel's other operators with invite-notify.
            if C.clean(nick) == me || context.capabilities.contains(.inviteNotify) {
                let tags = !account.isEmpty && context.capabilities.contains(.accountTag) ? [IRCTag(key: "account", value: C.clean(account))] : []
                out.append(IRCMessage(tags: tags, source: C.clean(source), command: "INVITE", params: [C.clean(nick), C.clean(channel)]))
            }

        case .inviting(let channel, let nick):
            numeric(341, [C.clean(nick), C.clean(channel)])

        case .modeList(let channel, let mode, let entries):
            let channel = C.clean(channel)
            let (item, end, name) = Self.listNumerics(mode)
            for e in entries { numeric(item, [channel, C.clean(e.mask), C.clean(e.setBy), String(e.setAt)]) }
            numeric(end, [channel, "End of channel \(name) list"])

        case .monitor(let online, let offline):
            // 730/731 `<me> :nick!user@host,…`: as many as fit on each line.
            let overhead = numericOverhead([])
            for (code, items) in [(730, online), (731, offline)] where !items.isEmpty {
                commaPacked(items.map(C.clean), overhead: overhead) { r, group in r.numeric(code, [group]) }
            }

        case .monitorList(let targets):
            commaPacked(targets.map(C.clean), overhead: numericOverhead([])) { r, group in r.numeric(732, [group]) }
            numeric(733, ["End of MONITOR list"])

        case .invitations(let channels):
            for c in channels { numeric(336, [C.clean(c)]) }
            numeric(337, ["End of /INVITE list"])

        case .userModes(let nick, let modes, let isChange):
            if isChange {
                out.append(IRCMessage(source: C.clean(nick), command: "MODE", params: [me, C.clean(modes)]))
            } else {
                numeric(221, [C.clean(modes)])
            }

        case .youreOper:
            numeric(381, ["You are now an IRC operator"])

        case .loggedIn(_, let source, let account):
            numeric(900, [C.clean(source), C.clean(account), "You are now logged in as " + C.clean(account)])

        case .loggedOut(_, let source):
            numeric(901, [C.clean(source), "You are now logged out"])

        case .saslResult(let outcome):
            switch outcome {
            case .success: numeric(903, ["SASL authentication successful"])
            case .failure: numeric(904, ["SASL authentication failed"])
            case .alreadyAuthenticated: numeric(907, ["You have already authenticated using SASL"])
            }

        case .serviceNotice(let service, let text):
            let source = C.clean(service) + "!" + C.clean(service) + "@services."
            let overhead = 1 + source.utf8.count + " NOTICE ".utf8.count + me.utf8.count + 2
            for piece in pieces(C.clean(text), overhead: overhead) {
                out.append(IRCMessage(source: source, command: "NOTICE", params: [me, piece]))
            }

        case .wallops(let source, let text):
            let source = C.clean(source)
            let overhead = 1 + source.utf8.count + " WALLOPS ".utf8.count + 1
            for piece in pieces(C.clean(text), overhead: overhead) {
                out.append(IRCMessage(source: source, command: "WALLOPS", params: [piece]))
            }

        case .tagMessage(let source, let target, let tags, let time, let id, let account):
            // Only for clients with message-tags: to others a TAGMSG is nothing.
            guard context.messageTags else { return }
            out.append(IRCMessage(tags: messageTags(id: id, clientTags: tags, time: time, account: account), source: C.clean(source),
                                  command: "TAGMSG", params: [C.clean(target)]))

        case .awayChange(let source, let text):
            guard context.capabilities.contains(.awayNotify) else { return }
            out.append(IRCMessage(source: C.clean(source), command: "AWAY",
                                  params: text.map { [C.clean($0)] } ?? []))

        case .setName(let source, let realName):
            guard context.capabilities.contains(.setname) else { return }
            out.append(IRCMessage(source: C.clean(source), command: "SETNAME", params: [C.clean(realName)]))

        case .extendedJoin(let channel, let source, let realName, let account):
            // `*` is "not logged in".
            let extended = context.capabilities.contains(.extendedJoin)
            let name = account.isEmpty ? "*" : C.clean(account)
            out.append(IRCMessage(source: C.clean(source), command: "JOIN",
                                  params: extended ? [C.clean(channel), name, C.clean(realName)] : [C.clean(channel)]))

        case .accountChange(let source, let account):
            out.append(IRCMessage(source: C.clean(source), command: "ACCOUNT", params: [account.isEmpty ? "*" : C.clean(account)]))

        case .historyBatch:
            return  // the session opens and closes the batch: it holds the references

        case .historyRefused(let subcommand, let target):
            out.append(StandardReply.fail.message(server: context.serverName, command: "CHATHISTORY", code: "INVALID_TARGET",
                                                  context: [C.clean(subcommand), C.clean(target)],
                                                  description: "Messages could not be retrieved"))

        case .historyTargets(let targets):
            // The session wraps these in a `draft/chathistory-targets` batch (with `batch`).
            for t in targets {
                out.append(IRCMessage(source: context.serverName, command: "CHATHISTORY",
                                      params: ["TARGETS", C.clean(t.name), IRCRenderer.timestamp(epochMilliseconds: t.time)]))
            }
        }
    }

    /// The item and end numerics of a list mode's reply, and the list's name.
    static func listNumerics(_ mode: String) -> (Int, Int, String) {
        switch mode {
        case "e": return (348, 349, "exception")
        case "I": return (346, 347, "invite exception")
        default: return (367, 368, "ban")
        }
    }

    /// A WHO reply's flags: `H` here or `G` gone (away), then the channel status.
    /// The client negotiated `multi-prefix`.
    var multiPrefix: Bool { context.capabilities.contains(.multiPrefix) }

    /// `allPrefixes`: the client negotiated `multi-prefix` (`@+` rather than the highest).
    static func whoFlags(_ e: WhoEntry, allPrefixes: Bool) -> String {
        (e.isAway ? "G" : "H") + (e.isServerOperator ? "*" : "") + Member(nick: e.nick, isOperator: e.isOperator, isVoiced: e.isVoiced).prefixes(all: allPrefixes)
    }

    /// One 354 (WHOX): exactly the fields asked for, in the spec's order; `*` for no channel,
    /// `255.255.255.255` for an address that is not an IP, `0` for the hop count and the
    /// account (there are no accounts), `n/a` for the op level (no op levels).
    mutating func whoxReply(_ e: WhoEntry, _ format: WhoxFormat) {
        var params: [String] = []
        for (_, field) in WhoxFormat.Fields.letters where format.fields.contains(field) {
            switch field {
            case .token: params.append(format.token)
            case .channel: params.append(e.channel.isEmpty ? "*" : C.clean(e.channel))
            case .user: params.append(C.clean(e.user))
            case .ip: params.append(Self.isIPAddress(e.host) ? e.host : "255.255.255.255")
            case .host: params.append(C.clean(e.host))
            case .server: params.append(server)
            case .nick: params.append(C.clean(e.nick))
            case .flags: params.append(Self.whoFlags(e, allPrefixes: multiPrefix))
            case .hops: params.append("0")
            case .idle: params.append(String(max(0, e.idleSeconds)))
            case .account: params.append("0")
            case .opLevel: params.append("n/a")
            default: params.append(C.clean(e.realName))  // .realName, the last
            }
        }
        // No standard field asked for: nothing to say about this one (315 still ends the list).
        if !params.isEmpty { numeric(354, params) }
    }

    /// Digits and dots (IPv4), or hex digits, colons and dots with a colon (IPv6): an
    /// address as the hub writes it, not a host name.
    static func isIPAddress(_ s: String) -> Bool {
        let v6 = s.utf8.contains(UInt8(ascii: ":"))
        return !s.isEmpty && s.utf8.allSatisfy { b in
            let lower = b | 0x20
            return (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".")
                || (v6 && (b == UInt8(ascii: ":") || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f"))))
        }
    }

    /// A message's tags for this client: `msgid` and the sender's client-only tags with
    /// message-tags, `time` with server-time.
    func messageTags(id: UInt64, clientTags: String, time: Int64, account: String = "") -> [IRCTag] {
        var tags: [IRCTag] = []
        if context.messageTags {
            if id != 0 { tags.append(IRCTag(key: "msgid", value: C.messageID(id))) }
            tags += ClientTags.tags(clientTags)
        }
        if !account.isEmpty && context.capabilities.contains(.accountTag) { tags.append(IRCTag(key: "account", value: C.clean(account))) }
        if context.serverTime { tags.append(IRCTag(key: "time", value: C.timestamp(epochMilliseconds: time))) }
        return tags
    }

    mutating func message(source: String, kind: MessageKind, target: String, text: String, time: Int64, tags: [IRCTag]) {
        let command = kind == .notice ? "NOTICE" : "PRIVMSG"
        var overhead = 1 + source.utf8.count + 1 + command.utf8.count + 1 + target.utf8.count + 2
        if kind == .action { overhead += "\u{1}ACTION \u{1}".utf8.count }
        // One message is one line: cut to fit with its prefix, as IRC servers do, never split
        // into two (a client would show two messages, and a bot could act on the second half).
        let piece = IRCMessage.cutText(text, maxBytes: max(0, C.maxBody - overhead))
        let body = kind == .action ? "\u{1}ACTION \(piece)\u{1}" : piece
        out.append(IRCMessage(tags: tags, source: source, command: command, params: [target, body]))
    }

    mutating func welcome(_ w: Welcome) {
        // Registration has just succeeded: address the client by the nick the hub accepted.
        me = C.clean(w.nick)
        let network = C.clean(w.network), host = C.clean(w.serverName), version = C.clean(w.version)
        numeric(1, ["Welcome to the \(network) Network, \(me)!\(C.clean(w.user))@\(C.clean(w.host))"])
        numeric(2, ["Your host is \(host), running version \(version)"])
        numeric(3, ["This server was created \(C.humanDate(epochSeconds: w.createdAt))"])
        numeric(4, [host, version, C.clean(context.userModes), Self.channelModes(isupport: w.isupport)])
        isupport(w.isupport)
        lusers(users: w.users, channels: w.channels)
        motd(w.motd)
    }

    /// 005 lines, at most 13 tokens each (at registration and in reply to VERSION).
    mutating func isupport(_ tokens: [String]) {
        let trailer = "are supported by this server"
        packed(tokens.map(C.clean), overhead: numericOverhead([]) + trailer.utf8.count + 1, maxPerLine: 13) { r, group in
            r.numeric(5, group + [trailer])
        }
    }

    /// 251, 254 and 255 at registration, from the welcome's counts.
    mutating func lusers(users: Int, channels: Int) {
        numeric(251, ["There are \(users) users and 0 invisible on 1 servers"])
        numeric(254, [String(channels), "channels formed"])
        numeric(255, ["I have \(users) clients and 0 servers"])
    }

    /// The reply to LUSERS (modern.ircdocs.horse): 251 counts visible and invisible users
    /// apart; 252 and 253 only when there are operators or unregistered connections; one
    /// server, so the local and global counts (265, 266) are the same.
    mutating func lusers(_ l: LuserCounts) {
        numeric(251, ["There are \(l.users - l.invisible) users and \(l.invisible) invisible on 1 servers"])
        if l.operators > 0 { numeric(252, [String(l.operators), "operator(s) online"]) }
        if l.unknown > 0 { numeric(253, [String(l.unknown), "unknown connection(s)"]) }
        numeric(254, [String(l.channels), "channels formed"])
        numeric(255, ["I have \(l.users) clients and 0 servers"])
        numeric(265, [String(l.users), String(l.maxUsers), "Current local users \(l.users), max \(l.maxUsers)"])
        numeric(266, [String(l.users), String(l.maxUsers), "Current global users \(l.users), max \(l.maxUsers)"])
    }

    /// 351 and the 005 lines, the reply to VERSION (modern.ircdocs.horse): the session has
    /// both from the welcome.
    mutating func version(_ w: Welcome) {
        numeric(351, [C.clean(w.version), server, C.clean(context.serverInfo)])
        isupport(w.isupport)
    }

    mutating func motd(_ lines: [String]?) {
        guard let lines else {
            numeric(422, ["MOTD File is missing"])
            return
        }
        numeric(375, ["- \(server) Message of the day - "])
        let overhead = numericOverhead([]) + 2
        for line in lines {
            for piece in pieces(C.clean(line), overhead: overhead) { numeric(372, ["- " + piece]) }
        }
        numeric(376, ["End of /MOTD command."])
    }

    /// The channel mode letters for 004, from the ISUPPORT CHANMODES and PREFIX tokens, sorted;
    /// "o" when neither is there (the hub knows channel operators).
    static func channelModes(isupport: [String]) -> String {
        var letters: Set<UInt8> = []
        for token in isupport {
            let u = Array(token.utf8)
            if token.hasPrefix("CHANMODES=") {
                for b in u.dropFirst(10) where Names.isLetter(b) { letters.insert(b) }
            } else if token.hasPrefix("PREFIX=("), let close = u.firstIndex(of: UInt8(ascii: ")")) {
                for b in u[8..<close] where Names.isLetter(b) { letters.insert(b) }
            }
        }
        if letters.isEmpty { return "o" }
        return String(decoding: letters.sorted(), as: UTF8.self)
    }
}
