import ChatProtocol

/// What the server says about itself: its description (LINKS, WHOIS's 312, VERSION) and who
/// runs it (ADMIN). Set by `--description` and the config file's `description`,
/// `admin-location` and `admin-email`; a session takes them at fork time.
struct ServerAbout: Equatable {
    /// One line about the server, as other servers' `description` or `serverinfo`.
    var description = ServerAbout.defaultDescription
    /// ADMIN's 257: where the server is, or who runs it (nil: the server's name).
    var adminLocation: String?
    /// ADMIN's 259: how to reach its administrator (nil: says none is configured).
    var adminEmail: String?

    static let defaultDescription = "chat-server"
    /// Longest value of each setting, in bytes: each travels in one numeric of 512 bytes.
    static let maxLength = 200

    /// Why `value` cannot be the setting `name`, or nil: one line of printable text, bounded.
    static func problem(_ name: String, _ value: String?) -> String? {
        guard let value else { return nil }
        if value.isEmpty { return "\(name) must not be empty" }
        if value.utf8.count > maxLength { return "\(name) must be at most \(maxLength) bytes" }
        if TextSafety.sanitize(value) != value { return "\(name) must be printable text, without control characters" }
        return nil
    }

    /// The first problem of any setting, named as on the command line and in the file.
    func problem() -> String? {
        Self.problem("description", description) ?? Self.problem("admin-location", adminLocation)
            ?? Self.problem("admin-email", adminEmail)
    }
}
