/// One row of a WHO reply.
public struct WhoEntry: Equatable, Sendable {
    public var channel: String  // "*" when not asked through a channel
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    public var isAway: Bool
    public var isOperator: Bool
    /// A server operator (user mode +o): `*` in the reply's flags.
    public var isServerOperator: Bool
    public init(channel: String, nick: String, user: String, host: String, realName: String, isAway: Bool, isOperator: Bool,
                isServerOperator: Bool = false) {
        self.channel = channel; self.nick = nick; self.user = user; self.host = host
        self.realName = realName; self.isAway = isAway; self.isOperator = isOperator
        self.isServerOperator = isServerOperator
    }
}
