import ChatPOSIX
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Programs in a terminal, for tests: tmux with a private socket and a fixed size, keys sent
// with send-keys, the screen read with capture-pane, and waits on what the screen shows
// (never fixed sleeps). Used by chat-tui's end-to-end tests and by the server's tests with
// real terminal clients (irssi, WeeChat).

/// Numbers the tmux servers of this test process (tests start them from several threads).
private let tmuxCounter = Atomic<Int>(0)

/// A tmux server of our own running one shell per window.
public final class Tmux {
    public let socket: String
    public let tmux: String
    /// The tmux server's pid, to end it without waiting for a command (`kill`).
    private var serverPID: pid_t = 0

    /// Fails (does not skip) when tmux is missing: CI installs it.
    public init(cols: Int = 100, rows: Int = 30) async throws {
        guard let path = findExecutable("tmux") else {
            throw TestFailure("tmux is not installed; the end-to-end tests need it (apt-get install -y tmux)")
        }
        tmux = path
        socket = "chattui-test-\(getpid())-\(tmuxCounter.add(1, ordering: .relaxed).newValue)"
        // Not `window-size manual`: with it tmux 3.3a crashes on new-window when no client
        // is attached. resize-window makes a window's size manual by itself.
        let started = try await cmd(["-f", "/dev/null", "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", Self.shell])
        guard try await cmd(["list-sessions"]).contains("1 windows") else {
            throw TestFailure("tmux did not start: \(started)")
        }
        serverPID = pid_t(try await cmd(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    deinit { kill() }

    /// A clean shell with the environment the client needs; `$ ` as the prompt.
    public static let shell = "env -u TMUX LANG=C.UTF-8 SWIFT_BACKTRACE=interactive=no PS1='$ ' bash --norc --noprofile"

    /// Ends the tmux server and removes its socket file (tmux leaves it behind). SIGTERM is
    /// what `kill-server` sends the server; sent here, nothing has to wait for a command.
    public func kill() {
        if serverPID > 0 { Glibc.kill(serverPID, SIGTERM) }
        serverPID = 0
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    /// Waits until the tmux server has exited, as it does once the program of its last window
    /// has (`exec PROGRAM` typed in the only window); whether it did within `timeout`.
    @discardableResult
    public func waitUntilEnded(timeout: Double = 30) async -> Bool {
        await waitUntil(timeout: timeout) { serverPID <= 0 || Glibc.kill(serverPID, 0) != 0 }
    }

    @discardableResult
    public func cmd(_ args: [String]) async throws -> String { try await runToExit(tmux, ["-L", socket] + args).output }

    public func newWindow() async throws -> String {
        try await cmd(["new-window", "-d", "-P", "-F", "#{window_index}", Self.shell]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Types `text` literally, then Enter.
    public func typeLine(_ text: String, window: String = "0") async throws {
        try await cmd(["send-keys", "-t", ":" + window, "-l", text])
        try await cmd(["send-keys", "-t", ":" + window, "Enter"])
    }

    public func type(_ text: String, window: String = "0") async throws {
        try await cmd(["send-keys", "-t", ":" + window, "-l", text])
    }

    /// Named keys: "PageUp", "M-2", "C-a", "Enter"...
    public func keys(_ keys: String..., window: String = "0") async throws {
        try await cmd(["send-keys", "-t", ":" + window] + keys)
    }

    public func screen(window: String = "0") async -> [String] {
        let text = (try? await cmd(["capture-pane", "-p", "-t", ":" + window])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    public func resize(cols: Int, rows: Int, window: String = "0") async throws {
        try await cmd(["resize-window", "-t", ":" + window, "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// The shell's child process in a window (the program it runs), if any.
    public func programPID(window: String = "0") async -> pid_t? {
        guard let s = try? await cmd(["display-message", "-p", "-t", ":" + window, "#{pane_pid}"]),
              let shell = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)),
              let kids = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8) else { return nil }
        return kids.split(separator: " ").compactMap { pid_t($0) }.first
    }

    /// Polls the screen until `condition` holds; the screen it held on.
    @discardableResult
    public func waitFor(_ what: String, window: String = "0", timeout: Double = 30,
                        sourceLocation: SourceLocation = #_sourceLocation,
                        _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = await screen(window: window)
            if condition(last) { return last }
            await pause(.milliseconds(50))
        }
        Issue.record("waited \(timeout) s for \(what); the screen was:\n\(last.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw TestFailure("timed out waiting for \(what)")
    }

    @discardableResult
    public func waitFor(text: String, window: String = "0", timeout: Double = 30,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        try await waitFor("\"\(text)\"", window: window, timeout: timeout, sourceLocation: sourceLocation) { s in
            s.contains { $0.contains(text) }
        }
    }
}
