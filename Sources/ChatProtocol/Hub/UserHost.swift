/// One row of a USERHOST reply: someone who is online, whether they are away, and whether
/// they are a server operator.
public struct UserHost: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var isAway: Bool
    public var isServerOperator: Bool
    public init(nick: String, user: String, host: String, isAway: Bool, isServerOperator: Bool = false) {
        self.nick = nick; self.user = user; self.host = host; self.isAway = isAway
        self.isServerOperator = isServerOperator
    }
}
