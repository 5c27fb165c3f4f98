import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to the server: a non-blocking socket, a line framer for what comes in,
/// and a queue for what goes out; with TLS, a `TLSConnection` between the socket and both.
final class Connection {
    let fd: Int32
    private(set) var isOpen: Bool
    let address: SocketAddress
    /// IRC allows 8191 bytes of tags plus 512 of message; plain servers get the same room.
    private var framer = LineFramer(maxLineLength: 16_384)
    /// What came after the last line end (a prompt such as "Choose a nickname: "), at most
    /// 512 bytes: the framer holds it until a line end arrives.
    private(set) var partial: [UInt8] = []
    private var outbox: [UInt8] = []
    private var outStart = 0

    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
    /// TLS (ircs://, --tls): lines go out once the handshake is done (`plainOut` until then).
    let tls: TLSConnection?
    private var plainOut: [UInt8] = []
    private var plaintext: [UInt8] = []
    /// The first bytes received on a plain connection, to recognise a TLS server's answer.
    private(set) var firstBytes: [UInt8] = []
    /// The server's certificate has been judged and trusted: lines may go out.
    var verified = false
    /// A plain server (--raw, telnet://) may speak telnet: its negotiation is refused and kept
    /// off the screen (chat-server offers character mode to a client whose lines end in CR
    /// LF, as ours do; we keep line mode).
    var telnet: TelnetFilter?

    init(address: SocketAddress, tls: TLSConnection? = nil) throws(SystemError) {
        let (fd, connected) = try Socket.startConnect(address)
        self.fd = fd
        self.tls = tls
        self.isOpen = connected
        self.address = address
        if connected { Socket.setNoDelay(fd) }
    }

    deinit {
        FD.close(fd)
        readBuffer.deallocate()
    }

    /// The socket became writable while connecting: did the connect work?
    func finishOpen() throws(SystemError) {
        try Socket.finishConnect(fd)
        isOpen = true
        Socket.setNoDelay(fd)
    }

    /// Drops the unfinished line: the user answered the prompt it was.
    func discardPartial() {
        framer.reset()
        partial = []
    }

    var wantsWrite: Bool { !isOpen || outStart < outbox.count }

    func send(_ line: String) {
        if tls != nil {
            plainOut.append(contentsOf: line.utf8)
            plainOut += [13, 10]
            return
        }
        outbox.append(contentsOf: line.utf8)
        outbox.append(13)
        outbox.append(10)
    }

    /// Starts the TLS handshake (the ClientHello) once the socket is open.
    func startTLS() throws(TLSError) {
        guard let tls else { return }
        try tls.readPlaintext(into: &plaintext)
        tls.takeOutput(into: &outbox)
    }

    /// Seals the lines waiting for the handshake once it is done.
    private func sealPending() throws(TLSError) {
        guard let tls, tls.handshakeDone, verified, !plainOut.isEmpty else { return }
        let sealed = plainOut.withUnsafeBytes { raw in Result { () throws(TLSError) in try tls.write(raw) } }
        _ = try sealed.get()
        plainOut.removeAll(keepingCapacity: true)
        tls.takeOutput(into: &outbox)
    }

    /// Writes what the socket takes now.
    func flush() throws(SystemError) {
        if (try? sealPending()) == nil { throw SystemError("TLS write", errno: EPROTO) }
        while outStart < outbox.count {
            let r: Result<IOResult, SystemError> = outbox.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[outStart...])) }
            }
            switch try r.get() {
            case .done(let n): outStart += n
            case .wouldBlock, .eof: return
            }
        }
        outbox.removeAll(keepingCapacity: outbox.capacity <= 65_536)
        outStart = 0
    }

    enum ReadOutcome: Equatable { case drained, more, closed, tlsFailed(String) }

    /// Lines framed but not yet handed on: one read can hold thousands of short lines, and
    /// the clock is checked between them, not only between reads.
    private var pending: [LineFramer.Event] = []
    private var pendingStart = 0
    /// Lines handed on between two looks at the clock.
    static let linesPerClockCheck = 32

    /// Reads up to `maxBytes`, or until the monotonic clock passes `deadline` (ns), handing
    /// each complete line to `onLine`. `.more` means data or lines may still be waiting (the
    /// caller lets the keyboard and the screen have a turn first).
    func read(maxBytes: Int, deadline: UInt64, _ onLine: (LineFramer.Event) -> Void) throws(SystemError) -> ReadOutcome {
        var total = 0
        var handed = 0
        while true {
            while pendingStart < pending.count {
                if handed > 0, handed % Self.linesPerClockCheck == 0, Proc.monotonicNanos() >= deadline { return .more }
                let event = pending[pendingStart]
                pendingStart += 1
                handed += 1
                onLine(event)
            }
            pending.removeAll(keepingCapacity: pending.capacity <= 4096)
            pendingStart = 0
            guard total < maxBytes && ((total == 0 && handed == 0) || Proc.monotonicNanos() < deadline) else { break }
            switch try FD.read(fd, into: readBuffer) {
            case .done(let n):
                total += n
                if firstBytes.count < 8 { firstBytes += UnsafeRawBufferPointer(rebasing: readBuffer[..<min(n, 8 - firstBytes.count)]) }
                let chunk = UnsafeRawBufferPointer(rebasing: readBuffer[..<n])
                if let tls {
                    tls.feed(chunk)
                    plaintext.removeAll(keepingCapacity: true)
                    do { try tls.readPlaintext(into: &plaintext) } catch { return .tlsFailed(error.description) }
                    tls.takeOutput(into: &outbox)
                    do { try sealPending() } catch { return .tlsFailed(error.description) }
                    if tls.peerClosed { return finishClosed(onLine) }
                    let text = plaintext
                    text.withUnsafeBytes { take($0) }
                } else {
                    take(chunk)
                }
            case .wouldBlock:
                return .drained
            case .eof:
                return finishClosed(onLine)
            }
        }
        return .more
    }

    /// Frames what came in and keeps the unfinished line.
    private func take(_ chunk: UnsafeRawBufferPointer) {
        if telnet != nil {
            var data: [UInt8] = []
            var replies: [UInt8] = []
            telnet!.filter(chunk, data: &data, replies: &replies)
            if !replies.isEmpty {
                if tls != nil { plainOut += replies } else { outbox += replies }
            }
            return data.withUnsafeBytes { takeData($0) }
        }
        takeData(chunk)
    }

    private func takeData(_ chunk: UnsafeRawBufferPointer) {
        framer.push(chunk) { pending.append($0) }
        if let end = chunk.lastIndex(where: { $0 == 10 || $0 == 13 }) {
            partial = Array(chunk[(end + 1)...].prefix(512))
        } else if partial.count < 512 {
            partial += chunk.prefix(512 - partial.count)
        }
        if partial.first == 0 { partial.removeFirst() }   // the NUL of a telnet CR NUL
    }

    /// The last lines all go now: the connection is ending.
    private func finishClosed(_ onLine: (LineFramer.Event) -> Void) -> ReadOutcome {
        framer.finish { pending.append($0) }
        for event in pending[pendingStart...] { onLine(event) }
        pending = []
        pendingStart = 0
        return .closed
    }
}
