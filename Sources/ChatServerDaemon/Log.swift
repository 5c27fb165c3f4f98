import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: stderr or a file that SIGHUP reopens. One write per line, so lines
/// from a console prompt and the log never interleave mid-line.
final class LogOutput: @unchecked Sendable {
    // The server is single-threaded: no lock needed (and none wanted across fork).
    nonisolated(unsafe) static var shared = LogOutput()

    private(set) var fd: Int32 = 2
    private(set) var path: String?
    /// Lets the console redraw its prompt around a log line.
    var around: ((() -> Void) -> Void)?

    func open(path: String) throws {
        let new = try FD.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
        if fd > 2 { FD.close(fd) }
        fd = new
        self.path = path
    }

    func reopen() {
        if let path { try? open(path: path) }
    }

    /// Set when the log goes to a terminal or a pipe made non-blocking: a line it cannot take
    /// now is dropped (and counted) rather than waited for.
    var neverWait = false
    private var dropped = 0

    func write(_ line: String) {
        let emit: () -> Void = { [self] in
            guard neverWait && path == nil else { return FD.writeAllIgnoringErrors(fd, line) }
            if dropped > 0 {
                guard FD.writeWithoutWaiting(fd, "[\(dropped) log line\(dropped == 1 ? "" : "s") dropped: the terminal was not reading]\n") else {
                    dropped += 1
                    return
                }
                dropped = 0
            }
            if !FD.writeWithoutWaiting(fd, line) { dropped += 1 }
        }
        if let around { around(emit) } else { emit() }
    }
}

/// A swift-log handler: `2026-11-28T05:00:00.123Z notice: listening on 127.0.0.1:4444`.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    nonisolated(unsafe) static var level: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= Self.level else { return }
        LogOutput.shared.write("\(Self.timestamp()) \(event.level): \(event.message)\n")
    }

    /// Now in UTC, `YYYY-MM-DDThh:mm:ss.sssZ`.
    static func timestamp() -> String { CivilTime(epochMilliseconds: Proc.wallMillis()).iso8601Milliseconds }
}
