/// One row of the IRC command table: a command the server understands, who may send it, how
/// many parameters it needs, and how its parameters become an `IRCInput`.
///
/// As in ngircd's `My_Commands[]` (parse.c), every line is checked against its row in one
/// place (`IRCInput.parse`): the handlers see only complete commands. Adding a command is one
/// row in `all` and one case in `IRCInput` (and what the session does with it).
public struct IRCCommand: Sendable {
    /// Who may send the command, by where the client is in registration.
    public enum Access: Sendable {
        /// Only to register (PASS, USER): 462 afterwards.
        case beforeRegistration
        /// Before and after registration (CAP, NICK, PING, PONG, QUIT).
        case always
        /// Only once registered: 451 before.
        case afterRegistration
    }

    /// Which error answers a line with too few parameters.
    public enum Missing: Sendable {
        /// 461 Not enough parameters.
        case needMoreParams
        /// 431 No nickname given.
        case nickname
        /// 409 No origin specified.
        case origin
        /// 411 No recipient given without any parameter, 412 No text to send without text.
        case recipientThenText
    }

    /// The verb, uppercased.
    public let name: String
    public let access: Access
    /// Fewer parameters than this are answered as `missing` says.
    public let minParams: Int
    /// The last of the `minParams` parameters must not be empty either (`NICK :`, `PRIVMSG a :`).
    public let nonEmpty: Bool
    public let missing: Missing
    /// The command from its parameters, at least `minParams` of them.
    let parse: @Sendable (_ params: [String]) throws(IRCInputError) -> IRCInput

    init(_ name: String, _ access: Access, min: Int = 0, nonEmpty: Bool = false, missing: Missing = .needMoreParams,
         _ parse: @escaping @Sendable (_ params: [String]) throws(IRCInputError) -> IRCInput) {
        self.name = name
        self.access = access
        self.minParams = min
        self.nonEmpty = nonEmpty
        self.missing = missing
        self.parse = parse
    }

    /// The error for a line with `given` parameters, too few for this command.
    func missingError(given: Int) -> IRCInputError {
        switch missing {
        case .needMoreParams: return .needMoreParams(name)
        case .nickname: return .noNicknameGiven
        case .origin: return .noOrigin
        case .recipientThenText: return given == 0 ? .noRecipient(name) : .noTextToSend
        }
    }

    /// The row for `verb` (uppercased), nil for a command the server does not know.
    public static func named(_ verb: String) -> IRCCommand? {
        for command in all where command.name == verb { return command }
        return nil
    }

    /// Every command the server understands.
    public static let all: [IRCCommand] = [
        // Registration and the connection itself.
        IRCCommand("CAP", .always, min: 1) { p throws(IRCInputError) in
            let sub = p[0].uppercased()
            switch sub {
            case "LS": return .capLS(version: p.count > 1 ? Int(p[1].prefix(6)) ?? 0 : 0)
            case "LIST": return .capList
            case "REQ": return .capReq(p.count > 1 ? p[1] : "")
            case "END": return .capEnd
            default: throw .invalidCapCommand(sub)
            }
        },
        // There is no connection password: PASS is accepted and ignored.
        IRCCommand("PASS", .beforeRegistration, min: 1, nonEmpty: true) { _ in .pass },
        IRCCommand("NICK", .always, min: 1, nonEmpty: true, missing: .nickname) { p in .nick(p[0]) },
        // An empty real name is refused (461), as modern.ircdocs.horse asks.
        IRCCommand("USER", .beforeRegistration, min: 4, nonEmpty: true) { p in .user(user: p[0], realName: p[3]) },
        IRCCommand("PING", .always, min: 1, nonEmpty: true, missing: .origin) { p in .ping(token: p[0]) },
        IRCCommand("PONG", .always) { _ in .pong },
        IRCCommand("QUIT", .always) { p in .quit(reason: p.first) },
        // Channels.
        IRCCommand("JOIN", .afterRegistration, min: 1) { p in
            p[0] == "0" ? .partAll : .join(channels: list(p[0]), keys: p.count > 1 ? keys(p[1]) : [])
        },
        // `INVITE` alone lists our invitations (Modern, as Ergo and InspIRCd); a nick alone is 461.
        IRCCommand("INVITE", .afterRegistration) { p throws(IRCInputError) in
            if p.isEmpty { return .invitations }
            guard p.count > 1 else { throw .needMoreParams("INVITE") }
            return .invite(nick: p[0], channel: p[1])
        },
        IRCCommand("PART", .afterRegistration, min: 1) { p in
            .part(channels: list(p[0]), reason: p.count > 1 ? p[1] : "")
        },
        IRCCommand("TOPIC", .afterRegistration, min: 1) { p in
            .topic(channel: p[0], text: p.count > 1 ? p[1] : nil)
        },
        IRCCommand("NAMES", .afterRegistration) { p in .names(channels: p.first.map(list)) },
        // One channel and its nicks, or as many channels as nicks (RFC 2812 3.2.8; 461 else).
        IRCCommand("KICK", .afterRegistration, min: 2) { p throws(IRCInputError) in
            let channels = list(p[0]), nicks = list(p[1])
            guard !nicks.isEmpty, channels.count == 1 || channels.count == nicks.count else { throw .needMoreParams("KICK") }
            return .kick(channels: channels, nicks: nicks, reason: p.count > 2 ? p[2] : "")
        },
        IRCCommand("MODE", .afterRegistration, min: 1) { p in .mode(target: p[0], args: Array(p.dropFirst())) },
        IRCCommand("LIST", .afterRegistration) { p in .list(channels: p.first.map(list) ?? []) },
        // Messages.
        IRCCommand("PRIVMSG", .afterRegistration, min: 2, nonEmpty: true, missing: .recipientThenText) { p in
            message(.privmsg, p)
        },
        IRCCommand("NOTICE", .afterRegistration, min: 2, nonEmpty: true, missing: .recipientThenText) { p in
            message(.notice, p)
        },
        // Users and the server.
        IRCCommand("WHO", .afterRegistration) { p in
            .who(mask: p.first.flatMap { $0.isEmpty ? nil : $0 } ?? "*", options: WhoOptions(parsing: p.count > 1 ? p[1] : ""))
        },
        IRCCommand("WHOIS", .afterRegistration, min: 1) { p throws(IRCInputError) in
            let nicks = list(p.count > 1 ? p[1] : p[0])
            guard !nicks.isEmpty else { throw .noNicknameGiven }
            return .whois(server: p.count > 1 ? p[0] : nil, nicks: nicks)
        },
        IRCCommand("WHOWAS", .afterRegistration, min: 1, nonEmpty: true, missing: .nickname) { p throws(IRCInputError) in
            let nicks = list(p[0])
            guard !nicks.isEmpty else { throw .noNicknameGiven }
            // Not a positive number: a full search (RFC 1459, Modern).
            return .whowas(nicks: nicks, count: p.count > 1 ? max(0, Int(p[1]) ?? 0) : 0)
        },
        IRCCommand("AWAY", .afterRegistration) { p in .away(p.first.flatMap { $0.isEmpty ? nil : $0 }) },
        IRCCommand("ISON", .afterRegistration, min: 1) { p throws(IRCInputError) in
            .ison(nicks: try nickList(p, of: "ISON"))
        },
        IRCCommand("USERHOST", .afterRegistration, min: 1) { p throws(IRCInputError) in
            .userhost(nicks: Array(try nickList(p, of: "USERHOST").prefix(5)))
        },
        IRCCommand("MOTD", .afterRegistration) { _ in .motd },
        IRCCommand("LUSERS", .afterRegistration) { _ in .lusers },
        IRCCommand("VERSION", .afterRegistration) { _ in .version },
        // About the server, answered by the session (whatever server they name: there is one).
        IRCCommand("TIME", .afterRegistration) { _ in .time },
        IRCCommand("INFO", .afterRegistration) { _ in .info },
        IRCCommand("ADMIN", .afterRegistration) { p in .admin(server: p.first.flatMap { $0.isEmpty ? nil : $0 }) },
        // `LINKS mask` or `LINKS server mask` (RFC 1459 4.3.3).
        IRCCommand("LINKS", .afterRegistration) { p in
            let given = p.prefix(2).filter { !$0.isEmpty }
            return .links(server: given.count == 2 ? given[0] : nil, mask: given.last)
        },
        IRCCommand("HELP", .afterRegistration) { p in .help(topic: p.first.flatMap { $0.isEmpty ? nil : $0 }) },
        IRCCommand("HELPOP", .afterRegistration) { p in .help(topic: p.first.flatMap { $0.isEmpty ? nil : $0 }) },
        // IRCv3 MONITOR: `+ nicks`, `- nicks`, `C`, `L`, `S`.
        IRCCommand("MONITOR", .afterRegistration, min: 1) { p throws(IRCInputError) in
            let sub = p[0].uppercased()
            switch sub {
            case "+", "-":
                guard p.count > 1, !p[1].isEmpty else { throw .needMoreParams("MONITOR") }
                return .monitor(sub == "+" ? .add : .remove, targets: list(p[1]))
            case "C": return .monitor(.clear, targets: [])
            case "L": return .monitor(.list, targets: [])
            case "S": return .monitor(.status, targets: [])
            default: throw .unknownSubcommand("MONITOR", sub)
            }
        },
        // Server operators.
        IRCCommand("OPER", .afterRegistration, min: 2) { p in .oper(name: p[0], password: p[1]) },
        // `KILL nick` without a reason, as Ergo and others accept it.
        IRCCommand("KILL", .afterRegistration, min: 1, nonEmpty: true) { p in .kill(nick: p[0], reason: p.count > 1 ? p[1] : "") },
        IRCCommand("WALLOPS", .afterRegistration, min: 1, nonEmpty: true) { p in .wallops(text: p[0]) },
        // Accounts: SASL, and NickServ as Ergo's and Atheme's users type it (`/ns identify …`).
        IRCCommand("AUTHENTICATE", .always, min: 1, nonEmpty: true) { p in .authenticate(p[0]) },
        IRCCommand("NS", .afterRegistration) { p in .message(kind: .privmsg, targets: ["NickServ"], text: p.joined(separator: " ")) },
        IRCCommand("NICKSERV", .afterRegistration) { p in .message(kind: .privmsg, targets: ["NickServ"], text: p.joined(separator: " ")) },
        IRCCommand("CS", .afterRegistration) { p in .message(kind: .privmsg, targets: ["ChanServ"], text: p.joined(separator: " ")) },
        IRCCommand("CHANSERV", .afterRegistration) { p in .message(kind: .privmsg, targets: ["ChanServ"], text: p.joined(separator: " ")) },
        // IRCv3 (IRCConversation+Caps.swift).
        IRCCommand("TAGMSG", .afterRegistration, min: 1, nonEmpty: true, missing: .recipientThenText) { p in
            .tagmsg(targets: list(p[0]))
        },
        IRCCommand("SETNAME", .afterRegistration, min: 1) { p in .setname(p[0]) },
        IRCCommand("CHATHISTORY", .afterRegistration, min: 0) { p in .chatHistory(HistoryQuery.parse(p)) },
    ]

    /// `#a,#b` as `["#a", "#b"]`.
    private static func list(_ parameter: String) -> [String] {
        parameter.split(separator: ",").map(String.init)
    }

    /// `k1,,k3` as `["k1", "", "k3"]`: an empty key keeps its place.
    private static func keys(_ parameter: String) -> [String] {
        parameter.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    /// PRIVMSG or NOTICE; a CTCP ACTION (`/me`) is the one CTCP the hub knows (people see it
    /// as "* nick waves"); other CTCP goes on as it is, for the recipients' clients.
    private static func message(_ kind: MessageKind, _ p: [String]) -> IRCInput {
        if kind == .privmsg, let action = CTCP.action(in: p[1]) {
            return .message(kind: .action, targets: list(p[0]), text: action)
        }
        return .message(kind: kind, targets: list(p[0]), text: p[1])
    }

    /// Notify lists: `ISON :a b c` (one parameter) or `ISON a b c`; USERHOST alike.
    private static func nickList(_ p: [String], of verb: String) throws(IRCInputError) -> [String] {
        let nicks = p.flatMap { $0.split(separator: " ").map(String.init) }
        guard !nicks.isEmpty else { throw .needMoreParams(verb) }
        return nicks
    }
}
