import ChatPOSIX
import ChatTLS

/// The TLS side of one worker's clients (`--tls`): a `TLSConnection` per client (ChatTLS, the
/// server's and chat-tui's code) and the records not yet written to its socket. The worker
/// keeps parsing plaintext as it does on a plain connection; this type sits between it and
/// the socket. Certificates are not judged: the bench measures servers, it does not trust them.
final class TLSClients {
    enum Received {
        /// Plaintext was handed over (possibly none); `handshakeDone`: the handshake just ended.
        case ok(handshakeDone: Bool)
        case closed
        case failed(String)
    }

    enum Sent {
        /// The plaintext is taken (sealed); some records may still wait for the socket.
        case taken
        /// Records of an earlier write still wait for the socket: nothing taken, wait for writable.
        case blocked
        case failed
    }

    private let context: TLSContext
    private var connections: [TLSConnection?]
    /// Per client, records for the socket from `pendingStart` on.
    private var pending: [[UInt8]]
    private var pendingStart: [Int]
    /// Where records read from the sockets land before they are opened.
    private let records: UnsafeMutableRawBufferPointer

    init(clients: Int) throws(TLSError) {
        context = try TLSContext.client(systemStore: false)
        connections = Array(repeating: nil, count: clients)
        pending = Array(repeating: [], count: clients)
        pendingStart = Array(repeating: 0, count: clients)
        records = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { records.deallocate() }

    /// A new connection on a connected socket: its ClientHello goes out. False when it cannot start.
    func start(_ i: Int, fd: Int32) -> Bool {
        guard let c = try? TLSConnection(context: context) else { return false }
        connections[i] = c
        pending[i].removeAll(keepingCapacity: true)
        pendingStart[i] = 0
        _ = try? c.read(into: records)  // writes the ClientHello
        return flushPending(i, fd: fd) != .failed
    }

    /// Reads what the socket has and opens the records: each run of plaintext goes where
    /// `room` says (asked before each run) and is then handed to `plaintext`.
    func receive(_ i: Int, fd: Int32, room: () -> UnsafeMutableRawBufferPointer,
                 _ plaintext: (_ count: Int) -> Void) -> Received {
        guard let c = connections[i] else { return .failed("no TLS connection") }
        let wasDone = c.handshakeDone
        switch Result(catching: { () throws(SystemError) in try FD.read(fd, into: records) }) {
        case .success(.done(let n)): c.feed(UnsafeRawBufferPointer(rebasing: records[..<n]))
        case .success(.wouldBlock): return .ok(handshakeDone: false)
        case .success(.eof), .failure: return .closed
        }
        while true {
            let n: Int
            do { n = try c.read(into: room()) } catch {
                _ = flushPending(i, fd: fd)  // the alert, if any
                return .failed("TLS: \(error)")
            }
            if n == 0 { break }
            plaintext(n)
            if connections[i] == nil { return .closed }  // the worker gave up on it meanwhile
        }
        if flushPending(i, fd: fd) == .failed { return .closed }
        if c.peerClosed { return .closed }
        return .ok(handshakeDone: !wasDone && c.handshakeDone)
    }

    /// Seals `bytes` into records and writes what the socket takes.
    func send(_ i: Int, fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Sent {
        guard let c = connections[i] else { return .failed }
        switch flushPending(i, fd: fd) {
        case .failed: return .failed
        case .blocked: return .blocked
        case .taken: break
        }
        guard (try? c.write(bytes)) == true else { return .failed }
        c.takeOutput(into: &pending[i])
        return flushPending(i, fd: fd) == .failed ? .failed : .taken
    }

    /// Whether records wait for the socket (the worker then waits for writable).
    func hasPending(_ i: Int) -> Bool { pendingStart[i] < pending[i].count }

    /// Writes the waiting records: `.taken` when none are left, `.blocked` when the socket is full.
    @discardableResult
    func flushPending(_ i: Int, fd: Int32) -> Sent {
        if let c = connections[i], c.hasOutput { c.takeOutput(into: &pending[i]) }
        while pendingStart[i] < pending[i].count {
            let r = pending[i].withUnsafeBytes { raw in
                Result { () throws(SystemError) in try FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[pendingStart[i]...])) }
            }
            switch r {
            case .success(.done(let n)): pendingStart[i] += n
            case .success(.wouldBlock): return .blocked
            case .success(.eof), .failure: return .failed
            }
        }
        pending[i].removeAll(keepingCapacity: true)
        pendingStart[i] = 0
        return .taken
    }

    /// Forgets a client's connection (its socket is being closed).
    func end(_ i: Int) {
        connections[i] = nil
        pending[i] = []
        pendingStart[i] = 0
    }
}
