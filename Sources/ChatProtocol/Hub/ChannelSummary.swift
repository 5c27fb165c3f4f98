/// One row of a LIST reply.
public struct ChannelSummary: Equatable, Sendable {
    public var name: String
    public var users: Int
    public var topic: String
    public init(name: String, users: Int, topic: String) {
        self.name = name; self.users = users; self.topic = topic
    }
}
