import ChatPOSIX
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Programs in a terminal, for tests: tmux with a private socket and a fixed size, keys sent
// with send-keys, the screen read with capture-pane, and waits on what the screen shows
// (never fixed sleeps). Used by chat-tui's end-to-end tests and by the server's tests with
// real terminal clients (irssi, WeeChat).

/// Where a program is installed, in the usual places.
public func findExecutable(_ name: String) -> String? {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
        return dir + "/" + name
    }
    return nil
}

nonisolated(unsafe) private var tmuxCounter = 0

/// A tmux server of our own running one shell per window.
public final class Tmux {
    public let socket: String
    public let tmux: String

    /// Fails (does not skip) when tmux is missing: CI installs it.
    public init(cols: Int = 100, rows: Int = 30) throws {
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
    public static let shell = "env -u TMUX LANG=C.UTF-8 SWIFT_BACKTRACE=interactive=no PS1='$ ' bash --norc --noprofile"

    /// Ends the tmux server and removes its socket file (tmux leaves it behind).
    public func kill() {
        _ = try? runToExit(tmux, ["-L", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    @discardableResult
    public func cmd(_ args: [String]) throws -> String { try runToExit(tmux, ["-L", socket] + args).output }

    public func newWindow() throws -> String {
        try cmd(["new-window", "-d", "-P", "-F", "#{window_index}", Self.shell]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Types `text` literally, then Enter.
    public func typeLine(_ text: String, window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window, "-l", text])
        try cmd(["send-keys", "-t", ":" + window, "Enter"])
    }

    public func type(_ text: String, window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window, "-l", text])
    }

    /// Named keys: "PageUp", "M-2", "C-a", "Enter"...
    public func keys(_ keys: String..., window: String = "0") throws {
        try cmd(["send-keys", "-t", ":" + window] + keys)
    }

    public func screen(window: String = "0") -> [String] {
        let text = (try? cmd(["capture-pane", "-p", "-t", ":" + window])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    public func resize(cols: Int, rows: Int, window: String = "0") throws {
        try cmd(["resize-window", "-t", ":" + window, "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// The shell's child process in a window (the program it runs), if any.
    public func programPID(window: String = "0") -> pid_t? {
        guard let s = try? cmd(["display-message", "-p", "-t", ":" + window, "#{pane_pid}"]),
              let shell = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)),
              let kids = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8) else { return nil }
        return kids.split(separator: " ").compactMap { pid_t($0) }.first
    }

    /// Polls the screen until `condition` holds; the screen it held on.
    @discardableResult
    public func waitFor(_ what: String, window: String = "0", timeout: Double = 10,
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
    public func waitFor(text: String, window: String = "0", timeout: Double = 10,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try waitFor("\"\(text)\"", window: window, timeout: timeout, sourceLocation: sourceLocation) { s in
            s.contains { $0.contains(text) }
        }
    }
}

