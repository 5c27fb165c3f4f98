/// The source of a message split into its parts: `nick!user@host`, `nick@host`, `nick!user`,
/// `nick`, or a server name (which lands in `nick`; see `isServer`).
public struct IRCSource: Equatable, Sendable, CustomStringConvertible {
    public var nick: String
    public var user: String?
    public var host: String?

    public init(nick: String, user: String? = nil, host: String? = nil) {
        self.nick = nick
        self.user = user
        self.host = host
    }

    /// Splits at the first '!' and the first '@' after it. Never fails: anything without those
    /// separators is all nick.
    public init(parsing source: String) {
        let u = source.utf8
        let bang = u.firstIndex(of: UInt8(ascii: "!"))
        let at = u[(bang ?? u.startIndex)...].firstIndex(of: UInt8(ascii: "@"))
        let nickEnd = bang ?? at ?? u.endIndex
        nick = String(source[..<nickEnd])
        if let bang {
            user = String(source[u.index(after: bang)..<(at ?? u.endIndex)])
        } else {
            user = nil
        }
        host = at.map { String(source[u.index(after: $0)...]) }
    }

    /// A bare name with a dot: nicks cannot contain '.', server names do.
    public var isServer: Bool {
        user == nil && host == nil && nick.utf8.contains(UInt8(ascii: "."))
    }

    /// Back to the wire form.
    public var description: String {
        var s = nick
        if let user { s += "!" + user }
        if let host { s += "@" + host }
        return s
    }
}
