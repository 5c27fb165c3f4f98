/// Intent, from a session to the hub. The hub decides and answers with events.
public enum HubRequest: Equatable, Sendable {
    /// The session has recognised its client's dialect.
    case hello(dialect: Dialect)
    case register(nick: String, user: String, realName: String)
    case nick(String)
    /// `keys` pair with `channels` in order (a channel's key, `+k`); fewer keys than channels
    /// leave the rest without one.
    case join(channels: [String], keys: [String] = [])
    case part(channels: [String], reason: String)
    /// One target per request; the session splits comma lists.
    case message(kind: MessageKind, target: String, text: String)
    /// `text == nil` asks for the topic.
    case topic(channel: String, text: String?)
    /// `channel == nil` lists the session's own channels.
    case names(channel: String?)
    /// `options`: the `o` flag and WHOX's fields (`WhoOptions`).
    case who(mask: String, options: WhoOptions = WhoOptions())
    case whois(nick: String)
    /// Who had `nick` before, newest first; `count` of them, 0 for all the hub keeps.
    case whowas(nick: String, count: Int = 0)
    case kick(channel: String, nick: String, reason: String)
    /// `text == nil` marks the user back.
    case away(text: String?)
    case mode(target: String, args: [String])
    /// Channels by name, `*`/`?` masks, `!mask` (not those), `>n` and `<n` (more or fewer
    /// users than n; ISUPPORT `ELIST=MNU`); empty: every channel.
    case list(channels: [String])
    case motd
    case quit(reason: String)
    /// How many are online and how many channels there are (IRC LUSERS).
    case lusers
    /// The channels the user is invited to and has not joined since (IRC `INVITE` alone).
    case invitations
    /// Which of these nicks are online (IRC ISON, for clients' notify lists).
    case ison(nicks: [String])
    /// The address and away state of these nicks, those online (IRC USERHOST, at most 5).
    case userhost(nicks: [String])
    /// A barrier: the hub answers with the event `sync` and the same token once it has handled
    /// every request the session sent before this one (it handles a session's requests in
    /// order), so every answer to them is already on its way. Answered before registration
    /// and after a quit too.
    case sync(token: UInt64)
    /// Invite `nick` to `channel` (IRC INVITE): an invitation lets them join once, past `+i`,
    /// `+k`, `+l` and bans.
    case invite(nick: String, channel: String)
    /// IRCv3 MONITOR: the session's list of watched nicks (`targets` for add and remove).
    case monitor(MonitorAction, targets: [String])
    /// Become a server operator: `name` of an operator block in the server's config, and its
    /// password (IRC OPER, telnet /oper). The hub has the password checked by its password
    /// worker, never by the session: a session's word is not proof.
    case oper(name: String, password: String)
    /// Log in to `account` with `password` (SASL PLAIN, during or after registration). The
    /// hub has the password checked by its password worker and answers with `saslResult`.
    case authenticate(account: String, password: String)
    /// Log in by the client's TLS certificate (SASL EXTERNAL): to the account that holds the
    /// certificate's fingerprint (`tlsInfo`), which must be `account` when that is not empty
    /// (the client's authorization identity). Answered with `saslResult`.
    case authenticateExternal(account: String)
    /// A server operator ends another user's connection (IRC KILL, telnet /kill).
    case kill(nick: String, reason: String)
    /// A server operator's message to every user with user mode +w and every operator.
    case wallops(text: String)
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
    /// IRCv3 CHATHISTORY: lines of a channel's history (`HistoryQuery`).
    case chatHistory(HistoryQuery)
    /// The client's TLS handshake is done: its protocol version and cipher, for the console's
    /// `who`, and the SHA-256 fingerprint of the certificate the client presented (64 lower-case
    /// hex digits; empty for none), its identity for SASL EXTERNAL and NickServ CERT. Sent once,
    /// before registration, by a session on a TLS port (issue 15).
    case tlsInfo(version: String, cipher: String, certificate: String)
    /// A TLS handshake's one signature, asked of the hub, which holds the private key: `kind`
    /// 1 ECDSA over a digest, 2 an RSA private-key operation with `padding`; at most
    /// `RequestLimits.signatureInput` bytes. Granted once per session, before its hello.
    case tlsSign(kind: UInt8, padding: UInt8, input: [UInt8])
}
