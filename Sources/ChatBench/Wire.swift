import ChatPOSIX
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Messages between the bench parent and its workers, over pipes:
/// `[type u8][count u32 LE][count × u64 LE]`. Small, rare, and both ends are ours.
struct WireMessage: Equatable {
    var type: UInt8
    var values: [UInt64]

    init(_ type: Character, _ values: [UInt64] = []) {
        self.type = type.asciiValue!
        self.values = values
    }

    init(type: UInt8, values: [UInt64]) {
        self.type = type
        self.values = values
    }

    var kind: Character { Character(UnicodeScalar(type)) }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(5 + values.count * 8)
        out.append(type)
        let n = UInt32(values.count)
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt32(i)))) }
        for v in values {
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        return out
    }

    /// Sends the whole message (the descriptor may be non-blocking: waits for room).
    func send(to fd: Int32) throws(SystemError) {
        try FD.writeAll(fd, encoded())
    }
}

/// Reassembles messages from a pipe.
struct WireReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private(set) var closed = false

    init(fd: Int32) { self.fd = fd }

    /// The next complete message already buffered, if any.
    mutating func next() -> WireMessage? {
        let avail = buffer.count - start
        guard avail >= 5 else { return nil }
        let n = Int(buffer[start + 1]) | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3]) << 16 | Int(buffer[start + 4]) << 24
        guard avail >= 5 + n * 8 else { return nil }
        var values: [UInt64] = []
        values.reserveCapacity(n)
        buffer.withUnsafeBytes { raw in
            var off = start + 5
            for _ in 0..<n {
                values.append(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt64.self)))
                off += 8
            }
        }
        let msg = WireMessage(type: buffer[start], values: values)
        start += 5 + n * 8
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        return msg
    }

    /// Reads what is there now (non-blocking descriptor). False at end of stream.
    @discardableResult
    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
            switch r {
            case .done(let k)?: buffer.append(contentsOf: chunk[..<k])
            case .wouldBlock?: return true
            case .eof?, nil: closed = true; return false
            }
        }
    }

    /// Waits up to `timeoutMS` for a whole message.
    mutating func wait(timeoutMS: Int) -> WireMessage? {
        let deadline = Proc.monotonicNanos() + UInt64(max(timeoutMS, 0)) * 1_000_000
        while true {
            if let m = next() { return m }
            if closed { return nil }
            let now = Proc.monotonicNanos()
            if now >= deadline { return nil }
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: Int32(clamping: (deadline - now) / 1_000_000 + 1))
            fill()
        }
    }
}

/// Histogram contents as (value, count) pairs, flattened, for the wire.

extension Histogram where Count == UInt64 {
    func flattened() -> [UInt64] {
        var out: [UInt64] = []
        for v in recordedValues() {
            out.append(v.value)
            out.append(v.count)
        }
        return out
    }

    mutating func add(flattened pairs: ArraySlice<UInt64>) {
        var i = pairs.startIndex
        while i + 1 < pairs.endIndex {
            record(pairs[i], count: pairs[i + 1])
            i += 2
        }
    }

    static func latency() -> Self {
        // Nanoseconds up to 100 s, 3 significant digits.
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }
}
