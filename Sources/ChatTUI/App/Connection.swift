import ChatPOSIX
import ChatProtocol

/// One TCP connection to the server: a non-blocking socket, a line framer for what comes in,
/// and a queue for what goes out.
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

    init(address: SocketAddress) throws(SystemError) {
        let (fd, connected) = try Socket.startConnect(address)
        self.fd = fd
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
        outbox.append(contentsOf: line.utf8)
        outbox.append(13)
        outbox.append(10)
    }

    /// Writes what the socket takes now.
    func flush() throws(SystemError) {
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

    enum ReadOutcome { case drained, more, closed }

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
                let chunk = UnsafeRawBufferPointer(rebasing: readBuffer[..<n])
                framer.push(chunk) { pending.append($0) }
                if let end = chunk.lastIndex(where: { $0 == 10 || $0 == 13 }) {
                    partial = Array(chunk[(end + 1)...].prefix(512))
                } else if partial.count < 512 {
                    partial += chunk.prefix(512 - partial.count)
                }
                if partial.first == 0 { partial.removeFirst() }   // the NUL of a telnet CR NUL
            case .wouldBlock:
                return .drained
            case .eof:
                // The last lines all go now: the connection is ending.
                framer.finish { pending.append($0) }
                for event in pending[pendingStart...] { onLine(event) }
                pending = []
                pendingStart = 0
                return .closed
            }
        }
        return .more
    }
}
