/// How a connection talks: a person on telnet/nc, or an IRC client.
public enum Dialect: UInt8, Sendable, CustomStringConvertible {
    case human = 0
    case irc = 1

    public var description: String { self == .human ? "human" : "irc" }
}
