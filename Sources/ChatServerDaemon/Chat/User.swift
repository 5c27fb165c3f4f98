import ChatProtocol

/// One connected user, as the hub sees it.
struct User {
    var id: Int
    var host: String
    var dialect: Dialect = .human
    var nick: String = "*" { didSet { source = "\(nick)!\(user)@\(host)" } }
    var user: String = "" { didSet { source = "\(nick)!\(user)@\(host)" } }
    var realName: String = ""
    var registered = false
    var away: String?
    var channels: Set<String> = []  // folded channel names
    var connectedAt: Int64  // ms
    var lastActive: Int64  // ms
    var mutedUntil: Int64 = 0  // ms; Int64.max for "until unmuted"
    /// The IRCv3 capabilities its session told the hub of (`capabilities` request).
    var caps: PeerCapabilities = []
    /// `nick!user@host`, kept up to date so the hot path does not build it per message.
    private(set) var source: String = ""
}
