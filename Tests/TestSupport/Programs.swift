import ChatPOSIX
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// Finding the programs a test runs, running one to completion, and a port to give one.

/// Where `swift build` put the products: next to the test bundle.
public func productPath(_ name: String) -> String {
    brokenPipesAreErrors
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
}

/// Where a program is installed, in the usual places.
public func findExecutable(_ name: String) -> String? {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
        return dir + "/" + name
    }
    return nil
}

/// Runs a program to completion: its exit code (-1 for a signal) and its output and errors
/// (`errors` apart when asked, else empty and in `output`). `timeout`: how long it may take
/// before it is killed.
///
/// Output goes through a file, not a pipe: a program that leaves a daemon behind (`tmux
/// new-session` starts the tmux server) keeps the descriptor open, and reading a pipe to its
/// end would never return.
public func runToExit(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                      errorsApart: Bool = false, timeout: Double = 600) async throws -> (status: Int32, output: String, errors: String) {
    let p = try LoggedProcess(path, name: "run", environment: environment, errorsApart: errorsApart) { _ in arguments }
    await p.waitForExit(timeout: timeout)
    p.stopBlocking(SIGKILL, grace: 0)
    return (p.exitCode ?? -1, p.log, p.errors)
}

/// A loopback port that was free a moment ago (bound to 0, read, closed), for a program that
/// must be told its port.
public func freeLoopbackPort() throws -> Int {
    brokenPipesAreErrors
    let fd = try Socket.listen(SocketAddress.parse(numeric: "127.0.0.1:0")!)
    defer { FD.close(fd) }
    return try Socket.localAddress(fd).port
}

/// The user a `chat-server` started as root switches to when not told otherwise (docs/SERVER.md):
/// the tests run as root, so the servers they start run as this user.
public let serverUserWhenRoot = "nobody"

/// Gives directory `dir` to the user a `chat-server` started by the tests runs as (when they
/// run as root), so that the server still reopens, rereads and removes its files there (log,
/// message of the day, pidfile, control socket) after it has left root, as an operator's
/// directories would let it.
public func shareWithServerUser(_ dir: String) throws {
    guard Proc.isRoot else { return }
    guard let user = Files.lookupUser(serverUserWhenRoot) else { throw TestFailure("no user \(serverUserWhenRoot)") }
    try Files.changeOwner(dir, to: user)
}
