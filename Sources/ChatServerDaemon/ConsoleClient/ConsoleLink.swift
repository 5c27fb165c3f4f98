import ArgumentParser
import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Blocking line I/O with the server over the control socket (the client is its own
/// process: blocking is fine, but never forever).
struct ConsoleLink {
    let fd: Int32
    var timeoutMS: Int32
    private var buffer: [UInt8] = []

    /// The longest line and the largest reply taken from the server: far above what a
    /// chat-server sends (its largest reply, `who` with 10,000 users, is about 1 MiB), and a
    /// bound on what anything else answering can make the console hold.
    static let maxLine = 64 * 1024
    static let maxReply = 16 << 20

    init(fd: Int32, timeoutMS: Int32) {
        self.fd = fd
        self.timeoutMS = timeoutMS
    }

    func send(_ line: String) throws {
        let clean = ConsoleFormat.oneLine(line)
        do { try FD.writeAll(fd, clean + "\n") } catch {
            FD.writeAllIgnoringErrors(2, "chat-server console: the server closed the connection (\(error))\n")
            throw ExitCode(1)
        }
    }

    /// The next complete line, nil at end of stream; waits at most `timeoutMS` (-1: forever).
    mutating func readLine(timeoutMS wait: Int32? = nil) throws -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = TextSafety.repairUTF8(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                return line
            }
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            let n = try Poll.wait(&p, timeoutMS: wait ?? timeoutMS)
            if n == 0 {
                FD.writeAllIgnoringErrors(2, "chat-server console: no answer from the server within \(timeoutMS / 1000) s\n")
                throw ExitCode(1)
            }
            if try !fill() { return nil }
        }
    }

    /// Reads what the socket has; false at end of stream. A line that grows past `maxLine`
    /// without its end is an error.
    mutating func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let r = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
        switch r {
        case .done(let n)?:
            buffer.append(contentsOf: chunk[..<n])
            let lineStart = buffer.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            if buffer.count - lineStart > Self.maxLine {
                try fail("the server sent a line longer than \(Self.maxLine / 1024) KiB")
            }
            return true
        case .wouldBlock?: return true
        default: return false
        }
    }

    /// Reports what went wrong with the server's answer and ends the console (exit status 1).
    func fail(_ why: String) throws -> Never {
        FD.writeAllIgnoringErrors(2, "chat-server console: \(why); stopped reading (is a chat-server answering on this socket?)\n")
        throw ExitCode(1)
    }

    /// A reply past `maxReply` is an error.
    func checkSize(_ reply: ConsoleWireReply) throws {
        if reply.size > Self.maxReply { try fail("the server's reply grew past \(Self.maxReply >> 20) MiB") }
    }

    /// Complete lines already received.
    mutating func bufferedLines() -> [String] {
        var out: [String] = []
        while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            out.append(TextSafety.repairUTF8(buffer[..<nl]))
            buffer.removeFirst(nl + 1)
        }
        return out
    }

    mutating func readReply() throws -> ConsoleWireReply {
        var reply = ConsoleWireReply()
        while true {
            guard let line = try readLine() else {
                reply.closed = true
                reply.errors.append("the server closed the connection")
                return reply
            }
            if reply.take(line) { return reply }
            try checkSize(reply)
        }
    }

    func print(_ reply: ConsoleWireReply) {
        var out = ""
        for l in reply.lines { out += TextSafety.sanitize(l) + "\n" }
        FD.writeAllIgnoringErrors(1, out)
        var err = ""
        for e in reply.errors { err += "error: " + TextSafety.sanitize(e) + "\n" }
        for h in reply.hints { err += "hint: " + TextSafety.sanitize(h) + "\n" }
        if !err.isEmpty { FD.writeAllIgnoringErrors(2, err) }
    }
}
