import ChatPOSIX
import ChatTLS

/// The certificates trusted on first use, one `host:port SHA256:AB:…` line per server, in
/// `$XDG_DATA_HOME/chat-tui/known_hosts` (default `~/.local/share/chat-tui/known_hosts`).
struct KnownHosts {
    let path: String

    /// The user's file, from the environment; nil without HOME or XDG_DATA_HOME.
    static func forUser() -> KnownHosts? {
        if let data = Proc.environment("XDG_DATA_HOME"), data.hasPrefix("/") {
            return KnownHosts(path: data + "/chat-tui/known_hosts")
        }
        guard let home = Proc.environment("HOME"), home.hasPrefix("/") else { return nil }
        return KnownHosts(path: home + "/.local/share/chat-tui/known_hosts")
    }

    /// The fingerprint remembered for `server` (`host:port`).
    func fingerprint(for server: String) -> TLSFingerprint? {
        guard let bytes = try? FD.readFile(path, limit: 1 << 20) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == server { return TLSFingerprint(parsing: String(words[1])) }
        }
        return nil
    }

    /// Remembers `fingerprint` for `server` (the file and its directory made private).
    func remember(_ fingerprint: TLSFingerprint, for server: String) throws(SystemError) {
        if let slash = path.lastIndex(of: "/") { try FD.makeDirectories(String(path[..<slash])) }
        let fd = try FD.openForAppend(path)
        defer { FD.close(fd) }
        try FD.writeAll(fd, "\(server) \(fingerprint)\n")
    }
}
