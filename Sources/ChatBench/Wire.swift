import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Messages between the bench parent and its workers, over pipes, in hub frames
/// (`HubFrame`: magic, version, type, length, CRC-32C; the one framing of the suite) whose
/// type is the message's letter and whose payload (`BinaryWriter`) is `[more bool][count]
/// [count values]`, varints. A message too long for one frame (a worker's latency samples)
/// comes in several, all but the last with `more` set. Small, rare, and both ends are ours.
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

    /// Values per frame: at most 10 bytes each as varints, well under `HubFrame.maxPayload`.
    static let valuesPerFrame = 6000

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        var rest = values[...]
        repeat {
            let chunk = rest.prefix(Self.valuesPerFrame)
            rest = rest.dropFirst(chunk.count)
            HubFrame.append(type: type, to: &out) { w in
                w.bool(!rest.isEmpty)
                w.varint(UInt64(chunk.count))
                for v in chunk { w.varint(v) }
            }
        } while !rest.isEmpty
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
    private var decoder = FrameDecoder()
    /// The values of a message whose last frame has not come yet.
    private var partial: [UInt64] = []
    private(set) var closed = false

    init(fd: Int32) { self.fd = fd }

    /// The next complete message already buffered, if any. A corrupt stream counts as closed.
    mutating func next() -> WireMessage? {
        do {
            while let frame = try decoder.next({ type, payload -> (type: UInt8, more: Bool, values: [UInt64]) in
                var r = BinaryReader(payload)
                let more = try r.bool()
                let n = try r.count(limit: r.remaining)
                var values: [UInt64] = []
                values.reserveCapacity(n)
                for _ in 0..<n { values.append(try r.varint()) }
                try r.finish()
                return (type, more, values)
            }) {
                partial += frame.values
                if !frame.more {
                    defer { partial = [] }
                    return WireMessage(type: frame.type, values: partial)
                }
            }
        } catch {
            closed = true
        }
        return nil
    }

    /// Reads what is there now (non-blocking descriptor). False at end of stream.
    @discardableResult
    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
            switch r {
            case .done(let k)?: chunk.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[..<k])) }
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
