/// Intent, from a session to the hub. The hub decides and answers with events.
public enum HubRequest: Equatable, Sendable {
    /// The session has recognised its client's dialect.
    case hello(dialect: Dialect)
    case register(nick: String, user: String, realName: String)
    case nick(String)
    case join(channels: [String])
    case part(channels: [String], reason: String)
    /// One target per request; the session splits comma lists.
    case message(kind: MessageKind, target: String, text: String)
    /// `text == nil` asks for the topic.
    case topic(channel: String, text: String?)
    /// `channel == nil` lists the session's own channels.
    case names(channel: String?)
    case who(mask: String)
    case whois(nick: String)
    case kick(channel: String, nick: String, reason: String)
    /// `text == nil` marks the user back.
    case away(text: String?)
    case mode(target: String, args: [String])
    case list
    case motd
    case quit(reason: String)
    /// How many are online and how many channels there are (IRC LUSERS).
    case lusers
    /// Which of these nicks are online (IRC ISON, for clients' notify lists).
    case ison(nicks: [String])
    /// The address and away state of these nicks, those online (IRC USERHOST, at most 5).
    case userhost(nicks: [String])
    /// A barrier: the hub answers with the event `sync` and the same token once it has handled
    /// every request the session sent before this one (it handles a session's requests in
    /// order), so every answer to them is already on its way. Answered before registration
    /// and after a quit too.
    case sync(token: UInt64)
    /// The IRCv3 capabilities the client enabled that change what the hub sends it
    /// (`IRCCapability.concernsHub`: echo-message, message-tags, away-notify, extended-join,
    /// setname), by name, sent again whenever they change; names the hub does not know are
    /// ignored. Accepted before registration too.
    case capabilities(names: [String])
    /// A message with client-only tags (`+draft/reply=…;+typing=active`, escaped as on the
    /// wire, at most `RequestLimits.tags` bytes): relayed to those who enabled message-tags.
    case taggedMessage(kind: MessageKind, target: String, text: String, tags: String)
    /// IRCv3 TAGMSG: client-only tags alone, to those who enabled message-tags.
    case tagMessage(target: String, tags: String)
    /// IRCv3 SETNAME: a new real name.
    case setName(realName: String)
}
