import ChatPOSIX
import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for systemd's notification socket: a Unix datagram socket that a server's
/// `NOTIFY_SOCKET` names, and every message that arrived on it, in order.
final class NotifySocket {
    let dir: String
    let path: String
    private let fd: Int32
    private(set) var messages: [String] = []

    init() throws {
        dir = NSTemporaryDirectory() + "chat-notify-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        // The server leaves root (tests run as root) before it notifies: it must reach the socket.
        try shareWithServerUser(dir)
        path = dir + "/notify.sock"
        fd = try UnixSocket.datagramReceiver(path: path, mode: 0o666)
    }

    deinit {
        FD.close(fd)
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Reads every datagram waiting.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let result = buffer.withUnsafeMutableBytes { try? FD.read(fd, into: $0) }
            guard case .done(let n)? = result else { return }
            messages.append(String(decoding: buffer[..<n], as: UTF8.self))
        }
    }

    /// Waits for a message (after the first `after` ones) that has `field` as one of its lines;
    /// its index.
    @discardableResult
    func waitFor(_ field: String, after: Int = 0, timeout: Double = 20) async throws -> Int {
        var found: Int?
        _ = await waitUntil(timeout: timeout) {
            drain()
            found = messages.indices.first { $0 >= after && fields(of: $0).contains(field) }
            return found != nil
        }
        guard let found else { throw TestFailure("no \(field) from the server; it sent \(messages)") }
        return found
    }

    /// Waits for a message after the first `after` ones with a line starting with `prefix`;
    /// that line.
    func waitForLine(startingWith prefix: String, after: Int = 0, timeout: Double = 20) async throws -> (index: Int, line: String) {
        var found: (Int, String)?
        _ = await waitUntil(timeout: timeout) {
            drain()
            for i in messages.indices where i >= after {
                if let line = fields(of: i).first(where: { $0.hasPrefix(prefix) }) { found = (i, line); return true }
            }
            return false
        }
        guard let found else { throw TestFailure("no \(prefix) line from the server; it sent \(messages)") }
        return found
    }

    func fields(of index: Int) -> [String] { messages[index].split(separator: "\n").map(String.init) }
}
