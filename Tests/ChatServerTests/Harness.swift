import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `chat-server` binary on an ephemeral loopback port, its log and control socket in
/// a temporary directory of its own (given to the user it runs as, when the tests run as root).
final class ServerProcess {
    let process: LoggedProcess
    let port: Int

    /// `limits`: prlimit(1) options such as `--nofile=32:32`; prlimit execs the server, so
    /// the pid stays the server's. `logFile`: the server writes its log with `--log-file`
    /// (to the same file its output goes to, so `waitForLog` sees it). `input`: its stdin
    /// (default /dev/null). `ownSession`: started through setsid(1), as a terminal's
    /// foreground job would be, so that the test can signal its whole process group.
    /// `environment`: added to the server's.
    init(_ extra: [String] = [], listen: String = "127.0.0.1:0", limits: [String] = [], logFile: Bool = false,
         input: Int32? = nil, ownSession: Bool = false, environment: [String: String] = [:]) async throws {
        let server = productPath("chat-server")
        let launcher = ownSession ? "/usr/bin/setsid" : limits.isEmpty ? server : "/usr/bin/prlimit"
        process = try LoggedProcess(launcher, name: "chat-test", environment: environment, input: input,
                                    sharedWithServerUser: true) { dir in
            let args = ["--listen", listen, "--name", "test.server", "--control-socket", dir + "/control.sock"]
                + (logFile ? ["--log-file", dir + "/output.log"] : []) + extra
            if ownSession { return [server] + args }
            return limits.isEmpty ? args : limits + ["--", server] + args
        }
        port = try await process.waitForListeningPort()
    }

    var pid: pid_t { process.pid }
    var dir: String { process.dir }
    var log: String { process.log }

    /// Graceful first (the hub reaps its sessions: no zombies left behind), then forceful.
    func stop() async { await process.stop() }

    @discardableResult
    func waitForLog(_ text: String, timeout: Double = 30) async throws -> String { try await process.waitForLog(text, timeout: timeout) }

    /// The exit code once the server has exited.
    func waitForExit(timeout: Double = 30) async -> Int32? { await process.waitForExit(timeout: timeout) }

    /// Pids of the session processes (children of the hub).
    func sessionPIDs() -> [pid_t] {
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }

    func connect() throws -> UserConnection { try UserConnection(port: port) }

    /// CPU seconds (user + system) the hub itself has used so far.
    func hubCPUSeconds() -> Double {
        guard let stat = ProcessStat(pid: pid) else { return 0 }
        return Double(stat.ownTicks) / Double(Proc.clockTicksPerSecond)
    }
}

/// Registers a telnet-style user: waits for the nickname question, answers, waits to be in #lobby.
func humanUser(_ server: ServerProcess, nick: String) async throws -> UserConnection {
    let c = try server.connect()
    try await c.expect("nickname")
    try c.line(nick)
    try await c.expect("You joined #lobby")
    return c
}

/// Registers an IRC user and waits for the end of the MOTD.
func ircUser(_ server: ServerProcess, nick: String, join: String? = nil, receiveBuffer: Int32? = nil) async throws -> UserConnection {
    let c = try UserConnection(port: server.port, receiveBuffer: receiveBuffer)
    try c.line("NICK \(nick)")
    try c.line("USER \(nick) 0 * :Test User")
    try await c.expect(" 001 \(nick) ")
    try await c.expectAny([" 376 \(nick) ", " 422 \(nick) "])
    if let join {
        try c.line("JOIN \(join)")
        try await c.expect(" 366 \(nick) \(join) ")
    }
    return c
}
