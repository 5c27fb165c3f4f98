/// The client-to-client protocol (CTCP, modern.ircdocs.horse/ctcp): a PRIVMSG (a query) or a
/// NOTICE (a reply) whose text starts with 0x01, then a command, optionally a space and
/// parameters, and a closing 0x01 that some clients leave out. `ACTION` (`/me`) is the one
/// the server understands; the others (`VERSION`, `PING`, `TIME`, `DCC`, …) are for the
/// recipient's client.
public struct CTCP: Equatable, Sendable {
    public var command: String
    public var params: String

    public init(command: String, params: String = "") {
        self.command = command
        self.params = params
    }

    public static let delimiter: UInt8 = 0x01

    /// The CTCP message in `text`, nil for ordinary text (or a lone 0x01 with no command).
    public init?(parsing text: String) {
        var u = Substring(text).utf8
        guard u.first == Self.delimiter else { return nil }
        u = u.dropFirst()
        if u.last == Self.delimiter { u = u.dropLast() }
        let space = u.firstIndex(of: UInt8(ascii: " "))
        let command = Substring(u[..<(space ?? u.endIndex)])
        guard !command.isEmpty else { return nil }
        self.command = String(command)
        params = space.map { String(Substring(u[u.index(after: $0)...])) } ?? ""
    }

    /// The text to send: `\u{1}COMMAND params\u{1}`.
    public var text: String { "\u{1}" + command + (params.isEmpty ? "" : " " + params) + "\u{1}" }

    /// `/me` as IRC clients send it: `\u{1}ACTION waves\u{1}`. The action's text, or nil when
    /// `text` is not an action with something in it (an empty ACTION stays a CTCP message).
    public static func action(in text: String) -> String? {
        guard let ctcp = CTCP(parsing: text), ctcp.command == "ACTION", !ctcp.params.isEmpty else { return nil }
        return ctcp.params
    }
}
