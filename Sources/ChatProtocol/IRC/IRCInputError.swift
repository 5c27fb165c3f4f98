/// Why a well-formed IRC line is not a command the server carries out: each case is answered
/// with one numeric reply (`numeric`), and the connection goes on.
public enum IRCInputError: Error, Equatable, Sendable {
    /// 461: fewer parameters than the command needs (the verb as sent, uppercased).
    case needMoreParams(String)
    /// 411: PRIVMSG or NOTICE without a target.
    case noRecipient(String)
    /// 412: PRIVMSG or NOTICE without text, or with empty text.
    case noTextToSend
    /// 431: NICK without a nickname.
    case noNicknameGiven
    /// 409: PING without a token.
    case noOrigin
    /// 410: a CAP subcommand the server does not know.
    case invalidCapCommand(String)
    /// 462: a registration command (PASS, USER) after registration.
    case alreadyRegistered
    /// 451: a command that needs registration, or an unknown one, before it.
    case notRegistered
    /// 421: not a command of this server.
    case unknownCommand(String)
    /// 461 too, with a text that says so: a subcommand the command does not have
    /// (`MONITOR X`).
    case unknownSubcommand(String, String)

    /// The numeric that answers the error: its code, the parameters after the client's nick,
    /// and the text.
    public var numeric: (code: Int, params: [String], text: String) {
        switch self {
        case .needMoreParams(let verb): return (461, [verb], "Not enough parameters")
        case .noRecipient(let verb): return (411, [], "No recipient given (\(verb))")
        case .noTextToSend: return (412, [], "No text to send")
        case .noNicknameGiven: return (431, [], "No nickname given")
        case .noOrigin: return (409, [], "No origin specified")
        case .invalidCapCommand(let sub): return (410, [sub], "Invalid CAP command")
        case .alreadyRegistered: return (462, [], "You may not reregister")
        case .notRegistered: return (451, [], "You have not registered")
        case .unknownCommand(let verb): return (421, [verb], "Unknown command")
        case .unknownSubcommand(let verb, let sub): return (461, [verb], "Unknown subcommand \(sub.prefix(16))")
        }
    }
}
