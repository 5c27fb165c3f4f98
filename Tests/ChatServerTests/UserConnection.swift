import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A user's TCP connection to the server, as a telnet or IRC client has it: sends lines or
/// bytes, and waits, with deadlines, on what the server says. Its waits poll the socket
/// without holding a thread (see `waitUntil`).
final class UserConnection {
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
    /// Sends a line ended as nc ends it, with LF: CR LF, a telnet client's line end, makes the
    /// server offer a person character mode at their first line (`telnetLine`).
    func line(_ text: String) throws { try send(text + "\n") }
    /// Sends a line ended as a telnet client in line mode ends it, with CR LF.
    func telnetLine(_ text: String) throws { try send(text + "\r\n") }

    /// Reads whatever arrives within `timeout` seconds (at least one poll). Between polls it
    /// sleeps 1 ms, then longer up to 10 ms while nothing comes.
    @discardableResult
    func fill(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(max(timeout, 0))
        var nap = 1
        while true {
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            let n = (try? Poll.wait(&p, timeoutMS: 0)) ?? 0
            if n > 0 { break }
            if Date() >= deadline { return false }
            await pause(.milliseconds(nap))
            nap = min(nap * 2, 10)
        }
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
    func expect(_ needle: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        let target = Array(needle.utf8)
        while true {
            if let at = find(target) {
                // Through the end of the line holding the match, once that line is complete
                // (a prompt has no line end: take it as it is).
                var end = at + target.count
                while end < buffer.count && buffer[end - 1] != UInt8(ascii: "\n") { end += 1 }
                if buffer[end - 1] == UInt8(ascii: "\n") {
                    return take(end)
                }
                if !(await fill(timeout: 0.05)) {
                    return take(end)
                }
                continue
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed {
                Issue.record("expected '\(needle)', got:\n\(text)", sourceLocation: sourceLocation)
                throw TestFailure("expected '\(needle)'")
            }
            await fill(timeout: min(left, 0.5))
        }
    }

    /// The first `count` bytes, removed from the buffer, as text.
    private func take(_ count: Int) -> String {
        let consumed = String(decoding: buffer[..<count], as: UTF8.self)
        buffer.removeFirst(count)
        return consumed
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
    func expectAny(_ needles: [String], timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let n = needles.first(where: { text.contains($0) }) { return try await expect(n, sourceLocation: sourceLocation) }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || closed {
                Issue.record("expected one of \(needles), got:\n\(text)", sourceLocation: sourceLocation)
                throw TestFailure("expected one of \(needles)")
            }
            await fill(timeout: min(left, 0.5))
        }
    }

    /// Whether `needle` arrives within `timeout` (no test issue when it does not).
    func waitFor(_ needle: String, timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !text.contains(needle) && !closed && Date() < deadline { await fill(timeout: 0.1) }
        return text.contains(needle)
    }

    /// Waits until the server closes the connection; returns what arrived before.
    func expectClosed(timeout: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !closed && Date() < deadline { await fill(timeout: 0.2) }
        return closed
    }

    /// Nothing matching `needle` arrives within `timeout`.
    func expectNothing(_ needle: String, timeout: Double = 0.5) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline { await fill(timeout: 0.1) }
        return !text.contains(needle)
    }

    func drain() async {
        while await fill(timeout: 0.05) {}
        buffer.removeAll()
    }
}
