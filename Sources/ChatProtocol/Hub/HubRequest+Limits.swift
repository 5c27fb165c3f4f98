// A request held to the protocol's limits on the session's side (docs/PROTOCOL.md, "Limits").
extension HubRequest {
    /// This request with every field cut to `RequestLimits`, which the hub's decoder holds
    /// it to: a session sends only what the hub accepts, whatever its client typed (a telnet
    /// line of 8 KiB can be one name). A name cut to 512 bytes is still far too long to be
    /// valid, so the hub's answer is the same; a list keeps its first items. The result
    /// always fits in a frame.
    public func bounded() -> HubRequest {
        let name = RequestLimits.name, text = RequestLimits.text
        func n(_ s: String) -> String { IRCMessage.cutText(s, maxBytes: name) }
        func t(_ s: String) -> String { IRCMessage.cutText(s, maxBytes: text) }
        // A list keeps its first items, and at most half a frame of them: 256 names of 512
        // bytes would not fit in one.
        func l(_ list: [String]) -> [String] {
            var out: [String] = [], bytes = 0
            for item in list.prefix(RequestLimits.items) {
                let kept = n(item)
                bytes += BinaryWriter.size(kept)
                if bytes > HubFrame.maxPayload / 2 { break }
                out.append(kept)
            }
            return out
        }
        switch self {
        case .message(let kind, let target, let body):
            // The line path: two comparisons, no copy.
            if target.utf8.count <= name && body.utf8.count <= text { return self }
            return .message(kind: kind, target: n(target), text: t(body))
        case .hello, .motd, .lusers, .invitations, .sync: return self
        case .list(let channels): return .list(channels: l(channels))
        case .register(let nick, let user, let real): return .register(nick: n(nick), user: n(user), realName: t(real))
        case .nick(let nick): return .nick(n(nick))
        case .join(let channels, let keys): return .join(channels: l(channels), keys: l(keys))
        case .invite(let nick, let channel): return .invite(nick: n(nick), channel: n(channel))
        case .part(let channels, let reason): return .part(channels: l(channels), reason: t(reason))
        case .topic(let channel, let body): return .topic(channel: n(channel), text: body.map(t))
        case .names(let channel): return .names(channel: channel.map(n))
        case .who(let mask, let options): return .who(mask: n(mask), options: options)
        case .whois(let nick): return .whois(nick: n(nick))
        case .whowas(let nick, let count): return .whowas(nick: n(nick), count: count)
        case .kick(let channel, let nick, let reason): return .kick(channel: n(channel), nick: n(nick), reason: t(reason))
        case .away(let body): return .away(text: body.map(t))
        case .mode(let target, let args): return .mode(target: n(target), args: l(args))
        case .quit(let reason): return .quit(reason: t(reason))
        case .ison(let nicks): return .ison(nicks: l(nicks))
        case .userhost(let nicks): return .userhost(nicks: l(nicks))
        case .monitor(let action, let targets): return .monitor(action, targets: l(targets))
        case .oper(let operName, let password): return .oper(name: n(operName), password: n(password))
        case .authenticate(let account, let password): return .authenticate(account: n(account), password: n(password))
        case .authenticateExternal(let account): return .authenticateExternal(account: n(account))
        case .kill(let nick, let reason): return .kill(nick: n(nick), reason: t(reason))
        case .wallops(let body): return .wallops(text: t(body))
        case .capabilities(let names): return .capabilities(names: l(names))
        case .taggedMessage(let kind, let target, let body, let tags):
            return .taggedMessage(kind: kind, target: n(target), text: t(body), tags: IRCMessage.cutText(tags, maxBytes: RequestLimits.tags))
        case .tagMessage(let target, let tags): return .tagMessage(target: n(target), tags: IRCMessage.cutText(tags, maxBytes: RequestLimits.tags))
        case .setName(let real): return .setName(realName: t(real))
        case .chatHistory(var q):
            q.target = n(q.target)
            return .chatHistory(q)
        case .tlsInfo(let version, let cipher, let certificate): return .tlsInfo(version: n(version), cipher: n(cipher), certificate: n(certificate))
        case .tlsSign(let kind, let padding, let input): return .tlsSign(kind: kind, padding: padding, input: Array(input.prefix(RequestLimits.signatureInput)))
        }
    }
}
