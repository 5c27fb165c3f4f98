/// A channel member as the NAMES reply lists it.
public struct Member: Equatable, Sendable {
    public var nick: String
    public var isOperator: Bool
    /// Voiced (`+v`): may speak in a moderated channel.
    public var isVoiced: Bool
    /// `user@host`, for IRC clients with `userhost-in-names`.
    public var userHost: String
    public init(nick: String, isOperator: Bool, isVoiced: Bool = false, userHost: String = "") {
        self.nick = nick
        self.isOperator = isOperator
        self.isVoiced = isVoiced
        self.userHost = userHost
    }

    /// The member's prefixes, highest first: `@+` with `all` (IRC `multi-prefix`), else only
    /// the highest (`@` or `+`).
    public func prefixes(all: Bool) -> String {
        if isOperator { return all && isVoiced ? "@+" : "@" }
        return isVoiced ? "+" : ""
    }
}
