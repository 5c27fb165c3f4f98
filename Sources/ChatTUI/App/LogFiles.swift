import ChatPOSIX

/// One append-only log file per window under the --log-dir directory.
final class LogFiles {
    let directory: String
    private var files: [String: Int32] = [:]
    private var failed = false

    init(directory: String) throws(SystemError) {
        self.directory = directory
        try FD.makeDirectories(directory)
    }

    deinit { for fd in files.values { FD.close(fd) } }

    /// A file name for a window: lower case, with path separators and dots at the start
    /// made harmless.
    static func fileName(for window: String) -> String {
        var name = String(window.lowercased().map { c -> Character in
            (c == "/" || c == "\\" || c.asciiValue.map { $0 < 32 || $0 == 127 } == true) ? "_" : c
        })
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        if name.isEmpty { name = "_" }
        return name + ".log"
    }

    /// A directory name for a network (`home`, `irc.example.org:6667`), made harmless as
    /// window names are.
    static func directoryName(for network: String) -> String { String(fileName(for: network).dropLast(4)) }

    /// Appends a line; the first failure is returned once so the user hears of it.
    func write(window: String, text: String) -> SystemError? {
        guard !failed else { return nil }
        do {
            let name = Self.fileName(for: window)
            let fd: Int32
            if let f = files[name] {
                fd = f
            } else {
                fd = try FD.openForAppend(directory + "/" + name)
                files[name] = fd
            }
            try FD.writeAll(fd, text + "\n")
            return nil
        } catch {
            failed = true
            return error
        }
    }
}
