import ChatProtocol

/// Channel operator commands (`/op /deop /voice /devoice /kick /ban /unban /kickban /mode
/// /invite`) and `/who`, as irssi has them.
extension ClientState {
    static let channelCommandHelp: [CommandHelp] = [
        .init(name: "op", usage: "/op nick [nick…]", summary: "give channel operator status (+o)"),
        .init(name: "deop", usage: "/deop nick [nick…]", summary: "take channel operator status (-o)"),
        .init(name: "voice", usage: "/voice nick [nick…]", summary: "give voice (+v)"),
        .init(name: "devoice", usage: "/devoice nick [nick…]", summary: "take voice (-v)"),
        .init(name: "kick", usage: "/kick nick [reason]", summary: "kick someone from this channel"),
        .init(name: "ban", usage: "/ban nick|mask", summary: "ban from this channel (a nick bans *!*@its-host, or nick!*@* if its host is unknown)"),
        .init(name: "unban", usage: "/unban nick|mask", summary: "lift a ban"),
        .init(name: "kickban", usage: "/kickban nick [reason]", summary: "ban, then kick"),
        .init(name: "mode", usage: "/mode [target] +modes [args]", summary: "set or show modes (this channel by default)"),
        .init(name: "invite", usage: "/invite nick [#channel]", summary: "invite someone (to this channel by default)"),
        .init(name: "who", usage: "/who [#channel|mask]", summary: "list users (this channel by default)"),
    ]

    /// The text after the first `n` words of `args`.
    static func text(_ args: String, after n: Int) -> String {
        var s = Substring(args)
        for _ in 0..<n {
            s = s.drop { $0 == " " }
            s = s.drop { $0 != " " }
        }
        return String(s.drop { $0 == " " })
    }

    /// Runs one of these commands; false when `name` is none of them.
    mutating func runChannelCommand(_ name: String, _ args: String) -> Bool {
        let words = args.split(separator: " ").map(String.init)
        let channel = activeWindow.isChannel ? activeWindow.name : nil
        func needChannel() -> String? {
            if channel == nil { error("/\(name) works in a channel window.") }
            return channel
        }
        switch name {
        case "op", "deop", "voice", "devoice":
            guard !words.isEmpty else { usage(name); return true }
            guard let c = needChannel() else { return true }
            let sign = name.hasPrefix("de") ? "-" : "+"
            let letter = name.hasSuffix("op") ? "o" : "v"
            // As many a line as the server takes (ISUPPORT MODES).
            var rest = words[...]
            while !rest.isEmpty {
                let batch = rest.prefix(irc.modesPerLine)
                rest = rest.dropFirst(batch.count)
                send("MODE \(c) \(sign)\(String(repeating: letter, count: batch.count)) \(batch.joined(separator: " "))")
            }
        case "kick":
            guard let who = words.first else { usage(name); return true }
            guard let c = needChannel() else { return true }
            let reason = Self.text(args, after: 1)
            send("KICK \(c) \(who)" + (reason.isEmpty ? "" : " :" + reason))
        case "ban", "unban", "kickban":
            guard let who = words.first else { usage(name); return true }
            guard let c = needChannel() else { return true }
            // A nick whose host we know is banned by host (`*!*@host`), as irssi and WeeChat
            // do: a nick ban is undone by changing nick. Unbanning a nick unbans that mask too.
            guard let mask = irc.hosts.banMask(for: who, mapping: caseMapping, maxLength: Ignore.maskLength) else {
                error("\(who) is not a nick or a nick!user@host mask.")
                return true
            }
            send("MODE \(c) \(name == "unban" ? "-" : "+")b \(mask)")
            if name == "kickban" {
                let reason = Self.text(args, after: 1)
                send("KICK \(c) \(who)" + (reason.isEmpty ? "" : " :" + reason))
            }
        case "mode":
            // `/mode +m`, `/mode` (this channel); `/mode #c +i`, `/mode me +i`.
            if let first = words.first, !first.hasPrefix("+") && !first.hasPrefix("-") {
                send("MODE " + args)
            } else {
                guard let c = needChannel() else { return true }
                send("MODE \(c)" + (args.isEmpty ? "" : " " + args))
            }
        case "invite":
            guard let who = words.first else { usage(name); return true }
            guard let c = words.count > 1 ? words[1] : needChannel() else { return true }
            send("INVITE \(who) \(c)")
        case "who":
            guard let target = words.first ?? needChannel() else { return true }
            send("WHO " + target)
        default:
            return false
        }
        return true
    }
}
