/// The console's registered-channel commands: `freeze-channel #C`, `unfreeze-channel #C`,
/// `drop-channel #C` (ConsoleActions+Channels.swift carries them out; `channels` lists them).
extension ConsoleCommand {
    /// The command `name` (a spec's name) with its words, nil for a name that is not one of these.
    static func parseChannelCommand(_ name: String, _ words: inout Words,
                                    usage: (String) -> Result<ConsoleCommand, ConsoleError>) -> Result<ConsoleCommand, ConsoleError>? {
        switch name {
        case "freeze-channel", "unfreeze-channel", "drop-channel":
            guard let channel = words.next() else { return usage("\(name) needs a channel name") }
            if !words.rest.isEmpty { return usage("\(name) takes one channel") }
            switch name {
            case "freeze-channel": return .success(.freezeChannel(channel: channel))
            case "unfreeze-channel": return .success(.unfreezeChannel(channel: channel))
            default: return .success(.dropChannel(channel: channel))
            }
        default:
            return nil
        }
    }
}
