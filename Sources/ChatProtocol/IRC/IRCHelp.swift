/// What IRC's HELP (and HELPOP) says about each command: its syntax and what it does, for the
/// commands of `IRCCommand.all`. Answered as 704, 705…, 706, or 524 for an unknown topic.
public enum IRCHelp {
    /// One topic: the command's syntax and what it does.
    public struct Topic: Sendable {
        public let verb: String
        public let usage: String
        public let summary: String
    }

    public static let topics: [Topic] = [
        Topic(verb: "ADMIN", usage: "ADMIN [server]", summary: "who runs this server"),
        Topic(verb: "AWAY", usage: "AWAY [:message]", summary: "mark yourself away; AWAY alone: back again"),
        Topic(verb: "CAP", usage: "CAP LS|LIST|REQ|END", summary: "IRCv3 capability negotiation"),
        Topic(verb: "HELP", usage: "HELP [command]", summary: "this list, or the syntax of one command (HELPOP too)"),
        Topic(verb: "INFO", usage: "INFO", summary: "about the server software"),
        Topic(verb: "INVITE", usage: "INVITE [nick #channel]", summary: "invite someone to a channel; INVITE alone: your invitations"),
        Topic(verb: "ISON", usage: "ISON nick...", summary: "which of these nicks are online"),
        Topic(verb: "JOIN", usage: "JOIN #channel{,#channel} | JOIN 0", summary: "join channels; JOIN 0 leaves them all"),
        Topic(verb: "KICK", usage: "KICK #channel nick{,nick} [:reason]", summary: "remove someone from a channel (operators)"),
        Topic(verb: "LINKS", usage: "LINKS [[server] mask]", summary: "the servers of the network (this one: there are no links)"),
        Topic(verb: "LIST", usage: "LIST [#channel{,#channel}|mask|!mask|>n|<n]", summary: "channels with their users and topics (ELIST=MNU)"),
        Topic(verb: "LUSERS", usage: "LUSERS", summary: "how many users, operators and channels there are"),
        Topic(verb: "MODE", usage: "MODE target [modes [arguments]]", summary: "show or change a channel's or your own modes"),
        Topic(verb: "MONITOR", usage: "MONITOR +|- nick{,nick} | C | L | S",
              summary: "be told when nicks come online or leave (add, remove, clear, list, status)"),
        Topic(verb: "MOTD", usage: "MOTD", summary: "the message of the day"),
        Topic(verb: "NAMES", usage: "NAMES [#channel{,#channel}]", summary: "who is in a channel"),
        Topic(verb: "NICK", usage: "NICK nickname", summary: "choose or change your nickname"),
        Topic(verb: "NOTICE", usage: "NOTICE target{,target} :text", summary: "a message that is never answered automatically"),
        Topic(verb: "PART", usage: "PART #channel{,#channel} [:reason]", summary: "leave channels"),
        Topic(verb: "PASS", usage: "PASS password", summary: "accepted and ignored: there is no connection password"),
        Topic(verb: "PING", usage: "PING token", summary: "answered with PONG and the same token"),
        Topic(verb: "PRIVMSG", usage: "PRIVMSG target{,target} :text", summary: "send a message to channels or nicks (at most 4)"),
        Topic(verb: "QUIT", usage: "QUIT [:reason]", summary: "leave the server"),
        Topic(verb: "TIME", usage: "TIME", summary: "the server's time"),
        Topic(verb: "TOPIC", usage: "TOPIC #channel [:topic]", summary: "show or set a channel's topic"),
        Topic(verb: "USER", usage: "USER username 0 * :real name", summary: "register (the real name may not be empty)"),
        Topic(verb: "USERHOST", usage: "USERHOST nick...", summary: "the address of up to five nicks"),
        Topic(verb: "VERSION", usage: "VERSION", summary: "the server's version and ISUPPORT tokens"),
        Topic(verb: "WHO", usage: "WHO mask", summary: "users in a channel or matching a mask"),
        Topic(verb: "WHOIS", usage: "WHOIS nick", summary: "about one user"),
    ]

    /// The topic for `verb` (any case), nil when there is none.
    public static func topic(_ verb: String) -> Topic? {
        let key = IRCMessage.verb(of: verb)
        return topics.first { $0.verb == key }
    }
}
