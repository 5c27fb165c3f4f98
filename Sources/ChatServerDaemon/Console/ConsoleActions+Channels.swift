import ChatPOSIX
import ChatProtocol

/// The console's registered-channel commands: freeze, unfreeze, drop, and the registration
/// columns of `channels`. The chat state makes each change (`ChatState+ChannelAdmin`),
/// written to the state store before the turn's replies go out.
extension ConsoleActions {
    func channelCommand(_ command: ConsoleCommand, by who: String, host: ConsoleHost) -> ConsoleReply {
        switch command {
        case .freezeChannel(let name), .unfreezeChannel(let name):
            let freezing = if case .freezeChannel = command { true } else { false }
            switch host.chat.setChannelFrozen(name, freezing) {
            case .success(let ch):
                host.log.notice("console [\(who)]: \(freezing ? "freeze" : "unfreeze") channel \(ch.name)")
                return .ok(freezing ? "froze \(ch.name): only server operators may join it; its \(NumberFormat.count(ch.members.count, "member")) stay"
                                    : "unfroze \(ch.name)")
            case .failure(let e): return failure(e, name, freezing ? "frozen" : "not frozen")
            }
        case .dropChannel(let name):
            switch host.chat.dropChannel(name) {
            case .success(let (channel, founder)):
                host.log.notice("console [\(who)]: drop channel \(channel)")
                return .ok("dropped the registration of \(channel) (founder \(founder))")
            case .failure(let e): return failure(e, name, "")
            }
        default:
            return .failed("not a channel command", hint: "'help' lists the commands")
        }
    }

    /// FOUNDER, REGISTERED and FROZEN of `channels` for `ch` (dashes when it is not registered).
    func registrationColumns(_ ch: Channel, now: Int64) -> [String] {
        guard let reg = ch.registration else { return ["-", "-", "-"] }
        return [reg.founder, ConsoleFormat.time(millis: reg.registeredAt * 1000, now: now), reg.frozen ? "frozen" : "-"]
    }

    private func failure(_ e: ChatState.ChannelAdminError, _ name: String, _ state: String) -> ConsoleReply {
        switch e {
        case .notRegistered:
            return .failed("no registered channel named '\(ConsoleFormat.clean(name))'", hint: "'channels' lists them, with their founders")
        case .unchanged:
            return .failed("\(ConsoleFormat.clean(name)) is already \(state)", hint: "'channels' shows which are frozen")
        case .notWritten:
            return .failed("the state database refused the change", hint: "nothing changed; see the log, and try again")
        }
    }
}
