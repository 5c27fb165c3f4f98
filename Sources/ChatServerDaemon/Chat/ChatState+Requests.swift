import ChatProtocol

/// Every request from a session enters the chat state here (`handle`): the sync barrier,
/// NickServ and ChanServ, the text rules (`accepted`), then one case per request.
extension ChatState {
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

    func handleRegistered(_ request: HubRequest, from id: Int) {
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
}
