import ChatPOSIX
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program a test starts, in a temporary directory of its own (`dir`, removed with it):
/// stdin from /dev/null (or `input`), stdout and stderr appended to `logPath`, no interactive
/// backtraces.
/// Started with posix_spawn and reaped with waitpid (`Proc.spawn`), not Foundation's Process,
/// whose `waitUntilExit` spins a run loop that does not always hear of the exit in a test.
/// Its waits are `async` and poll without holding a thread (see `waitUntil`).
public final class LoggedProcess {
    public let pid: pid_t
    public let dir: String
    public let logPath: String
    /// Where stderr goes when it is kept apart from stdout (`errorsApart`), else nil.
    public let errorsPath: String?
    /// How it ended, once reaped.
    public private(set) var exit: Proc.ExitStatus?

    /// `name` prefixes the temporary directory; `arguments` may name files in it. `environment`
    /// is added to this process's. `errorsApart`: stderr goes to `errorsPath`, not the log.
    /// `sharedWithServerUser`: the directory is given to the user a server started as root
    /// switches to (`shareWithServerUser`).
    public init(_ path: String, name: String, environment: [String: String] = [:], input: Int32? = nil,
                errorsApart: Bool = false, sharedWithServerUser: Bool = false, arguments: (_ dir: String) -> [String]) throws {
        brokenPipesAreErrors
        dir = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if sharedWithServerUser { try shareWithServerUser(dir) }
        logPath = dir + "/output.log"
        errorsPath = errorsApart ? dir + "/errors.log" : nil
        // posix_spawn sends stdout and stderr to one file; a shell that execs the program
        // sends stderr elsewhere first (same pid).
        var program = path, args = arguments(dir)
        if let errorsPath {
            (program, args) = ("/bin/sh", ["-c", "e=$1; shift; exec \"$@\" 2>\"$e\"", "sh", errorsPath, path] + args)
        }
        do {
            pid = try Proc.spawn(program, args, outputPath: logPath,
                                 environment: environment.merging(["SWIFT_BACKTRACE": "interactive=no"]) { a, _ in a }, input: input)
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            throw TestFailure("cannot start \(path): \(error)")
        }
    }

    deinit {
        stopBlocking(SIGKILL, grace: 0)
        try? FileManager.default.removeItem(atPath: dir)
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// What it wrote to stderr, when kept apart (`errorsApart`).
    public var errors: String { errorsPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "" }

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
    public func waitForLog(_ text: String, timeout: Double = 30) async throws -> String {
        var found: String?
        _ = try await waitUntil(timeout: timeout) {
            found = log.split(separator: "\n").first { $0.contains(text) }.map(String.init)
            if found == nil && !isRunning { throw TestFailure("\(pid) ended (\(exit!)) before logging '\(text)':\n\(log)") }
            return found != nil
        }
        guard let found else { throw TestFailure("\(pid) did not log '\(text)' within \(timeout)s:\n\(log)") }
        return found
    }

    /// The port of the first `listening on HOST:PORT` line (chat-server's, and the line
    /// servers in the tests print the same way).
    public func waitForListeningPort(timeout: Double = 30) async throws -> Int {
        let line = try await waitForLog("listening on ", timeout: timeout)
        guard let colon = line.lastIndex(of: ":"),
              let port = Int(line[line.index(after: colon)...].prefix { $0.isNumber }) else {
            throw TestFailure("no port in \(line)")
        }
        return port
    }

    /// The port of chat-server's TLS listener, from its `listening on HOST:PORT (TLS)` line.
    public func waitForTLSPort(timeout: Double = 10) async throws -> Int {
        let line = try await waitForLog(" (TLS)", timeout: timeout)
        guard let colon = line.range(of: " (TLS)").map({ line[..<$0.lowerBound] })?.lastIndex(of: ":"),
              let port = Int(line[line.index(after: colon)...].prefix { $0.isNumber }) else {
            throw TestFailure("no TLS port in \(line)")
        }
        return port
    }

    /// Waits for the exit; its code (nil when it is still running or a signal ended it).
    @discardableResult
    public func waitForExit(timeout: Double = 30) async -> Int32? {
        _ = await waitUntil(timeout: timeout) { !isRunning }
        return exitCode
    }

    /// For programs that print nothing when ready (`ncat --chat`): waits until `port` on the
    /// loopback accepts a connection.
    public func waitUntilListening(on port: Int, timeout: Double = 15) async throws {
        let address = SocketAddress.parse(numeric: "127.0.0.1:\(port)")!
        let listening = try await waitUntil(timeout: timeout) {
            if let fd = try? Socket.connect([address]) {
                FD.close(fd)
                return true
            }
            guard isRunning else { throw TestFailure("nothing listens on port \(port):\n\(log)") }
            return false
        }
        if !listening { throw TestFailure("nothing listens on port \(port):\n\(log)") }
    }

    /// Sends `signal`, waits up to `grace` seconds, then SIGKILL; always reaps.
    public func stop(_ signal: Int32 = SIGTERM, grace: Double = 8) async {
        guard isRunning else { return }
        kill(pid, signal)
        if grace > 0 { await waitForExit(timeout: grace) }
        stopBlocking(SIGKILL, grace: 0)
    }

    /// The same for cleanup where nothing can wait (`defer`, `deinit`): the thread is held
    /// while the program ends, which a signal makes quick (1 ms between checks).
    public func stopBlocking(_ signal: Int32, grace: Double) {
        guard isRunning else { return }
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(grace)
        while grace > 0 && isRunning && Date() < deadline { usleep(1_000) }
        if isRunning { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while exit == nil {
            let r = waitpid(pid, &status, 0)
            if r == pid { exit = Proc.ExitStatus(waitStatus: status) } else if errno != EINTR { break }
        }
    }
}
