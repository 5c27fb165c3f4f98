/// The fixed texts a human (telnet) session shows: the banner, the nickname prompt, and `/help`.
///
/// Line prefixes used throughout the human dialect, so a reader can tell kinds of lines apart:
/// - `[HH:MM] ...` a message someone sent (see `renderHuman`);
/// - `-- ...` something that happened in a channel, or an answer to a command;
/// - `*** ...` the server speaking: this banner, server notices, being disconnected;
/// - `!! ...` an error: a refused or mistyped command.
///
/// Every function returns lines without line ends; the session appends CRLF, except after
/// `askNick`, which is a prompt.
public enum HumanText {
    /// One command as `/help` lists it.
    struct Command: Sendable {
        var name: String
        var usage: String
        var summary: String
        var details: [String]
    }

    /// Every command of the dialect, in the order `/help` lists them.
    static let commands: [Command] = [
        Command(name: "join", usage: "/join #channel", summary: "join a channel and make it your current one",
                details: ["The # may be left out: /join rust joins #rust.",
                          "Lines you type without a / go to your current channel."]),
        Command(name: "part", usage: "/part [#channel] [reason]", summary: "leave a channel (default: the current one)",
                details: ["Without a #channel, everything after /part is the reason: /part see you tomorrow."]),
        Command(name: "msg", usage: "/msg NICK TEXT", summary: "send a private message to someone",
                details: ["/msg #channel TEXT sends to a channel you are in without making it current."]),
        Command(name: "me", usage: "/me ACTION", summary: "say what you are doing: /me waves",
                details: ["Shows to the channel as: * yournick waves"]),
        Command(name: "nick", usage: "/nick NAME", summary: "change your nickname",
                details: ["Use letters, digits and - _ [ ] { } \\ ` ^ |, starting with a letter."]),
        Command(name: "who", usage: "/who [#channel]", summary: "who is in the current channel (or another)",
                details: ["Shows each person's address and whether they are away."]),
        Command(name: "names", usage: "/names [#channel]", summary: "list the nicknames in a channel",
                details: ["Channel operators are marked with @."]),
        Command(name: "topic", usage: "/topic [#channel] [text]", summary: "show the current channel's topic, or set it",
                details: ["/topic alone shows the topic; /topic TEXT sets it for your current channel.",
                          "A channel first names another: /topic #rust shows its topic, /topic #rust TEXT sets it."]),
        Command(name: "invite", usage: "/invite [NICK [#channel]]", summary: "invite someone to the current channel (or another)",
                details: ["An invitation lets them join once, even an invite-only, full or keyed channel,",
                          "or one they are banned from. In an invite-only channel only operators invite.",
                          "/invite alone lists the channels you are invited to."]),
        Command(name: "kick", usage: "/kick NICK [reason]", summary: "put someone out of the current channel (operators)",
                details: ["They may join again unless you also /ban them."]),
        Command(name: "op", usage: "/op NICK...", summary: "make people operators of the current channel",
                details: ["Operators (shown with @) kick, ban, invite and change the channel's modes.",
                          "Up to \(HumanInput.modesPerLine) nicknames at once; /deop NICK... takes it back."]),
        Command(name: "deop", usage: "/deop NICK...", summary: "take operator status away",
                details: ["Up to \(HumanInput.modesPerLine) nicknames at once."]),
        Command(name: "voice", usage: "/voice NICK...", summary: "let people speak in a moderated channel",
                details: ["Voiced people are shown with +. /devoice NICK... takes it back."]),
        Command(name: "devoice", usage: "/devoice NICK...", summary: "take the voice away",
                details: ["In a moderated channel they can no longer speak."]),
        Command(name: "ban", usage: "/ban [MASK...]", summary: "ban people from the current channel; /ban alone lists bans",
                details: ["A mask is nick!user@host with * and ? as wildcards; a nickname alone bans nick!*@*.",
                          "Banned people can neither join nor speak. Lift a ban with /unban MASK.",
                          "Exceptions (/mode +e MASK) let some through anyway."]),
        Command(name: "unban", usage: "/unban MASK...", summary: "lift bans",
                details: ["Type the mask as /ban lists it."]),
        Command(name: "key", usage: "/key KEY|off", summary: "require a key to join the current channel",
                details: ["People then join with /join #channel KEY. /key off removes it.",
                          "A key is 1 to 23 characters: no spaces, commas or accents."]),
        Command(name: "limit", usage: "/limit N|off", summary: "let at most N people in the current channel",
                details: ["/limit off removes the limit. Invited people may still join."]),
        Command(name: "inviteonly", usage: "/inviteonly [on|off]", summary: "only invited people may join",
                details: ["Invite with /invite NICK; /mode +I MASK lets matching people in without one."]),
        Command(name: "moderate", usage: "/moderate [on|off]", summary: "only operators and voiced people may speak",
                details: ["Give a voice with /voice NICK."]),
        Command(name: "secret", usage: "/secret [on|off]", summary: "hide the channel from /list and from outsiders",
                details: ["Only members see a secret channel in /list, /names and /whois."]),
        Command(name: "topiclock", usage: "/topiclock [on|off]", summary: "only operators may set the topic",
                details: ["Others can still read it with /topic."]),
        Command(name: "mode", usage: "/mode [#chan] [MODES...]", summary: "show or change channel modes, as IRC does",
                details: ["/mode alone shows the current channel's modes. Letters: i m n s t (on/off),",
                          "k KEY, l N, o NICK, v NICK, b MASK, e MASK, I MASK; +b alone lists bans.",
                          "Example: /mode +mv-o alice bob."]),
        Command(name: "list", usage: "/list [#chan or mask]", summary: "list the channels, with their topics",
                details: ["Join one of them with /join #channel.",
                          "/list #a #b lists those; *rust* those matching; !*test* all but those; >10 the busy ones."]),
        Command(name: "whois", usage: "/whois NICK", summary: "tell about someone",
                details: ["Shows their address, channels, idle time and away message."]),
        Command(name: "whowas", usage: "/whowas NICK", summary: "tell who had a nickname before",
                details: ["The server remembers the last few people who left or changed a nickname, newest first."]),
        Command(name: "history", usage: "/history [#chan] [N]", summary: "show a channel's last lines again",
                details: ["The last 20 lines the server kept of the current channel, or N of them (at most 100)."]),
        Command(name: "notify", usage: "/notify [-]NICK...", summary: "be told when someone comes online or leaves",
                details: ["/notify alone tells who of them is online now; /notify -NICK stops telling."]),
        Command(name: "away", usage: "/away [message]", summary: "mark yourself away; /away alone: back again",
                details: ["People who send you a private message see your away message."]),
        Command(name: "motd", usage: "/motd", summary: "show the message of the day",
                details: ["The server's message of the day, shown when you arrived."]),
        Command(name: "quit", usage: "/quit [reason]", summary: "leave the chat",
                details: ["Others see the reason when you go."]),
        Command(name: "oper", usage: "/oper NAME [PASSWORD]", summary: "become a server operator (the server's config names them)",
                details: ["Without the password you are asked for it, and a telnet client does not show it as you type.",
                          "Operators may use /kill and /wallops, and get everyone's wallops."]),
        Command(name: "register", usage: "/register [PASSWORD]", summary: "register your nickname as an account",
                details: ["Without the password you are asked for it, and a telnet client does not show it as you type.",
                          "The password is 5 to 300 bytes, one word. You are logged in at once; later, /identify logs you in.",
                          "/msg NickServ HELP lists what else NickServ does (SET PASSWORD, DROP, INFO).",
                          "/msg ChanServ HELP: register a channel you run, to keep its topic, modes and operators."]),
        Command(name: "identify", usage: "/identify [PASSWORD]", summary: "log in to your account",
                details: ["Without the password you are asked for it, unseen. /identify NAME PASSWORD logs in",
                          "to the account NAME; without NAME, the account of your current nickname."]),
        Command(name: "logout", usage: "/logout", summary: "log out of your account",
                details: ["You keep your nickname."]),
        Command(name: "regain", usage: "/regain NICK [PASSWORD]", summary: "take back your registered nickname",
                details: ["Whoever has it is renamed to a guest nick and you get it. Logged in to its account, you need",
                          "no password; otherwise give the account's password, which logs you in too."]),
        Command(name: "kill", usage: "/kill NICK [reason]", summary: "server operators: disconnect someone",
                details: ["Their channels see them quit with \"Killed (yournick (reason))\"."]),
        Command(name: "wallops", usage: "/wallops TEXT", summary: "server operators: a message to every operator",
                details: ["IRC users who set user mode +w get it too."]),
        Command(name: "colour", usage: "/colour on|off", summary: "colours on or off (telnet in character mode)",
                details: ["Nicks get their own colours, times are dim, lines that mention you bold,",
                          "when your terminal has colours (telnet told the server its type). /color works too."]),
        Command(name: "help", usage: "/help [command]", summary: "this list, or more about one command",
                details: ["For example: /help join"]),
    ]

    static func command(named name: String) -> Command? {
        let key = asciiLowercased(name)
        return commands.first { $0.name == key }
    }

    /// The usage line for a command that exists.
    static func usage(_ name: String) -> String {
        "!! Usage: " + (command(named: name)?.usage ?? "/" + name)
    }

    /// The banner shown when a telnet user connects, before `askNick`.
    public static func greeting(serverName: String) -> [String] {
        [
            "*** Welcome to " + oneLine(serverName) + ", a chat server.",
            "*** Pick a nickname, then type a line and press Enter to talk.",
            "*** Commands start with /, for example /join #rust or /quit. Type /help for all of them.",
        ]
    }

    /// The nickname prompt: sent without a line end, the user types on the same line.
    public static let askNick = "Choose a nickname: "

    /// Shown when the nickname typed at the prompt cannot be used; `askNick` follows it.
    public static func nickInvalid(_ nick: String, maxLength: Int = 30) -> String {
        if Names.isValidNick(nick, maxLength: .max) {
            return "!! \"" + oneLine(nick) + "\" is too long for a nickname (at most \(maxLength) characters)."
        }
        return "!! \"" + oneLine(nick) + "\" can't be a nickname. Use letters, digits and - _ [ ] { } \\ ` ^ |,"
            + " starting with a letter."
    }

    /// The question for a password (sent without a line end); the telnet client is asked not
    /// to show what is typed.
    public static func askPassword(for name: String) -> String {
        "Password for " + shortened(oneLine(name)) + " (not shown): "
    }

    /// The confirmation of a private message sent: `-> *bob* psst` (`-> (*) bob waves` for an
    /// action, `-> -bob- text` for a notice).
    public static func sentPrivately(kind: MessageKind, to nick: String, text: String) -> String {
        let to = oneLine(nick)
        switch kind {
        case .privmsg: return "-> *" + to + "* " + text
        case .action: return "-> (*) " + to + " " + text
        case .notice: return "-> -" + to + "- " + text
        }
    }

    /// `/colour` answers.
    public static let colourOn = "-- Colours are on."
    public static let colourOff = "-- Colours are off."
    public static let colourUnavailable = "-- Your terminal did not say it has colours (telnet sends its type in character mode), so there are none."

    /// The answer to an empty password.
    public static let noPassword = "!! No password given; /oper was cancelled."
    /// The question for an account's password (`/register`, `/identify` alone), hidden as `askPassword`'s.
    public static let askAccountPassword = "Password for your account (not shown): "
    public static let noAccountPassword = "!! No password given; nothing was sent."

    /// Shown when a line or command needs a current channel and the user has none.
    public static let notInChannel = "!! You are not in a channel. Join one with /join #channel."

    /// After leaving the current channel when no other is left.
    public static let inNoChannelNow = "-- You are in no channel now; /join #channel to talk again."

    /// The answer to `/join` of a channel the user is already in: it becomes the current one.
    public static func nowCurrent(_ channel: String) -> String {
        "-- " + oneLine(channel) + " is now your current channel"
    }

    /// The command names, without the `/`, for Tab completion.
    public static let commandNames: [String] = commands.map(\.name)

    /// The `/help` list: one command a line, with a short description.
    public static let help: [String] = {
        let width = commands.map { $0.usage.count }.max() ?? 0
        var lines = ["-- Type a line without / to talk in your current channel. Commands:"]
        for c in commands {
            lines.append("--   " + c.usage + String(repeating: " ", count: width - c.usage.count + 2) + c.summary)
        }
        lines.append("-- Commands are case-insensitive. Start a line with // to send one that begins with /.")
        lines.append("-- Type /help COMMAND for more about one command.")
        return lines
    }()

    /// `/help COMMAND`: the usage line and more about one command (with or without the `/`);
    /// nil or blank gives the whole list.
    public static func help(command: String?) -> [String] {
        var name = command.map { $0[...].trimming(while: { $0.isWhitespace }) } ?? ""
        if name.first == "/" { name = name.dropFirst() }
        if name.isEmpty { return help }
        guard let c = Self.command(named: String(name)) else {
            return ["!! There is no command /" + shortened(oneLine(name)) + ". Type /help for the list."]
        }
        return ["-- " + c.usage + ": " + c.summary] + c.details.map { "--   " + $0 }
    }
}

// MARK: - Small text helpers shared by the human dialect

/// `s` with every CR and LF replaced by a space, so that it can never split a line.
func oneLine<S: StringProtocol>(_ s: S) -> String {
    if !s.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) { return String(s) }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars { out.append(u == "\r" || u == "\n" ? " " : u) }
    return String(out)
}

/// ASCII-only lowercasing: enough for command names and for comparing nicks and channels here.
func asciiLowercased<S: StringProtocol>(_ s: S) -> String {
    if !s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return String(s) }
    return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}

/// Whether two nicks or channel names are the same, ignoring ASCII case.
func sameName<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
    a.utf8.count == b.utf8.count && asciiLowercased(a) == asciiLowercased(b)
}

/// Keeps a user-typed word short enough to quote back in a one-line error.
func shortened<S: StringProtocol>(_ s: S, limit: Int = 24) -> String {
    s.count <= limit ? String(s) : String(s.prefix(limit)) + "…"
}
