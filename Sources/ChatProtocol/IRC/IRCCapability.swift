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

    /// The capability a `CAP REQ` word names (`server-time`, or `-server-time` to disable);
    /// nil for one the server does not offer.
    public static func requested(_ word: Substring) -> (capability: IRCCapability, enable: Bool)? {
        let enable = !word.hasPrefix("-")
        guard let c = IRCCapability(rawValue: String(enable ? word : word.dropFirst())) else { return nil }
        return (c, enable)
    }

    /// Every capability the server offers, as `CAP LS` lists them.
    public static var offered: String { allCases.map(\.rawValue).joined(separator: " ") }
}
