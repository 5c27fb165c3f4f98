/// The frame that carries one hub request or event on a session's socket pair:
///
///     [magic u16][version u8][type u8][length u32][crc32c u32][payload]
///
/// little-endian. The CRC-32C covers version, type, length and payload, so a flipped bit
/// anywhere after the magic is caught. The payload is at most `maxPayload` bytes. The type
/// byte is a `HubMessageType`, kept raw here: a decoder must be able to report an unknown one.
/// The bench's parent and workers use the same frames with letters for types (ChatBench/Wire.swift).
public enum HubFrame {
    public static let magic: UInt16 = 0xC4A7
    public static let version: UInt8 = 1
    public static let headerSize = 12
    public static let maxPayload = 64 * 1024

    /// Appends one frame to `out`; `body` writes the payload. Traps if the payload is larger
    /// than `maxPayload`: callers bound their strings long before that.
    @inline(__always)
    public static func append(type: UInt8, to out: inout [UInt8], _ body: (inout BinaryWriter) -> Void) {
        var w = BinaryWriter(capacity: 0)
        swap(&w.bytes, &out)
        let start = w.bytes.count
        w.u16(magic)
        w.u8(version)
        w.u8(type)
        w.u32(0)  // length, patched below
        w.u32(0)  // crc, patched below
        body(&w)
        let length = w.bytes.count - start - headerSize
        precondition(length <= maxPayload, "hub frame payload of \(length) bytes exceeds \(maxPayload)")
        w.bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(length).littleEndian, toByteOffset: start + 4, as: UInt32.self)
            let covered = UnsafeRawBufferPointer(rebasing: raw[(start + 2)..<(start + 8)])
            var crc = CRC32C.checksum(covered)
            crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(start + headerSize)...]), continuing: crc)
            raw.storeBytes(of: crc.littleEndian, toByteOffset: start + 8, as: UInt32.self)
        }
        swap(&w.bytes, &out)
    }

    /// One frame as a new array.
    public static func make(type: UInt8, _ body: (inout BinaryWriter) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        append(type: type, to: &out, body)
        return out
    }
}

/// Why a frame stream is corrupt. Once a decoder reports one, the stream is unusable.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case badMagic(UInt16)
    case unsupportedVersion(UInt8)
    case oversize(UInt32)
    case checksumMismatch(expected: UInt32, actual: UInt32)

    public var description: String {
        switch self {
        case .badMagic(let m): return "bad frame magic 0x\(String(m, radix: 16))"
        case .unsupportedVersion(let v): return "unsupported frame version \(v)"
        case .oversize(let n): return "frame length \(n) exceeds \(HubFrame.maxPayload)"
        case .checksumMismatch(let e, let a):
            return "frame checksum mismatch (header 0x\(String(e, radix: 16)), payload 0x\(String(a, radix: 16)))"
        }
    }
}

/// Incremental decoder: feed it whatever `read` returned, then take whole frames out.
/// It handles partial frames and several frames per read, and holds at most one partial
/// frame (header + 64 KiB) beyond the frames not yet taken.
public struct FrameDecoder {
    private var buffer: [UInt8] = []
    private var start = 0
    public private(set) var failure: FrameError?

    public init() {}

    /// Bytes received but not yet returned as frames.
    public var buffered: Int { buffer.count - start }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        // Typed, so the copy is one memcpy rather than a byte-by-byte iteration.
        buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Gives back the buffer's memory when every byte has been taken (after a burst); the next
    /// `append` allocates it again. A partial frame is kept.
    public mutating func releaseMemory() {
        if start == buffer.count {
            buffer = []
            start = 0
        }
    }

    /// Capacity of the buffer, for tests of `releaseMemory`.
    var capacity: Int { buffer.capacity }

    private mutating func compact() {
        if start > 0 && (start == buffer.count || start >= 4096) {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// Calls `body` with the type and payload of the next whole frame, if there is one, and
    /// returns whether it did. Throws (and keeps throwing) once the stream is corrupt.
    @inline(__always)
    public mutating func next<R>(_ body: (UInt8, UnsafeRawBufferPointer) throws -> R) throws -> R? {
        if let failure { throw failure }
        let available = buffer.count - start
        guard available >= HubFrame.headerSize else { return nil }
        let header: (UInt16, UInt8, UInt8, UInt32, UInt32) = buffer.withUnsafeBytes { raw in
            let p = raw.baseAddress! + start
            return (UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)),
                    p.load(fromByteOffset: 2, as: UInt8.self),
                    p.load(fromByteOffset: 3, as: UInt8.self),
                    UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
                    UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        }
        let (magic, version, type, length, crc) = header
        if magic != HubFrame.magic { failure = .badMagic(magic); throw failure! }
        if version != HubFrame.version { failure = .unsupportedVersion(version); throw failure! }
        if length > UInt32(HubFrame.maxPayload) { failure = .oversize(length); throw failure! }
        let total = HubFrame.headerSize + Int(length)
        guard available >= total else { return nil }
        let frameStart = start
        let actual = buffer.withUnsafeBytes { raw in
            let c = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(frameStart + 2)..<(frameStart + 8)]))
            return CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[(frameStart + HubFrame.headerSize)..<(frameStart + total)]),
                continuing: c)
        }
        if actual != crc { failure = .checksumMismatch(expected: crc, actual: actual); throw failure! }
        start += total
        return try buffer.withUnsafeBytes { raw in
            try body(type, UnsafeRawBufferPointer(rebasing: raw[(frameStart + HubFrame.headerSize)..<(frameStart + total)]))
        }
    }
}
