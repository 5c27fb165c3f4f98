/// A channel member as the NAMES reply lists it.
public struct Member: Equatable, Sendable {
    public var nick: String
    public var isOperator: Bool
    public init(nick: String, isOperator: Bool) {
        self.nick = nick
        self.isOperator = isOperator
    }
}
