import ChatPOSIX
import ChatProtocol

/// Bytes waiting for a non-blocking descriptor, bounded: past `limit` the owner gives up on
/// the peer ("send queue exceeded") instead of buffering without end.
struct SendQueue {
    private(set) var bytes: [UInt8] = []
    private var start = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { bytes.count - start }
    var isEmpty: Bool { start == bytes.count }
    var overLimit: Bool { count > limit }

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }
    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func append(request: HubRequest) { request.appendFrame(to: &bytes) }
    /// Lets `body` write straight into the queue.
    mutating func append(_ body: (inout [UInt8]) -> Bool) -> Bool { body(&bytes) }

    /// Where the next byte appended goes: a mark for `removeTail(from:)` (valid until the
    /// next `flush`).
    var endIndex: Int { bytes.count }

    /// Takes back what was appended since `mark` (an `endIndex`), to wrap it before it goes.
    mutating func removeTail(from mark: Int) -> [UInt8] {
        let from = max(mark, start)
        guard from < bytes.count else { return [] }
        defer { bytes.removeSubrange(from...) }
        return Array(bytes[from...])
    }

    /// Writes what the descriptor takes now. Returns false when the peer is gone.
    mutating func flush(to fd: Int32) -> Bool {
        while !isEmpty {
            let r: Result<IOResult, SystemError> = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[start...])) }
            }
            switch r {
            case .success(.done(let n)): start += n
            case .success(.wouldBlock): compact(); return true
            case .success(.eof), .failure: return false
            }
        }
        // Up to 64 KiB stays allocated: what one read of hub events renders to, so a busy
        // session does not allocate (and fault in) a fresh buffer for every batch.
        bytes.removeAll(keepingCapacity: bytes.capacity <= 65536)
        start = 0
        return true
    }

    /// Hands everything queued to `body` at once and empties the queue (a TLS session seals
    /// it into records).
    mutating func drain(_ body: (UnsafeRawBufferPointer) -> Void) {
        guard !isEmpty else { return }
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        bytes.removeAll(keepingCapacity: bytes.capacity <= 65536)
        start = 0
    }

    /// Gives back the buffer when nothing waits (after a burst; see `SessionProcess`).
    mutating func releaseMemory() {
        if isEmpty {
            bytes = []
            start = 0
        }
    }

    /// Drops written bytes once they are half the queue, so a long queue is not moved on
    /// every partial write.
    private mutating func compact() {
        if start > 16384 && start >= bytes.count / 2 {
            bytes.removeFirst(start)
            start = 0
        }
    }
}
