/// What the renderer needs to know about the session it renders for.
public struct HumanRenderContext: Equatable, Sendable {
    /// The user's nick as the session knows it when the event arrives (before a nick change).
    public var nick: String
    /// The channel plain lines go to; messages there are shown without their channel.
    public var currentChannel: String?
    public var serverName: String
    /// Added to UTC for every time shown, e.g. 3600 for UTC+1.
    public var utcOffsetSeconds: Int

    public init(nick: String, currentChannel: String? = nil, serverName: String, utcOffsetSeconds: Int = 0) {
        self.nick = nick
        self.currentChannel = currentChannel
        self.serverName = serverName
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}
