import ChatPOSIX

/// The dialect of one client.
enum ClientKind: UInt8, Sendable {
    case human = 0, irc = 1, raw = 2
}
