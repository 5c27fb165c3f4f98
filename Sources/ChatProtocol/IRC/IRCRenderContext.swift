/// What the renderer needs to know about the session it renders for.
public struct IRCRenderContext: Equatable, Sendable {
    /// The source of numerics and server notices.
    public var serverName: String
    /// The client's current nick, `*` before registration: the first parameter of numerics.
    public var nick: String
    /// The client negotiated IRCv3 `server-time`: messages carry `@time=…`.
    public var serverTime: Bool
    /// User modes named in 004 (the hub does not announce them).
    public var userModes: String
    /// The text of 312 (RPL_WHOISSERVER).
    public var serverInfo: String
    /// The IRCv3 capabilities the client enabled (server-time is `serverTime`, kept apart
    /// for the message fast path).
    public var capabilities: Set<IRCCapability> = []

    /// The client enabled message-tags: messages carry `msgid` and the sender's client-only tags.
    public var messageTags: Bool { capabilities.contains(.messageTags) }

    public init(serverName: String, nick: String = "*", serverTime: Bool = false,
                userModes: String = "i", serverInfo: String = "terminal chat server") {
        self.serverName = serverName
        self.nick = nick
        self.serverTime = serverTime
        self.userModes = userModes
        self.serverInfo = serverInfo
    }
}
