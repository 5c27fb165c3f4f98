import ChatPOSIX

/// The dialect of one client.
enum ClientKind: UInt8, Sendable {
    case human = 0, irc = 1, raw = 2
    /// A telnet user in character mode: negotiates as inetutils telnet does, then sends every
    /// key in a write of its own, as a terminal does.
    case typist = 3
}
