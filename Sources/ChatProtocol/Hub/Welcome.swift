/// What the hub tells a session once its registration is accepted.
public struct Welcome: Equatable, Sendable {
    public var nick: String
    public var user: String
    public var host: String
    public var serverName: String
    public var network: String
    public var version: String
    public var createdAt: Int64  // Unix seconds
    public var isupport: [String]  // ISUPPORT tokens, e.g. "CHANTYPES=#"
    public var users: Int
    public var channels: Int
    public var motd: [String]?  // nil: there is no MOTD
    public init(nick: String, user: String, host: String, serverName: String, network: String, version: String,
                createdAt: Int64, isupport: [String], users: Int, channels: Int, motd: [String]?) {
        self.nick = nick; self.user = user; self.host = host; self.serverName = serverName
        self.network = network; self.version = version; self.createdAt = createdAt
        self.isupport = isupport; self.users = users; self.channels = channels; self.motd = motd
    }
}
