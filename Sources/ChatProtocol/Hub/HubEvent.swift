/// Fact, from the hub to a session, rendered by the session in its dialect.
/// `source` is a full `nick!user@host` for users, or the server's name.
public enum HubEvent: Equatable, Sendable {
    case welcome(Welcome)
    case error(code: ErrorCode, params: [String], text: String)
    case nick(source: String, newNick: String)
    /// `account`: the joiner's, "" for none; `@account=` to clients with account-tag.
    case join(channel: String, source: String, account: String = "")
    case part(channel: String, source: String, reason: String)
    case quit(source: String, reason: String)
    case kick(channel: String, source: String, nick: String, reason: String)
    /// A message to a channel or to the recipient; `time` is milliseconds since the epoch.
    /// `id` is the hub's number for it (IRCv3 `msgid`, 0 for none), the same for every
    /// recipient and the sender's echo; `tags` the sender's client-only tags as escaped on
    /// the wire (`+draft/reply=…`), shown only to clients that enabled message-tags.
    /// `account`: the account the sender is logged in to ("" for none), shown as
    /// `@account=` to clients that enabled account-tag (the session decides, not the hub).
    case message(source: String, kind: MessageKind, target: String, text: String, time: Int64, id: UInt64 = 0, tags: String = "",
                 account: String = "")
    /// `isChange`: someone just set it (broadcast); otherwise a reply (empty text: no topic).
    case topic(channel: String, text: String, setBy: String, setAt: Int64, isChange: Bool)
    /// Long lists come in several events; all but the last have `more` set, so that a frame
    /// never exceeds `HubFrame.maxPayload` (and IRC clients get one end-of-list reply).
    /// `isSecret`: the channel is `+s` (IRC shows `@` instead of `=` in 353).
    case names(channel: String, members: [Member], more: Bool = false, isSecret: Bool = false)
    /// `whox`: the WHOX format the request asked for (354 replies), echoed by the hub.
    case who(mask: String, entries: [WhoEntry], more: Bool = false, whox: WhoxFormat? = nil)
    /// Instead of `names` for a person joining a crowd: how many are there (a list of
    /// thousands of nicks is noise on a terminal, and sending it to each arrival makes a
    /// crowd's arrivals cost the square of its size).
    case memberCount(channel: String, count: Int)
    case whois(WhoisInfo)
    /// The answer to a WHOIS of a nick nobody has (IRC: 401, then 318 all the same).
    case whoisMissing(nick: String)
    /// The answer to WHOWAS: who had `nick`, newest first; none (IRC: 406) when empty.
    case whowas(nick: String, entries: [WhowasEntry])
    /// Reply to the session's own AWAY.
    case awayStatus(isAway: Bool)
    /// The target of a private message is away.
    case awayReply(nick: String, text: String)
    case channelModes(channel: String, modes: String, createdAt: Int64)
    case list([ChannelSummary], more: Bool = false)
    case motd([String]?)
    /// A notice from the server or its operator, to everyone or to one channel's members.
    case serverNotice(text: String)
    /// The hub ends this connection: tell the user why, flush, close.
    case disconnect(reason: String)
    /// Reply to `lusers`: users (visible, invisible, operators, unregistered), channels and
    /// the most users at once.
    case lusers(LuserCounts)
    /// Reply to `ison`: the nicks asked for that are online, spelled as their owners do.
    case ison(nicks: [String])
    /// Reply to `userhost`: one row for each nick asked for that is online.
    case userhost([UserHost])
    /// A channel operator changed channel modes, broadcast to the channel: the changes of one
    /// MODE line in order (`+o-v+k`), with their parameters in `args` (nicks, the key, the
    /// limit, masks).
    case channelModeChange(channel: String, source: String, modes: String, args: [String])
    /// The answer to the session's `sync` request, with its token: every event the requests
    /// before it brought has come before this one. Not shown to the client.
    case sync(token: UInt64)
    /// `source` invited `nick` to `channel`: sent to the invitee and to the channel's other
    /// operators (IRC clients show theirs only with `invite-notify`). `account`: the
    /// inviter's ("" for none), shown to clients with account-tag.
    case invite(channel: String, source: String, nick: String, account: String = "")
    /// Reply to the session's own `invite`: the invitation went to `nick` (IRC 341).
    case inviting(channel: String, nick: String)
    /// A channel's list mode (`b` bans, `e` ban exceptions, `I` invite exceptions), all of it.
    case modeList(channel: String, mode: String, entries: [ModeListEntry])
    /// Watched nicks that are online (`nick!user@host`) and offline (nicks): the answer to
    /// MONITOR + and S, and the news when a watched nick comes, goes or is renamed.
    case monitor(online: [String], offline: [String])
    /// The nicks the session watches (MONITOR L).
    case monitorList(targets: [String])
    /// The user's own modes as the hub holds them (`+iwo`, `+` when none): the answer to a
    /// query (`isChange` false, IRC 221), or what just changed (`+o`, `-i`), from `nick`.
    case userModes(nick: String, modes: String, isChange: Bool)
    /// OPER succeeded: the session's user is a server operator, by the operator block `name`.
    case youreOper(name: String)
    /// The session's user logged in to `account` (NickServ IDENTIFY or REGISTER, SASL): IRC 900.
    case loggedIn(nick: String, source: String, account: String)
    /// The session's user logged out (NickServ LOGOUT, DROP): IRC 901.
    case loggedOut(nick: String, source: String)
    /// The answer to the session's `authenticate` request (SASL): IRC 903, 904 or 907.
    case saslResult(SASLOutcome)
    /// A notice from one of the server's services (`NickServ`) to the session's user.
    case serviceNotice(service: String, text: String)
    /// A server operator's message to users with +w and to operators; `source` is `nick!user@host`.
    case wallops(source: String, text: String)
    /// IRCv3 TAGMSG: client-only tags alone, to a channel or a user that enabled message-tags.
    /// `account`: the sender's, "" for none; `@account=` to clients with account-tag.
    case tagMessage(source: String, target: String, tags: String, time: Int64, id: UInt64, account: String = "")
    /// IRCv3 away-notify: a channel peer went away (`text`) or came back (nil); also after
    /// the JOIN of someone who is away. Sent only to sessions that enabled away-notify.
    case awayChange(source: String, text: String?)
    /// IRCv3 setname: a user (a channel peer, or the session's own) has a new real name.
    /// Sent to peers that enabled setname, and to the user itself.
    case setName(source: String, realName: String)
    /// A JOIN with the joiner's real name and account ("" for none) (IRCv3 extended-join),
    /// instead of `join` to the sessions that enabled extended-join.
    case extendedJoin(channel: String, source: String, realName: String, account: String = "")
    /// Reply to `invitations`: the channels the user may join once by invitation, oldest first.
    case invitations(channels: [String])
    /// Answer to `tlsSign`: the signature, or nothing when refused (the handshake then fails).
    case tlsSignature([UInt8])
    /// IRCv3 CHATHISTORY's answer begins (`isEnd` false) or ends: the history's message
    /// events, as first sent, come between the two.
    case historyBatch(target: String, isEnd: Bool)
    /// CHATHISTORY of a target the user may not read (not a channel it is in):
    /// `FAIL CHATHISTORY INVALID_TARGET`. `subcommand` is `HistoryQuery.Subcommand`'s name.
    case historyRefused(subcommand: String, target: String)
    /// Answer to `CHATHISTORY TARGETS`: the targets with a line between its two times, oldest
    /// latest line first, at most `HistoryQuery.maxLimit`.
    case historyTargets([HistoryTarget])
    /// IRCv3 account-notify: a channel peer logged in to `account`, or out ("" for none).
    /// Sent only to sessions that enabled account-notify.
    case accountChange(source: String, account: String)
}

/// The nick part of a `nick!user@host` source (the whole string when there is no `!`).
public func nickOf(_ source: String) -> Substring {
    if let bang = source.utf8.firstIndex(of: UInt8(ascii: "!")) { return source[..<bang] }
    return source[...]
}
