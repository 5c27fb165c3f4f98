/// One line from an IRC client, understood: a command of the server's IRC dialect with its
/// parameters checked (how many, who may send it) against its row in `IRCCommand.all`.
///
/// `parse` throws `IRCInputError` for a line the server answers with an error numeric
/// instead; lines that are not IRC messages at all are `IRCMessage`'s business (`IRCParseError`).
public enum IRCInput: Equatable, Sendable {
    /// `CAP LS [version]`: list the capabilities; `version` 0 without one (3.1), 302 or more
    /// for values, several lines and cap-notify.
    case capLS(version: Int)
    /// `CAP LIST`: the capabilities in use.
    case capList
    /// `CAP REQ :caps`: the requested capabilities as sent (`""` when none).
    case capReq(String)
    /// `CAP END`: negotiation over, registration may go on.
    case capEnd
    /// `PASS`: accepted and ignored (there is no connection password).
    case pass
    /// `NICK name`: the nick to register with, or a nick change.
    case nick(String)
    /// `USER user mode unused :real name`
    case user(user: String, realName: String)
    /// `PING token`: answered with a PONG.
    case ping(token: String)
    /// `PONG`: the client is alive (any line says that).
    case pong
    /// `QUIT [:reason]`
    case quit(reason: String?)
    /// `JOIN #a,#b [key1,key2]`
    case join(channels: [String], keys: [String] = [])
    /// `INVITE nick #channel`
    case invite(nick: String, channel: String)
    /// `INVITE` alone: the channels we are invited to (336, 337).
    case invitations
    /// `JOIN 0`: leave every channel.
    case partAll
    /// `PART #a,#b [:reason]`, `""` without a reason.
    case part(channels: [String], reason: String)
    /// `PRIVMSG`/`NOTICE targets :text`; a CTCP ACTION is `.action` with the action's text.
    /// Every target as sent: the session decides how many it sends to.
    case message(kind: MessageKind, targets: [String], text: String)
    /// `TOPIC #channel [:text]`: nil asks for the topic.
    case topic(channel: String, text: String?)
    /// `NAMES [#a,#b]`: nil means every channel.
    case names(channels: [String]?)
    /// `WHO [mask [o][%fields[,token]]]`, `*` without a mask.
    case who(mask: String, options: WhoOptions = WhoOptions())
    /// `WHOIS [server] nick[,nick…]`: the nicks as sent (the session keeps the first few,
    /// once each); `server` when two parameters were given.
    case whois(server: String?, nicks: [String])
    /// `WHOWAS nick[,nick…] [count [server]]`: `count` 0 (or none, or not positive) for all.
    case whowas(nicks: [String], count: Int)
    /// `KICK #channel nick1,nick2 [:reason]` (each nick from the channel) or `KICK #a,#b n1,n2`
    /// (pairs: as many channels as nicks), `""` without a reason.
    case kick(channels: [String], nicks: [String], reason: String)
    /// `AWAY [:text]`: nil (or empty text) marks the user back.
    case away(String?)
    /// `MODE target [args…]`
    case mode(target: String, args: [String])
    /// `LIST [#a,#b or ELIST filters]`, `[]` for every channel.
    case list(channels: [String])
    /// `MOTD`
    case motd
    /// `LUSERS`
    case lusers
    /// `VERSION`: about this server, whatever the target.
    case version
    /// `ISON nick…`
    case ison(nicks: [String])
    /// `USERHOST nick…`, at most five.
    case userhost(nicks: [String])
    /// `TIME`: the server's time (391).
    case time
    /// `INFO`: about the server software (371, 374).
    case info
    /// `ADMIN [server]`: who runs the server (256-259).
    case admin(server: String?)
    /// `LINKS [[server] mask]`: the servers of the network matching `mask` (364, 365).
    case links(server: String?, mask: String?)
    /// `HELP [topic]` or `HELPOP [topic]` (704, 705, 706; 524).
    case help(topic: String?)
    /// `MONITOR + nicks`, `- nicks`, `C`, `L`, `S`.
    case monitor(MonitorAction, targets: [String])
    /// `OPER name password`
    case oper(name: String, password: String)
    /// `AUTHENTICATE <mechanism or payload>` (SASL, `SASLExchange`).
    case authenticate(String)
    /// `KILL nick [:reason]`, `""` without a reason.
    case kill(nick: String, reason: String)
    /// `WALLOPS :text`
    case wallops(text: String)
    /// IRCv3 `TAGMSG targets`: the line's client-only tags alone (IRCConversation+Caps.swift).
    case tagmsg(targets: [String])
    /// IRCv3 `SETNAME :real name`.
    case setname(String)
    /// IRCv3 `CHATHISTORY …`: a query, or why it was refused (IRCConversation+History.swift).
    case chatHistory(Result<HistoryQuery, HistoryQuery.Refusal>)

    /// Understands `message` from a client that is (`registered`) or is not yet registered.
    /// An unknown command is 421 once registered and 451 before, as a registered-only one is.
    public static func parse(_ message: IRCMessage, registered: Bool) throws(IRCInputError) -> IRCInput {
        let verb = message.verb
        guard let command = IRCCommand.named(verb) else {
            throw registered ? .unknownCommand(verb) : .notRegistered
        }
        switch command.access {
        case .beforeRegistration where registered: throw .alreadyRegistered
        case .afterRegistration where !registered: throw .notRegistered
        default: break
        }
        let p = message.params
        if p.count < command.minParams || (command.nonEmpty && p[command.minParams - 1].isEmpty) {
            throw command.missingError(given: p.count)
        }
        return try command.parse(p)
    }

    /// Whether a client's first line starts IRC registration (`CAP`, `NICK`, `USER` or `PASS`,
    /// in any case, after any spaces): that makes the connection an IRC client's.
    public static func startsRegistration(_ line: [UInt8]) -> Bool {
        var word: [UInt8] = []
        for b in line {
            if b == UInt8(ascii: " ") { if word.isEmpty { continue } else { break } }
            word.append(b)
            if word.count > 4 { return false }
        }
        let verb = IRCMessage.verb(of: String(decoding: word, as: UTF8.self))
        return verb == "CAP" || verb == "NICK" || verb == "USER" || verb == "PASS"
    }
}
