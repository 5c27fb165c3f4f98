/// One line typed by a human (telnet) user, understood.
///
/// Rules (see `parse`):
/// - Leading and trailing whitespace (spaces, tabs, a stray CR) is ignored; a blank line is `.empty`.
/// - A line not starting with `/` is a message to the current channel (`.say`); spaces inside
///   it are kept as typed.
/// - `//text` is the message `/text`.
/// - `/name args`: command names are case-insensitive; arguments are separated by any run of
///   whitespace; a trailing free text (message, reason, topic) keeps its inner spacing.
/// - Commands taking no arguments (`/motd`) ignore anything after them.
/// - A missing or extra argument gives `.usage`, an unknown command `.unknownCommand`; both
///   carry the whole line to show (starting with `!! `).
public enum HumanInput: Equatable, Sendable {
    /// A blank line: nothing to do.
    case empty
    /// A message to the current channel.
    case say(String)
    /// `/me ACTION`
    case me(String)
    /// `/msg NICK TEXT` or `/msg #channel TEXT`
    case msg(target: String, text: String)
    /// `/nick NAME`
    case nick(String)
    /// `/join #channel`; the channel always starts with `#` (added when the user left it out).
    case join(String)
    /// `/join #channel KEY`, for a channel with a key (`+k`; a key may not start with `#`
    /// here, which would be a second channel).
    case joinKeyed(channel: String, key: String)
    /// A channel mode change or query, for the current channel when `channel` is nil: `/mode`
    /// and the commands that name one mode (`/op`, `/ban`, `/key`, `/moderate`, ...).
    case mode(channel: String?, args: [String])
    /// `/kick NICK [reason]` from the current channel.
    case kick(nick: String, reason: String?)
    /// `/invite NICK [#channel]`, to the current channel by default.
    case invite(nick: String, channel: String?)
    /// `/invite` alone: the channels we are invited to.
    case invitations
    /// `/part [#channel] [reason]`; `channel == nil`: the current channel.
    case part(channel: String?, reason: String?)
    /// `/topic [#channel] [text]`: nil shows the topic, text sets it; of the current channel
    /// unless a channel comes first (as irssi and IRC users type it).
    case topic(String?, channel: String? = nil)
    /// `/who [mask]`: nil is the current channel.
    case who(String?)
    /// `/names [#channel]`: nil is the current channel.
    case names(String?)
    /// `/list [#a,#b or masks]`: every channel, or those named or matching (as IRC's LIST).
    case list([String])
    /// `/notify [-]NICK...`: watch these nicks (IRCv3 MONITOR), with `-` stop watching them;
    /// alone, who of them is online.
    case notify(remove: Bool, nicks: [String])
    /// `/away [text]`: nil marks the user back.
    case away(String?)
    /// `/whois NICK`
    case whois(String)
    /// `/whowas NICK`: who had that nick before.
    case whowas(String)
    /// `/history [#channel] [N]`: the channel's last N kept lines again (nil: the current
    /// channel; IRCv3 CHATHISTORY LATEST in the hub).
    case history(channel: String?, count: Int)
    /// `/motd`
    case motd
    /// `/quit [reason]`
    case quit(String?)
    /// `/oper NAME [PASSWORD]`: become a server operator; without the password the session
    /// asks for it, hidden (nil here).
    case oper(name: String, password: String?)
    /// `/register PASSWORD`, `/identify [ACCOUNT] PASSWORD`, `/logout`, `/regain NICK [PASSWORD]`: the command for
    /// NickServ (`REGISTER PASSWORD`…), sent to it as a private message.
    case nickServ(String)
    /// `/register` or `/identify [ACCOUNT]` without the password: the session asks for it,
    /// hidden, then sends NickServ this command with the password after it.
    case nickServAskingPassword(String)
    /// `/kill NICK [reason]`: a server operator disconnects someone.
    case kill(nick: String, reason: String)
    /// `/wallops TEXT`: a server operator's message to the other operators and to +w users.
    case wallops(String)
    /// `/colour on|off` (or `/color`): colours on a terminal that has them, in character mode.
    case colour(Bool)
    /// `/help [command]`, the command lowercased and without its `/`; the session shows
    /// `HumanText.help(command:)`.
    case help(String?)
    /// A command with missing or extra arguments; the line to show.
    case usage(String)
    /// Not a command of the dialect; the line to show.
    case unknownCommand(String)

    /// Understands one line as typed (without its line end).
    public static func parse(_ line: String) -> HumanInput {
        let text = line[...].trimming(while: { $0.isWhitespace })
        if text.isEmpty { return .empty }
        guard text.first == "/" else { return .say(String(text)) }
        let afterSlash = text.dropFirst()
        if afterSlash.first == "/" { return .say(String(afterSlash)) }

        let (word, rest) = splitWord(afterSlash)
        if word.isEmpty {
            return .unknownCommand("!! Type a command right after the /, for example /help."
                + " To send a line that starts with /, begin it with //.")
        }
        let name = asciiLowercased(word)
        let args = rest  // already trimmed at both ends
        switch name {
        case "me":
            return args.isEmpty ? .usage(HumanText.usage(name)) : .me(String(args))
        case "msg":
            let (target, text) = splitWord(args)
            if target.isEmpty || text.isEmpty { return .usage(HumanText.usage(name)) }
            if target.contains(",") {
                return .usage("!! Send to one nickname or channel at a time. Usage: /msg NICK TEXT")
            }
            return .msg(target: String(target), text: String(text))
        case "nick":
            guard let nick = singleWord(args) else { return .usage(HumanText.usage(name)) }
            return .nick(nick)
        case "join":
            let (channel, key) = splitWord(args)
            // A second channel is not a key: one channel at a time, as before keys.
            if channel.isEmpty || key.contains(where: { $0.isWhitespace }) || key.utf8.first == UInt8(ascii: "#") {
                return .usage(HumanText.usage(name))
            }
            if channel.contains(",") || key.contains(",") {
                return .usage("!! Join one channel at a time. Usage: /join #channel")
            }
            if !key.isEmpty { return .joinKeyed(channel: channelName(channel), key: String(key)) }
            return .join(channelName(channel))
        case "op", "deop", "voice", "devoice":
            let nicks = words(args)
            if nicks.isEmpty || nicks.count > Self.modesPerLine { return .usage(HumanText.usage(name)) }
            let sign = name.hasPrefix("de") ? "-" : "+"
            let letter = name.hasSuffix("op") ? "o" : "v"
            return .mode(channel: nil, args: [sign + String(repeating: letter, count: nicks.count)] + nicks)
        case "ban", "unban":
            let masks = words(args)
            if masks.count > Self.modesPerLine || (name == "unban" && masks.isEmpty) { return .usage(HumanText.usage(name)) }
            let sign = name == "ban" ? "+" : "-"
            return .mode(channel: nil, args: [sign + String(repeating: "b", count: max(1, masks.count))] + masks)
        case "key", "limit":
            guard let value = singleWord(args) else { return .usage(HumanText.usage(name)) }
            let letter = name == "key" ? "k" : "l"
            if asciiLowercased(value) == "off" { return .mode(channel: nil, args: ["-" + letter]) }
            return .mode(channel: nil, args: ["+" + letter, value])
        case "moderate", "secret", "topiclock", "inviteonly":
            let letter = ["moderate": "m", "secret": "s", "topiclock": "t", "inviteonly": "i"][name]!
            switch asciiLowercased(args) {
            case "", "on": return .mode(channel: nil, args: ["+" + letter])
            case "off": return .mode(channel: nil, args: ["-" + letter])
            default: return .usage(HumanText.usage(name))
            }
        case "mode":
            var list = words(args)
            let channel = list.first.flatMap { $0.utf8.first == UInt8(ascii: "#") ? $0 : nil }
            if channel != nil { list.removeFirst() }
            if list.count > Self.modesPerLine + 1 { return .usage(HumanText.usage(name)) }
            return .mode(channel: channel, args: list)
        case "kick":
            let (nick, reason) = splitWord(args)
            if nick.isEmpty { return .usage(HumanText.usage(name)) }
            return .kick(nick: String(nick), reason: reason.isEmpty ? nil : String(reason))
        case "invite":
            let list = words(args)
            if list.isEmpty { return .invitations }
            guard list.count <= 2 else { return .usage(HumanText.usage(name)) }
            return .invite(nick: list[0], channel: list.count == 2 ? channelName(list[1]) : nil)
        case "part":
            let (first, more) = splitWord(args)
            if first.utf8.first == UInt8(ascii: "#") {
                return .part(channel: String(first), reason: more.isEmpty ? nil : String(more))
            }
            return .part(channel: nil, reason: args.isEmpty ? nil : String(args))
        case "topic":
            let (first, more) = splitWord(args)
            if first.utf8.first == UInt8(ascii: "#") {
                return .topic(more.isEmpty ? nil : String(more), channel: String(first))
            }
            return .topic(args.isEmpty ? nil : String(args))
        case "who", "names", "whois", "whowas":
            if args.isEmpty {
                if name == "whois" || name == "whowas" { return .usage(HumanText.usage(name)) }
                return name == "who" ? .who(nil) : .names(nil)
            }
            guard let arg = singleWord(args) else { return .usage(HumanText.usage(name)) }
            switch name {
            case "who": return .who(arg)
            case "names": return .names(channelName(arg))
            case "whowas": return .whowas(arg)
            default: return .whois(arg)
            }
        case "history":
            var list = words(args), count = Self.historyLines
            if let last = list.last, let n = Int(last) {
                guard n > 0 else { return .usage(HumanText.usage(name)) }
                count = min(n, HistoryQuery.maxLimit)
                list.removeLast()
            }
            guard list.count <= 1 else { return .usage(HumanText.usage(name)) }
            return .history(channel: list.first.map(channelName), count: count)
        case "list":
            // By scalar: a comma or space followed by a combining mark still separates.
            let words = args.unicodeScalars.split { $0 == "," || $0.properties.isWhitespace }
            return .list(words.map { String(String.UnicodeScalarView($0)) })
        case "motd":
            return .motd
        case "notify":
            let words = args.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
            let remove = words.first?.utf8.first == UInt8(ascii: "-")
            // The `-` off by scalar: with a combining mark after it, it is one Character with it.
            let nicks = words.map { $0.utf8.first == UInt8(ascii: "-") ? String($0.unicodeScalars.dropFirst()) : $0 }.filter { !$0.isEmpty }
            if !words.isEmpty && nicks.isEmpty { return .usage(HumanText.usage(name)) }
            return .notify(remove: remove, nicks: nicks)
        case "away":
            return .away(args.isEmpty ? nil : String(args))
        case "quit":
            return .quit(args.isEmpty ? nil : String(args))
        case "oper":
            let (operName, password) = splitWord(args)
            if operName.isEmpty { return .usage(HumanText.usage(name)) }
            if password.isEmpty { return .oper(name: String(operName), password: nil) }
            guard let password = singleWord(password) else { return .usage(HumanText.usage(name)) }
            return .oper(name: String(operName), password: password)
        case "register":
            if args.isEmpty { return .nickServAskingPassword("REGISTER") }
            guard let password = singleWord(args) else { return .usage(HumanText.usage(name)) }
            return .nickServ("REGISTER " + password)
        case "identify":
            let given = words(args)
            if given.isEmpty { return .nickServAskingPassword("IDENTIFY") }
            if given.count > 2 { return .usage(HumanText.usage(name)) }
            return .nickServ("IDENTIFY " + given.joined(separator: " "))
        case "logout":
            return .nickServ("LOGOUT")
        case "regain":
            let given = words(args)
            if given.isEmpty || given.count > 2 { return .usage(HumanText.usage(name)) }
            return .nickServ("REGAIN " + given.joined(separator: " "))
        case "kill":
            let (nick, reason) = splitWord(args)
            if nick.isEmpty { return .usage(HumanText.usage(name)) }
            return .kill(nick: String(nick), reason: String(reason))
        case "wallops":
            return args.isEmpty ? .usage(HumanText.usage(name)) : .wallops(String(args))
        case "colour", "color":
            switch asciiLowercased(args) {
            case "on": return .colour(true)
            case "off": return .colour(false)
            default: return .usage(HumanText.usage("colour"))
            }
        case "help":
            var topic = splitWord(args).0
            if topic.first == "/" { topic = topic.dropFirst() }
            return .help(topic.isEmpty ? nil : asciiLowercased(topic))
        default:
            return .unknownCommand("!! Unknown command /" + shortened(oneLine(word))
                + ". Type /help for the list of commands.")
        }
    }

    /// What to ask the hub for, given the session's current channel; nil when the session must
    /// act on its own: `.empty` (nothing), `.oper` without a password (ask for it), `.help` (show `HumanText.help(command:)`), `.usage`
    /// and `.unknownCommand` (show their text), or a line that needs a current channel when
    /// there is none (show `HumanText.notInChannel`).
    ///
    /// `.join` and `.part` do not change the current channel here: the session does that when
    /// the hub's join or part event arrives, or at once for a `/join` of a channel the user is
    /// already in (the hub answers nothing to that).
    public func request(currentChannel: String?) -> HubRequest? {
        switch self {
        case .empty, .help, .usage, .unknownCommand, .colour:
            return nil
        case .say(let text):
            return currentChannel.map { .message(kind: .privmsg, target: $0, text: text) }
        case .me(let text):
            return currentChannel.map { .message(kind: .action, target: $0, text: text) }
        case .msg(let target, let text):
            return .message(kind: .privmsg, target: target, text: text)
        case .nick(let nick):
            return .nick(nick)
        case .join(let channel):
            return .join(channels: [HumanInput.channelName(channel)])
        case .joinKeyed(let channel, let key):
            return .join(channels: [HumanInput.channelName(channel)], keys: [key])
        case .mode(let channel, let args):
            return (channel ?? currentChannel).map { .mode(target: $0, args: args) }
        case .kick(let nick, let reason):
            return currentChannel.map { .kick(channel: $0, nick: nick, reason: reason ?? "") }
        case .invite(let nick, let channel):
            return (channel ?? currentChannel).map { .invite(nick: nick, channel: $0) }
        case .invitations:
            return .invitations
        case .part(let channel, let reason):
            guard let channel = channel.map(HumanInput.channelName) ?? currentChannel else { return nil }
            return .part(channels: [channel], reason: reason ?? "")
        case .topic(let text, let channel):
            return (channel ?? currentChannel).map { .topic(channel: $0, text: text) }
        case .who(let mask):
            return (mask ?? currentChannel).map { .who(mask: $0) }
        case .names(let channel):
            return (channel.map(HumanInput.channelName) ?? currentChannel).map { .names(channel: $0) }
        case .list(let filters):
            return .list(channels: filters)
        case .notify(let remove, let nicks):
            if nicks.isEmpty { return .monitor(.status, targets: []) }
            return .monitor(remove ? .remove : .add, targets: nicks)
        case .away(let text):
            return .away(text: text)
        case .whois(let nick):
            return .whois(nick: nick)
        case .whowas(let nick):
            return .whowas(nick: nick, count: 0)
        case .history(let channel, let count):
            return (channel ?? currentChannel).map {
                .chatHistory(HistoryQuery(subcommand: .latest, target: $0, first: .none, limit: count))
            }
        case .motd:
            return .motd
        case .quit(let reason):
            return .quit(reason: reason ?? "")
        case .oper(let name, let password):
            return password.map { .oper(name: name, password: $0) }
        case .nickServ(let text):
            return .message(kind: .privmsg, target: "NickServ", text: text)
        case .nickServAskingPassword:
            return nil
        case .kill(let nick, let reason):
            return .kill(nick: nick, reason: reason)
        case .wallops(let text):
            return .wallops(text: text)
        }
    }

    /// The lines `/history` shows without a number.
    public static let historyLines = 20

    /// Parameterised mode changes in one command (ISUPPORT `MODES`, which the hub enforces).
    public static let modesPerLine = 4

    /// `name` as a channel name: with a `#` in front unless it already has one. Looks at the
    /// first byte, not the first Character: `#` followed by a combining mark is one Character.
    public static func channelName<S: StringProtocol>(_ name: S) -> String {
        name.utf8.first == UInt8(ascii: "#") ? String(name) : "#" + name
    }
}

/// The first whitespace-separated word of `s` (already trimmed) and the rest, trimmed.
private func splitWord(_ s: Substring) -> (Substring, Substring) {
    guard let space = s.firstIndex(where: { $0.isWhitespace }) else { return (s, s[s.endIndex...]) }
    return (s[..<space], s[space...].trimming(while: { $0.isWhitespace }))
}

/// The whitespace-separated words of `s`.
private func words(_ s: Substring) -> [String] {
    s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
}

/// `s` (already trimmed) when it is exactly one word, nil when it is empty or has more.
private func singleWord(_ s: Substring) -> String? {
    if s.isEmpty || s.contains(where: { $0.isWhitespace }) { return nil }
    return String(s)
}
