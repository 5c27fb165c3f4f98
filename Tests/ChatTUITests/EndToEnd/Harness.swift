import ChatPOSIX
import Foundation
import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

#if canImport(Glibc)
import Glibc
#endif

// End-to-end harness: the real binaries (next to the test bundle), tmux with a private
// socket and a fixed size, and waits on what the screen shows (never fixed sleeps).

/// The real chat-server on a loopback port (ephemeral unless given).
final class ChatServer {
    let process: LoggedProcess
    let port: Int
    var dir: String { process.dir }

    init(port: Int = 0) async throws {
        process = try LoggedProcess(productPath("chat-server"), name: "chattui-e2e") { dir in
            ["--listen", "127.0.0.1:\(port)", "--name", "test.server", "--control-socket", dir + "/control.sock", "--flood-rate", "0"]
        }
        self.port = try await process.waitForListeningPort()
    }

    /// Killed; for `defer` (nothing to wait for but the reap).
    func stop() { process.stopBlocking(SIGKILL, grace: 0) }
}

/// A scripted IRC user talking to the server from the test process.
final class IRCPeer {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, nick: String) async throws {
        fd = try Socket.connect([SocketAddress.parse(numeric: "127.0.0.1:\(port)")!])
        try line("NICK \(nick)")
        try line("USER \(nick) 0 * :peer")
        try await expect(" 001 \(nick) ")
    }

    deinit { FD.close(fd) }

    func line(_ text: String) throws { try FD.writeAll(fd, text + "\r\n") }

    /// Everything received so far (what `expect` has read).
    var received: String { String(decoding: buffer, as: UTF8.self) }

    /// Waits until `text` has arrived (answering PINGs meanwhile), polling without holding
    /// a thread.
    func expect(_ text: String, timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if String(decoding: buffer, as: UTF8.self).contains(text) { return }
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            guard (try? Poll.wait(&p, timeoutMS: 0)) ?? 0 > 0 else { await pause(.milliseconds(5)); continue }
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
