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
    /// Channels (folded names) the user was invited to and has not joined since, newest
    /// last, at most `ChatState.maxInvitations`: each lets them join once.
    var invitations: [String] = []
    /// User mode +i: left out of WHO by mask for people who share no channel with it.
    var invisible = false
    /// User mode +w: receives WALLOPS (server operators get them anyway).
    var wallops = false
    /// The operator block this user opered up with (user mode +o); nil for everyone else.
    var operName: String?
    /// The account the user is logged in to (its name as registered); nil when not logged in.
    var account: String?
    /// A server operator (user mode +o), set only by a successful OPER.
    var isOperator: Bool { operName != nil }
    /// The IRCv3 capabilities its session told the hub of (`capabilities` request).
    var caps: PeerCapabilities = []
    /// "TLSv1.3/TLS_AES_256_GCM_SHA384" for a client on a TLS port, once its handshake is done.
    var tls: String?
    /// The SHA-256 fingerprint (64 lower-case hex digits) of the TLS client certificate it
    /// presented; nil without one (ChatState+Certificates).
    var certificate: String?
    /// `nick!user@host`, kept up to date so the hot path does not build it per message.
    private(set) var source: String = ""
}
