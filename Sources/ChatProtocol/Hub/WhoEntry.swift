/// One row of a WHO reply.
public struct WhoEntry: Equatable, Sendable {
    public var channel: String  // "*" when not asked through a channel
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    public var isAway: Bool
    public var isOperator: Bool
    /// Voiced in `channel` (`+`).
    public var isVoiced: Bool
    public init(channel: String, nick: String, user: String, host: String, realName: String, isAway: Bool, isOperator: Bool,
                isVoiced: Bool = false) {
        self.channel = channel; self.nick = nick; self.user = user; self.host = host
        self.realName = realName; self.isAway = isAway; self.isOperator = isOperator; self.isVoiced = isVoiced
    }
}
