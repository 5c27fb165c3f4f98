/// Someone who had a nick before: one row of a WHOWAS reply.
public struct WhowasEntry: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    /// The server they were on.
    public var server: String
    /// When they left the nick (quit or changed it), in Unix seconds.
    public var leftAt: Int64
    public init(nick: String, user: String, host: String, realName: String, server: String, leftAt: Int64) {
        self.nick = nick; self.user = user; self.host = host; self.realName = realName
        self.server = server; self.leftAt = leftAt
    }
}
