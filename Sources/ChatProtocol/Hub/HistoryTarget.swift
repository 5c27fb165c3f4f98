/// One line of IRCv3 `CHATHISTORY TARGETS`' answer: a channel the user is in, or the nick (or
/// account) of someone they talked with privately, and the time of its latest stored line
/// (milliseconds since 1970).
public struct HistoryTarget: Equatable, Sendable {
    public var name: String
    public var time: Int64

    public init(name: String, time: Int64) {
        self.name = name
        self.time = time
    }
}
