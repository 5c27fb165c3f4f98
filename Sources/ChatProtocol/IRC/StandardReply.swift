/// IRCv3 standard replies (https://ircv3.net/specs/extensions/standard-replies):
/// `FAIL <command> <code> [<context>…] :<description>`, and `WARN`, `NOTE` alike. The one
/// place such a line is built; every part of the server that refuses something this way
/// calls it.
public enum StandardReply: String, Sendable {
    case fail = "FAIL"
    case warn = "WARN"
    case note = "NOTE"

    /// The line from `server` about `command` (`*` when it concerns no one command), with a
    /// machine-readable `code` (`INVALID_REALNAME`), the `context` parameters the code
    /// defines, and a description for people.
    public func message(server: String, command: String, code: String, context: [String] = [],
                        description: String) -> IRCMessage {
        var m = IRCMessage(source: server, command: rawValue, params: [command.isEmpty ? "*" : command, code] + context + [description])
        m.trailingColon = true
        return m
    }
}
