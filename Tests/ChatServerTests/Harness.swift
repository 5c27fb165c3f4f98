import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `chat-server` binary on an ephemeral loopback port, its log and control socket in
/// a temporary directory of its own.
final class ServerProcess {
    let process: LoggedProcess
    let port: Int

    /// `limits`: prlimit(1) options such as `--nofile=32:32`; prlimit execs the server, so
    /// the pid stays the server's. `logFile`: the server writes its log with `--log-file`
    /// (to the same file its output goes to, so `waitForLog` sees it). `input`: its stdin
    /// (default /dev/null). `ownSession`: started through setsid(1), as a terminal's
    /// foreground job would be, so that the test can signal its whole process group.
    init(_ extra: [String] = [], listen: String = "127.0.0.1:0", limits: [String] = [], logFile: Bool = false,
         input: Int32? = nil, ownSession: Bool = false) throws {
        let server = productPath("chat-server")
        let launcher = ownSession ? "/usr/bin/setsid" : limits.isEmpty ? server : "/usr/bin/prlimit"
        process = try LoggedProcess(launcher, name: "chat-test", input: input) { dir in
            let args = ["--listen", listen, "--name", "test.server", "--control-socket", dir + "/control.sock"]
                + (logFile ? ["--log-file", dir + "/output.log"] : []) + extra
            if ownSession { return [server] + args }
            return limits.isEmpty ? args : limits + ["--", server] + args
        }
        port = try process.waitForListeningPort()
    }

    var pid: pid_t { process.pid }
    var dir: String { process.dir }
    var log: String { process.log }

    /// Graceful first (the hub reaps its sessions: no zombies left behind), then forceful.
    func stop() { process.stop() }

    @discardableResult
    func waitForLog(_ text: String, timeout: Double = 10) throws -> String { try process.waitForLog(text, timeout: timeout) }

    /// The exit code once the server has exited.
    func waitForExit(timeout: Double = 10) -> Int32? { process.waitForExit(timeout: timeout) }

    /// Pids of the session processes (children of the hub).
    func sessionPIDs() -> [pid_t] {
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }

    func connect() throws -> TestClient { try TestClient(port: port) }

    /// CPU seconds (user + system) the hub itself has used so far.
    func hubCPUSeconds() -> Double {
        guard let stat = ProcessStat(pid: pid) else { return 0 }
        return Double(stat.ownTicks) / Double(Proc.clockTicksPerSecond)
    }
}

/// A TCP client that reads with deadlines and synchronises on what the server says.
final class TestClient {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var closed = false
    /// Once set (to `[]`), every byte received from then on, as it came: `expect` and `text`
    /// consume and decode, this keeps the raw bytes (telnet commands, line ends).
    var transcript: [UInt8]?

    init(port: Int, host: String = "127.0.0.1", receiveBuffer: Int32? = nil) throws {
        fd = try Socket.connect([SocketAddress.parse(numeric: "\(host):\(port)")!], receiveBuffer: receiveBuffer)
    }

    deinit { if fd >= 0 { FD.close(fd) } }

    /// Hangs up, as a client that quits without a word.
    func close() {
        guard fd >= 0 else { return }
        FD.close(fd)
        fd = -1
        closed = true
    }

    /// Hangs up with a reset (RST), as a client that crashed or lost its network.
    func reset() {
        guard fd >= 0 else { return }
        Socket.closeWithReset(fd)
        fd = -1
        closed = true
    }

    func send(_ text: String) throws { try FD.writeAll(fd, Array(text.utf8)) }
    func send(bytes: [UInt8]) throws { try FD.writeAll(fd, bytes) }
    func line(_ text: String) throws { try send(text + "\r\n") }

    /// Reads whatever arrives within `timeout` seconds (at least one poll).
    @discardableResult
    func fill(timeout: Double) -> Bool {
        var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
        let n = (try? Poll.wait(&p, timeoutMS: Int32(max(timeout, 0) * 1000))) ?? 0
        guard n > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let r = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
        switch r {
        case .done(let k)?:
            buffer.append(contentsOf: chunk[..<k])
            transcript?.append(contentsOf: chunk[..<k])
            return true
        default: closed = true; return false
        }
    }

    var text: String { String(decoding: buffer, as: UTF8.self) }

    /// Waits until the received text contains `needle`; returns everything up to and
    /// including the line holding it, and drops that from the buffer.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        let target = Array(needle.utf8)
        while true {
            if let at = find(target) {
                // Through the end of the line holding the match, once that line is complete
                // (a prompt has no line end: take it as it is).
                var end = at + target.count
                while end < buffer.count && buffer[end - 1] != UInt8(ascii: "\n") { end += 1 }
                if buffer[end - 1] == UInt8(ascii: "\n") || !fill(timeout: 0.05) {
                    let consumed = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeFirst(end)
                    return consumed
                }
                continue
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed {
                Issue.record("expected '\(needle)', got:\n\(text)", sourceLocation: sourceLocation)
                throw TestFailure("expected '\(needle)'")
            }
            fill(timeout: min(left, 0.5))
        }
    }

    private func find(_ target: [UInt8]) -> Int? {
        guard !target.isEmpty, buffer.count >= target.count else { return nil }
        var i = 0
        while i + target.count <= buffer.count {
            if buffer[i] == target[0] && buffer[i..<i + target.count].elementsEqual(target) { return i }
            i += 1
        }
        return nil
    }

    /// Waits for whichever of `needles` comes first.
    @discardableResult
    func expectAny(_ needles: [String], timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let n = needles.first(where: { text.contains($0) }) { return try expect(n, sourceLocation: sourceLocation) }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed {
                Issue.record("expected one of \(needles), got:\n\(text)", sourceLocation: sourceLocation)
                throw TestFailure("expected one of \(needles)")
            }
            fill(timeout: min(left, 0.5))
        }
    }

    /// Whether `needle` arrives within `timeout` (no test issue when it does not).
    func waitFor(_ needle: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !text.contains(needle) && !closed && Date() < deadline { fill(timeout: 0.1) }
        return text.contains(needle)
    }

    /// Waits until the server closes the connection; returns what arrived before.
    func expectClosed(timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !closed && Date() < deadline { fill(timeout: 0.2) }
        return closed
    }

    /// Nothing matching `needle` arrives within `timeout`.
    func expectNothing(_ needle: String, timeout: Double = 0.5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline { fill(timeout: 0.1) }
        return !text.contains(needle)
    }

    func drain() { while fill(timeout: 0.05) {} ; buffer.removeAll() }
}

/// Registers a telnet-style user: waits for the nickname question, answers, waits to be in #lobby.
func humanUser(_ server: ServerProcess, nick: String) throws -> TestClient {
    let c = try server.connect()
    try c.expect("nickname")
    try c.line(nick)
    try c.expect("You joined #lobby")
    return c
}

/// Registers an IRC user and waits for the end of the MOTD.
func ircUser(_ server: ServerProcess, nick: String, join: String? = nil, receiveBuffer: Int32? = nil) throws -> TestClient {
    let c = try TestClient(port: server.port, receiveBuffer: receiveBuffer)
    try c.line("NICK \(nick)")
    try c.line("USER \(nick) 0 * :Test User")
    try c.expect(" 001 \(nick) ")
    try c.expectAny([" 376 \(nick) ", " 422 \(nick) "])
    if let join {
        try c.line("JOIN \(join)")
        try c.expect(" 366 \(nick) \(join) ")
    }
    return c
}
