import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

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
