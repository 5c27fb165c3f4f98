/// One row of a USERHOST reply: someone who is online, and whether they are away.
public struct UserHost: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var isAway: Bool
    public init(nick: String, user: String, host: String, isAway: Bool) {
        self.nick = nick; self.user = user; self.host = host; self.isAway = isAway
    }
}
