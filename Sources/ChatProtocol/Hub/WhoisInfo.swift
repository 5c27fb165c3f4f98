/// WHOIS facts about one user.
public struct WhoisInfo: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var realName: String
    public var channels: [String]  // with "@" before channels where the user is operator
    public var idleSeconds: Int64
    public var signonTime: Int64
    public var away: String?
    /// A server operator (IRC 313).
    public var isServerOperator: Bool
    /// The account the user is logged in to (IRC 330); nil when not logged in.
    public var account: String?
    public init(nick: String, user: String, host: String, realName: String, channels: [String],
                idleSeconds: Int64, signonTime: Int64, away: String?, isServerOperator: Bool = false,
                account: String? = nil) {
        self.nick = nick; self.user = user; self.host = host; self.realName = realName
        self.channels = channels; self.idleSeconds = idleSeconds; self.signonTime = signonTime; self.away = away
        self.isServerOperator = isServerOperator
        self.account = account
    }
}
