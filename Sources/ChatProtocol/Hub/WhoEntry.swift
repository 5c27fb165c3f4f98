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
    /// A server operator (user mode +o): `*` in the reply's flags.
    public var isServerOperator: Bool
    /// Seconds since the user last did something (WHOX's `l` field).
    public var idleSeconds: Int64
    public init(channel: String, nick: String, user: String, host: String, realName: String, isAway: Bool, isOperator: Bool,
                isVoiced: Bool = false, isServerOperator: Bool = false, idleSeconds: Int64 = 0) {
        self.channel = channel; self.nick = nick; self.user = user; self.host = host
        self.realName = realName; self.isAway = isAway; self.isOperator = isOperator; self.isVoiced = isVoiced
        self.isServerOperator = isServerOperator; self.idleSeconds = idleSeconds
    }
}
