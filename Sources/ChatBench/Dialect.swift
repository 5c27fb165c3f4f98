import ChatPOSIX

/// What the bench speaks to the server.
enum Dialect: String, CaseIterable, Sendable {
    /// Telnet users of chat-server: greeted, answer with a nick, land in #lobby.
    case human
    /// IRC clients: NICK/USER, JOIN the channel, PRIVMSG to it.
    case irc
    /// Any line server (ncat --chat): every line goes to everyone.
    case raw
    /// Half human, half IRC in the same channel (#lobby), for chat-server.
    case mixed
    /// Telnet users in character mode (chat-server edits their input line): every key a
    /// write of its own.
    case typist
}
