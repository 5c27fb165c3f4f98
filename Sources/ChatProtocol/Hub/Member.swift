/// A channel member as the NAMES reply lists it.
public struct Member: Equatable, Sendable {
    public var nick: String
    public var isOperator: Bool
    /// Voiced (`+v`): may speak in a moderated channel.
    public var isVoiced: Bool
    /// `nick!user@host`, for IRC clients with `userhost-in-names` (the hub's string for the
    /// user, shared, not built per NAMES); empty when unknown.
    public var source: String
    public init(nick: String, isOperator: Bool, isVoiced: Bool = false, source: String = "") {
        self.nick = nick
        self.isOperator = isOperator
        self.isVoiced = isVoiced
        self.source = source
    }

    /// The member's prefixes, highest first: `@+` with `all` (IRC `multi-prefix`), else only
    /// the highest (`@` or `+`).
    public func prefixes(all: Bool) -> String {
        if isOperator { return all && isVoiced ? "@+" : "@" }
        return isVoiced ? "+" : ""
    }
}
