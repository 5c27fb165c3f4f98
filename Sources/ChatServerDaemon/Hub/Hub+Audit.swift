import ChatPOSIX
import ChatProtocol
import Logging

/// The operator's audit log, at `info`: a line per connection (once its dialect is known),
/// nick taken or changed, quit with its reason, and kick; server operators' OPER (failures
/// at `warning`), KILL and de-oper at `notice`; each naming the connection by its
/// address, so that `grep 192.0.2.7:51514` tells one connection's story. Refused connections
/// are summed up (`RefusalTally`). Console commands are logged by the console.
extension Hub {
    func audit(_ event: AuditEvent) {
        switch event {
        case .connected(let id, let dialect):
            log.info("\(address(of: id)) connected (\(dialect))")
        case .nick(let id, nil, let new):
            log.info("\(address(of: id)) registered as \(new)")
        case .nick(let id, let old?, let new):
            log.info("\(old) (\(address(of: id))) is now \(new)")
        case .quit(let id, let nick, let reason):
            log.info("\(who(nick, id)) quit\(because(reason))")
        case .kick(let by, let channel, let target, let targetNick, let reason):
            let kicker = state.users[by]?.nick
            log.info("\(who(kicker, by)) kicked \(who(targetNick, target)) from \(channel)\(because(reason))")
        case .oper(let id, let nick, let name, .granted):
            log.notice("\(who(nick, id)) is now a server operator (operator block \(name))")
        case .oper(let id, let nick, let name, let outcome):
            let why: String
            switch outcome {
            case .granted: why = ""
            case .wrongPassword: why = "wrong password"
            case .noBlock: why = "no operator block of that name for this address"
            case .throttled: why = "too soon after a failed attempt"
            case .unavailable: why = "the password could not be checked"
            }
            log.warning("\(who(nick, id)) failed to become a server operator as \(ConsoleFormat.clean(name)): \(why)")
        case .kill(let by, let target, let targetNick, let reason):
            let killer = state.users[by]?.nick
            log.notice("\(who(killer, by)) killed \(who(targetNick, target))\(because(reason))")
        case .deoper(let id, let nick):
            log.notice("\(who(nick, id)) is no longer a server operator")
        }
    }

    private func address(of id: Int) -> String { connection(id)?.address ?? "session \(id)" }

    private func who(_ nick: String?, _ id: Int) -> String {
        nick.map { "\($0) (\(address(of: id)))" } ?? address(of: id)
    }

    /// `: REASON` without the IRC formatting codes the chat keeps (a log is not an IRC client).
    private func because(_ reason: String) -> String {
        let clean = ConsoleFormat.clean(reason)
        return clean.isEmpty ? "" : ": " + clean
    }

    // MARK: Refusals

    /// Logs a refused connection: the first from its address for its reason at once, the
    /// rest summed up at the end of the tally's window.
    func logRefusal(_ address: SocketAddress, _ why: String, level: Logger.Level) {
        if refusals.count(host: address.host, reason: why, now: Proc.monotonicNanos()) {
            log.log(level: level, "refused \(address): \(why)")
        }
    }

    /// The tally's summary once its window is over (or now, with `force`, as the hub stops).
    func logRefusalSummary(now: UInt64, force: Bool = false) {
        for line in refusals.summary(now: now, force: force) { log.warning("\(line)") }
    }
}
