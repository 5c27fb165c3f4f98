import ChatPOSIX
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// What every test target needs to run the real programs: where they are, a process whose
// output goes to a log the test can wait on, and a run to completion.

/// Where `swift build` put the products: next to the test bundle.
public func productPath(_ name: String) -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// A program a test starts, in a temporary directory of its own (`dir`, removed with it):
/// stdin from /dev/null (or `input`), stdout and stderr appended to `logPath`, no interactive
/// backtraces.
/// Started with posix_spawn and reaped with waitpid (`Proc.spawn`), not Foundation's Process,
/// whose `waitUntilExit` spins a run loop that does not always hear of the exit in a test.
public final class LoggedProcess {
    public let pid: pid_t
    public let dir: String
    public let logPath: String
    /// How it ended, once reaped.
    public private(set) var exit: Proc.ExitStatus?

    /// `name` prefixes the temporary directory; `arguments` may name files in it. `environment`
    /// is added to this process's.
    public init(_ path: String, name: String, environment: [String: String] = [:], input: Int32? = nil,
                arguments: (_ dir: String) -> [String]) throws {
        dir = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        logPath = dir + "/output.log"
        do {
            pid = try Proc.spawn(path, arguments(dir), outputPath: logPath,
                                 environment: environment.merging(["SWIFT_BACKTRACE": "interactive=no"]) { a, _ in a }, input: input)
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            throw TestFailure("cannot start \(path): \(error)")
        }
    }

    deinit {
        stop(SIGKILL, grace: 0)
        try? FileManager.default.removeItem(atPath: dir)
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public var isRunning: Bool {
        reap()
        return exit == nil
    }

    /// The exit code, or nil while it runs or when a signal ended it.
    public var exitCode: Int32? {
        guard !isRunning, case .exited(let code) = exit else { return nil }
        return code
    }

    private func reap() {
        guard exit == nil else { return }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exit = Proc.ExitStatus(waitStatus: status) }
    }

    /// Waits until the log has a line containing `text`; returns that line.
    @discardableResult
    public func waitForLog(_ text: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !isRunning { throw TestFailure("\(pid) ended (\(exit!)) before logging '\(text)':\n\(log)") }
            usleep(20_000)
        }
        throw TestFailure("\(pid) did not log '\(text)' within \(timeout)s:\n\(log)")
    }

    /// The port of the first `listening on HOST:PORT` line (chat-server's, and the line
    /// servers in the tests print the same way).
    public func waitForListeningPort(timeout: Double = 10) throws -> Int {
        let line = try waitForLog("listening on ", timeout: timeout)
        guard let colon = line.lastIndex(of: ":"),
              let port = Int(line[line.index(after: colon)...].prefix { $0.isNumber }) else {
            throw TestFailure("no port in \(line)")
        }
        return port
    }

    /// Waits for the exit; its code (nil when it is still running or a signal ended it).
    @discardableResult
    public func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(20_000) }
        return exitCode
    }

    /// Sends `signal`, waits up to `grace` seconds, then SIGKILL; always reaps.
    public func stop(_ signal: Int32 = SIGTERM, grace: Double = 8) {
        guard isRunning else { return }
        kill(pid, signal)
        if grace > 0 { waitForExit(timeout: grace) }
        if isRunning { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while exit == nil {
            let r = waitpid(pid, &status, 0)
            if r == pid { exit = Proc.ExitStatus(waitStatus: status) } else if errno != EINTR { break }
        }
    }
}

/// A loopback port that was free a moment ago (bound to 0, read, closed), for a program that
/// must be told its port.
public func freeLoopbackPort() throws -> Int {
    let fd = try Socket.listen(SocketAddress.parse(numeric: "127.0.0.1:0")!)
    defer { FD.close(fd) }
    return try Socket.localAddress(fd).port
}

extension LoggedProcess {
    /// For programs that print nothing when ready (`ncat --chat`): waits until `port` on the
    /// loopback accepts a connection.
    public func waitUntilListening(on port: Int, timeout: Double = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        let address = SocketAddress.parse(numeric: "127.0.0.1:\(port)")!
        while true {
            if let fd = try? Socket.connect([address]) {
                FD.close(fd)
                return
            }
            guard isRunning, Date() < deadline else { throw TestFailure("nothing listens on port \(port):\n\(log)") }
            usleep(20_000)
        }
    }
}

/// Runs a program to completion: its exit code (-1 for a signal) and its output and errors.
///
/// Output goes through a file, not a pipe: a program that leaves a daemon behind (`tmux
/// new-session` starts the tmux server) keeps the descriptor open, and reading a pipe to its
/// end would never return.
public func runToExit(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = try LoggedProcess(path, name: "run") { _ in arguments }
    while p.isRunning { p.waitForExit(timeout: 3600) }
    return (p.exitCode ?? -1, p.log)
}
