/// An IRCv3 capability the server offers (`CAP LS`) and a client may enable (`CAP REQ`): one
/// case per capability, so that offering one more is one case here and the code that honours it.
public enum IRCCapability: String, CaseIterable, Sendable {
    /// `@time=` on messages (https://ircv3.net/specs/extensions/server-time).
    case serverTime = "server-time"
    /// Every prefix of a member in NAMES and WHO, not only the highest
    /// (https://ircv3.net/specs/extensions/multi-prefix).
    case multiPrefix = "multi-prefix"
    /// `nick!user@host` in NAMES (https://ircv3.net/specs/extensions/userhost-in-names).
    case userhostInNames = "userhost-in-names"
    /// The INVITE line also for invitations to a channel one operates, sent by others
    /// (https://ircv3.net/specs/extensions/invite-notify).
    case inviteNotify = "invite-notify"
    /// Client-only tags (`+draft/reply`, `+typing`) relayed, `TAGMSG`, `msgid` on messages
    /// (https://ircv3.net/specs/extensions/message-tags).
    case messageTags = "message-tags"
    /// The sender gets its own PRIVMSG, NOTICE and TAGMSG back as the recipients get them
    /// (https://ircv3.net/specs/extensions/echo-message).
    case echoMessage = "echo-message"
    /// Replies grouped in `BATCH +id type … BATCH -id` (https://ircv3.net/specs/extensions/batch).
    case batch
    /// A command's `@label=` comes back on its replies (https://ircv3.net/specs/extensions/labeled-response).
    case labeledResponse = "labeled-response"
    /// `FAIL`, `WARN`, `NOTE` (https://ircv3.net/specs/extensions/standard-replies); sent
    /// whether or not it was asked for, as Ergo does.
    case standardReplies = "standard-replies"
    /// `CAP NEW`/`CAP DEL` when the offer changes; enabled by `CAP LS 302` (it never changes
    /// while a server runs, so nothing is ever sent).
    case capNotify = "cap-notify"
    /// `AWAY` of channel peers as it changes (https://ircv3.net/specs/extensions/away-notify).
    case awayNotify = "away-notify"
    /// `JOIN #chan account :realname` (https://ircv3.net/specs/extensions/extended-join).
    case extendedJoin = "extended-join"
    /// `SETNAME :realname`, and peers' changes (https://ircv3.net/specs/extensions/setname).
    case setname
    /// IRCv3 `CHATHISTORY` over channels' history (https://ircv3.net/specs/extensions/chathistory),
    /// answered in a `chathistory` batch (with `batch`) of lines with their `time` and `msgid`.
    case chatHistory = "draft/chathistory"
    /// SASL logins to accounts, PLAIN (https://ircv3.net/specs/extensions/sasl-3.2).
    case sasl
    /// `ACCOUNT name` (`*` on logout) of channel peers as they log in and out
    /// (https://ircv3.net/specs/extensions/account-notify).
    case accountNotify = "account-notify"
    /// `@account=name` on messages from users logged in (https://ircv3.net/specs/extensions/account-tag).
    case accountTag = "account-tag"

    /// The value `CAP LS 302` gives after `=`; nil for a capability without one.
    public var value: String? {
        if self == .sasl { return SASLExchange.mechanisms }
        return nil
    }

    /// The capabilities the hub has to know of, because they change what it sends a session
    /// (told by the `capabilities` request); the others are the session's alone.
    public var concernsHub: Bool {
        switch self {
        case .messageTags, .echoMessage, .awayNotify, .extendedJoin, .setname, .accountNotify: return true
        // account-tag: every message carries its sender's account; the session shows it or not.
        case .serverTime, .batch, .labeledResponse, .standardReplies, .capNotify, .multiPrefix, .userhostInNames,
             .inviteNotify, .chatHistory, .sasl, .accountTag: return false
        }
    }

    /// The capability a `CAP REQ` word names (`server-time`, or `-server-time` to disable);
    /// nil for one the server does not offer.
    public static func requested(_ word: Substring) -> (capability: IRCCapability, enable: Bool)? {
        let enable = !word.hasPrefix("-")
        guard let c = IRCCapability(rawValue: String(enable ? word : word.dropFirst())) else { return nil }
        return (c, enable)
    }

    /// Every capability the server offers, as `CAP LS` lists them (without values).
    public static var offered: String { allCases.map(\.rawValue).joined(separator: " ") }

    /// The words of `CAP LS` for a client that gave `version` (0 without one): with their
    /// values from 302 on, as the spec says, packed into groups of at most `maxBytes` bytes,
    /// one line each (all but the last sent with a `*` before the list). Before 302 a client
    /// gets one line, whatever its length: it would not understand the `*`. `extra`: words a
    /// 302 client is offered besides (`sts=port=6697`: informational, never requested).
    public static func lsGroups(version: Int, maxBytes: Int = 400, extra: [String] = []) -> [String] {
        if version < 302 { return [offered] }
        let words = allCases.map { c in c.value.map { "\(c.rawValue)=\($0)" } ?? c.rawValue } + extra
        var groups: [String] = []
        var line = ""
        for w in words {
            if !line.isEmpty && line.utf8.count + 1 + w.utf8.count > maxBytes {
                groups.append(line)
                line = ""
            }
            line += line.isEmpty ? w : " " + w
        }
        groups.append(line)
        return groups
    }
}
