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
            case .failure(let e): return adminFailure(e, name, state: freezing ? "frozen" : "not frozen", kind: "registered channel", list: "channels")
            }
        case .dropChannel(let name):
            switch host.chat.dropChannel(name) {
            case .success(let (channel, founder)):
                host.log.notice("console [\(who)]: drop channel \(channel)")
                return .ok("dropped the registration of \(channel) (founder \(founder))")
            case .failure(let e): return adminFailure(e, name, state: "", kind: "registered channel", list: "channels")
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
}
