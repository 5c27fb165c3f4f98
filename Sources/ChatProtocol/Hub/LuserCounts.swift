/// What LUSERS reports (251-255, 265, 266): who is connected, counted by the hub.
public struct LuserCounts: Equatable, Sendable {
    /// Registered users, invisible ones (user mode `+i`) included.
    public var users: Int
    /// Registered users with user mode `+i`, counted apart in 251 as the spec asks.
    public var invisible: Int
    /// Server operators online (252).
    public var operators: Int
    /// Connections not registered yet (253).
    public var unknown: Int
    public var channels: Int
    /// The most registered users at once since the server started (265, 266).
    public var maxUsers: Int

    public init(users: Int, invisible: Int = 0, operators: Int = 0, unknown: Int = 0, channels: Int, maxUsers: Int) {
        self.users = users
        self.invisible = invisible
        self.operators = operators
        self.unknown = unknown
        self.channels = channels
        self.maxUsers = maxUsers
    }
}
