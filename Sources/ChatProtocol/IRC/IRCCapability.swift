/// An IRCv3 capability the server offers (`CAP LS`) and a client may enable (`CAP REQ`): one
/// case per capability, so that offering one more is one case here and the code that honours it.
public enum IRCCapability: String, CaseIterable, Sendable {
    /// `@time=` on messages (https://ircv3.net/specs/extensions/server-time).
    case serverTime = "server-time"

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
