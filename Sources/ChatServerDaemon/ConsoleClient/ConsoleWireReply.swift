/// One reply in the console protocol, as read by a client.
struct ConsoleWireReply {
    var lines: [String] = []  // `- ` lines, prefix removed
    var errors: [String] = []  // `! `
    var hints: [String] = []  // `? `
    var closed = false  // the server closed before the `.`
    var size = 0  // bytes of the lines taken so far
    var failed: Bool { !errors.isEmpty || closed }

    /// Reads one protocol line into the reply; true at the closing `.`.
    mutating func take(_ line: String) -> Bool {
        if line == "." { return true }
        size += line.utf8.count + 1
        let body = String(line.dropFirst(2))
        switch line.first {
        case "-": lines.append(body)
        case "!": errors.append(body)
        case "?": hints.append(body)
        default: lines.append(line)
        }
        return false
    }
}
