import ChatProtocol

/// Server operators: OPER (the password checked by the hub's password worker, never by the
/// session), KILL and WALLOPS; and ending a user's connection for the server's reasons, which
/// the operator console's kick and bans use too.
extension ChatState {
    /// A valid argon2id hash of a password nobody knows: a name without an operator block is
    /// checked against it, so that the answer takes as long as for a real block and does not
    /// tell which names exist.
    static let decoyHash = "$argon2id$v=19$m=65536,t=2,p=1$sjXbo3Ia0OGtcE3DtlRGQg$k4fUTGUxbziiy07OqaCH1NfZwNJ9CH8sF3RZKvbKfec"

    func oper(_ id: Int, name: String, password: String) {
        let u = users[id]!
        if u.isOperator { return send(.youreOper(name: u.operName!), to: id) }
        let now = clock()
        let retryAt = operChecks.retryAt(host: u.host)
        if now < retryAt {
            sink.audit(.oper(session: id, nick: u.nick, name: shown(name: name), outcome: .throttled))
            let wait = (retryAt - now + 999) / 1000
            return error(id, .passwordMismatch, [], "Too many failed attempts: wait \(wait) s before the next")
        }
        // No operators at all: nothing to check, nothing a quick answer could give away.
        if settings.operators.isEmpty {
            sink.audit(.oper(session: id, nick: u.nick, name: shown(name: name), outcome: .noBlock))
            return error(id, .noOperHost, [], "No operator block for your host")
        }
        let block = settings.operators.first { $0.name == name && $0.admits(user: u.user, host: u.host) }
        guard operChecks.count < OperChecks.limit, !operChecks.awaits(id), let passwords else {
            sink.audit(.oper(session: id, nick: u.nick, name: shown(name: name), outcome: .unavailable))
            return error(id, .passwordMismatch, [], "The password cannot be checked now; try again later")
        }
        let ticket = operChecks.add(.init(session: id, block: block?.name))
        if !passwords.check(ticket: ticket, hash: block?.hash ?? Self.decoyHash, password: password) {
            passwordChecked(ticket: ticket, verdict: nil)
        }
    }

    /// The password worker's answer to `ticket`: whether the password matched; nil when it
    /// could not say (it was lost, or the stored hash is not one it can read). Checks for
    /// accounts go on in `ChatState+Accounts`.
    func passwordChecked(ticket: UInt64, verdict: Bool?) {
        guard let p = operChecks.take(ticket) else { return }
        guard case .oper = p.purpose else { return accountPasswordChecked(p, verdict: verdict) }
        guard var u = users[p.session], u.registered else { return }
        let id = p.session
        let name = p.block ?? "?"
        guard let block = p.block, verdict != nil else {
            if p.block == nil {
                failedOper(id, name: "(none)", outcome: .noBlock)
                return error(id, .noOperHost, [], "No operator block for your host")
            }
            sink.audit(.oper(session: id, nick: u.nick, name: name, outcome: .unavailable))
            return error(id, .passwordMismatch, [], "The password cannot be checked now; try again later")
        }
        guard verdict == true else {
            failedOper(id, name: block, outcome: .wrongPassword)
            return error(id, .passwordMismatch, [], "Password incorrect")
        }
        u.operName = block
        users[id] = u
        operChecks.succeeded(host: u.host)
        sink.audit(.oper(session: id, nick: u.nick, name: block, outcome: .granted))
        send(.youreOper(name: block), to: id)
        send(.userModes(nick: u.nick, modes: "+o", isChange: true), to: id)
    }

    /// A failed attempt: audited, and the next one from that address waits 1, 2, 4… seconds
    /// (at most a minute).
    private func failedOper(_ id: Int, name: String, outcome: AuditEvent.OperOutcome) {
        guard let u = users[id] else { return }
        operChecks.failed(host: u.host, now: clock())
        sink.audit(.oper(session: id, nick: u.nick, name: name, outcome: outcome))
    }

    func kill(_ id: Int, nick: String, reason: String) {
        let killer = users[id]!
        guard killer.isOperator else {
            return error(id, .noPrivileges, [], "Permission Denied- You're not an IRC operator")
        }
        guard let target = session(named: nick), let victim = users[target] else {
            return error(id, .noSuchNick, [nick], "No such nick/channel")
        }
        let why = reason.isEmpty ? killer.nick : reason
        sink.audit(.kill(by: id, target: target, targetNick: victim.nick, reason: why))
        let killed = "Killed (\(killer.nick) (\(why)))"
        end(session: target, quitReason: killed, farewell: "\(victim.host) (\(killed))")
        if target != id { send(.serverNotice(text: "Killed \(victim.nick): \(why)"), to: id) }
    }

    func wallops(_ id: Int, text: String) {
        let u = users[id]!
        guard u.isOperator else { return error(id, .noPrivileges, [], "Permission Denied- You're not an IRC operator") }
        if text.isEmpty { return error(id, .needMoreParams, ["WALLOPS"], "Not enough parameters") }
        let frame = HubEvent.wallops(source: u.source, text: text).frame()
        charge(work: users.count)
        broadcast(frame) { recipients in
            for (sid, peer) in users where peer.registered && (peer.wallops || peer.isOperator) { recipients.append(sid) }
        }
    }

    /// Ends a user's connection for the server's reasons (a KILL; the console's kick, a ban):
    /// everyone who shared a channel sees it quit with `quitReason`, the session is told
    /// `farewell` and closes, and `sessionEnding` makes sure it goes.
    func end(session id: Int, quitReason: String, farewell: String) {
        guard users[id] != nil else { return }
        disconnect(session: id, reason: quitReason)
        send(.disconnect(reason: farewell), to: id)
        sessionEnding?(id)
    }
}
