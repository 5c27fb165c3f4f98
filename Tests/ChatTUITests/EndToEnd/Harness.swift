import ChatPOSIX
import Foundation
import Testing
import TestSupport
@testable import ChatTUI

#if canImport(Glibc)
import Glibc
#endif

// End-to-end harness: the real binaries (next to the test bundle), tmux with a private
// socket and a fixed size, and waits on what the screen shows (never fixed sleeps).

func findExecutable(_ name: String) -> String? {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
        return dir + "/" + name
    }
    return nil
}

nonisolated(unsafe) private var tmuxCounter = 0

/// A tmux server of our own running one shell per window.
final class Tmux {
    let socket: String
    let tmux: String

    /// Fails (does not skip) when tmux is missing: CI installs it.
    init(cols: Int = 100, rows: Int = 30) throws {
        guard let path = findExecutable("tmux") else {
            throw TestFailure("tmux is not installed; the end-to-end tests need it (apt-get install -y tmux)")
        }
        tmux = path
        tmuxCounter += 1
        socket = "chattui-test-\(getpid())-\(tmuxCounter)"
        // Not `window-size manual`: with it tmux 3.3a crashes on new-window when no client
        // is attached. resize-window makes a window's size manual by itself.
        let started = try cmd(["-f", "/dev/null", "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", Self.shell])
        guard try cmd(["list-sessions"]).contains("1 windows") else {
            throw TestFailure("tmux did not start: \(started)")
        }
    }

    deinit { kill() }

    /// A clean shell with the environment the client needs; `$ ` as the prompt.
    static let shell = "env -u TMUX LANG=C.UTF-8 SWIFT_BACKTRACE=interactive=no PS1='$ ' bash --norc --noprofile"

    /// Ends the tmux server and removes its socket file (tmux leaves it behind).
    func kill() {
        _ = try? runToExit(tmux, ["-L", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    @discardableResult
    func cmd(_ args: [String]) throws -> String { try runToExit(tmux, ["-L", socket] + args).output }

    func newWindow() throws -> String {
        try cmd(["new-window", "-d", "-P", "-F", "#{window_index}", Self.shell]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Types `text` literally, then Enter.
    func typeLine(_ text: String, window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window, "-l", text])
        try cmd(["send-keys", "-t", ":" + window, "Enter"])
    }

    func type(_ text: String, window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window, "-l", text])
    }

    /// Named keys: "PageUp", "M-2", "C-a", "Enter"...
    func keys(_ keys: String..., window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window] + keys)
    }

    func screen(window: String = "0") -> [String] {
        let text = (try? cmd(["capture-pane", "-p", "-t", ":" + window])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func resize(cols: Int, rows: Int, window: String = "0") throws {
        try cmd(["resize-window", "-t", ":" + window, "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// The shell's child process in a window (the program it runs), if any.
    func programPID(window: String = "0") -> pid_t? {
        guard let s = try? cmd(["display-message", "-p", "-t", ":" + window, "#{pane_pid}"]),
              let shell = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)),
              let kids = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8) else { return nil }
        return kids.split(separator: " ").compactMap { pid_t($0) }.first
    }

    /// Polls the screen until `condition` holds; the screen it held on.
    @discardableResult
    func waitFor(_ what: String, window: String = "0", timeout: Double = 10,
                 sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = screen(window: window)
            if condition(last) { return last }
            usleep(50_000)
        }
        Issue.record("waited \(timeout) s for \(what); the screen was:\n\(last.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw TestFailure("timed out waiting for \(what)")
    }

    @discardableResult
    func waitFor(text: String, window: String = "0", timeout: Double = 10,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try waitFor("\"\(text)\"", window: window, timeout: timeout, sourceLocation: sourceLocation) { s in
            s.contains { $0.contains(text) }
        }
    }
}

/// The real chat-server on a loopback port (ephemeral unless given).
final class ChatServer {
    let process: LoggedProcess
    let port: Int
    var dir: String { process.dir }

    init(port: Int = 0) throws {
        process = try LoggedProcess(productPath("chat-server"), name: "chattui-e2e") { dir in
            ["--listen", "127.0.0.1:\(port)", "--name", "test.server", "--control-socket", dir + "/control.sock", "--flood-rate", "0"]
        }
        self.port = try process.waitForListeningPort()
    }

    func stop() { process.stop(SIGKILL, grace: 0) }
}

/// A scripted IRC user talking to the server from the test process.
final class IRCPeer {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, nick: String) throws {
        fd = try Socket.connect([SocketAddress.parse(numeric: "127.0.0.1:\(port)")!])
        try line("NICK \(nick)")
        try line("USER \(nick) 0 * :peer")
        try expect(" 001 \(nick) ")
    }

    deinit { FD.close(fd) }

    func line(_ text: String) throws { try FD.writeAll(fd, text + "\r\n") }

    /// Waits until `text` has arrived (answering PINGs meanwhile).
    func expect(_ text: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if String(decoding: buffer, as: UTF8.self).contains(text) { return }
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            guard (try? Poll.wait(&p, timeoutMS: 200)) ?? 0 > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let r = chunk.withUnsafeMutableBytes { try? FD.read(fd, into: $0) }
            guard case .done(let n)? = r else { throw TestFailure("peer connection closed waiting for \(text)") }
            buffer += chunk[..<n]
        }
        throw TestFailure("peer did not receive \(text): \(String(decoding: buffer, as: UTF8.self))")
    }
}

/// Display column where `c` first appears in a captured line.
func column(of c: Character, in line: String) -> Int? {
    var col = 0
    for ch in line {
        if ch == c { return col }
        col += DisplayWidth.of(ch)
    }
    return nil
}

/// The command line that starts the client in a pane, printing its exit status after.
/// CHAT_TUI_PATH picks another build (the release one, for the figures in docs/CLIENT.md).
func clientCommand(_ args: String) -> String {
    let binary = ProcessInfo.processInfo.environment["CHAT_TUI_PATH"] ?? productPath("chat-tui")
    return "\(binary) \(args); echo EXIT=$?"
}
