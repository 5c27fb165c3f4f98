/// The answer to one console command: lines of output, or an error with a hint.
struct ConsoleReply: Equatable {
    var lines: [String] = []
    var error: ConsoleError?
    /// The answer comes later (a `backup` under way): nothing to show yet.
    var isPending = false

    static let pending = ConsoleReply(isPending: true)

    static func ok(_ lines: [String]) -> ConsoleReply { ConsoleReply(lines: lines) }
    static func ok(_ line: String) -> ConsoleReply { ConsoleReply(lines: [line]) }
    static func failed(_ message: String, hint: String) -> ConsoleReply {
        ConsoleReply(error: ConsoleError(message, hint: hint))
    }

    /// On the control socket: `- ` output lines, `! ` the error, `? ` its hint, `.` the end.
    var wire: String {
        var out = ""
        for l in lines { out += "- " + ConsoleFormat.oneLine(l) + "\n" }
        if let error {
            out += "! " + ConsoleFormat.oneLine(error.message) + "\n"
            out += "? " + ConsoleFormat.oneLine(error.hint) + "\n"
        }
        return out + ".\n"
    }

    /// On a terminal: the output, then `error: …` and `hint: …`.
    var text: [String] {
        var out = lines
        if let error { out += ["error: " + error.message, "hint: " + error.hint] }
        return out
    }
}
