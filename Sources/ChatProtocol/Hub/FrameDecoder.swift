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

    /// The one frame a packet holds (a sequenced-packet socket keeps frames apart): `body`'s
    /// answer for it, or nil unless the packet is exactly one whole, sound frame.
    public static func onlyFrame<R>(in packet: UnsafeRawBufferPointer, _ body: (UInt8, UnsafeRawBufferPointer) -> R?) -> R? {
        var decoder = FrameDecoder()
        decoder.append(packet)
        guard let answer = try? decoder.next(body), decoder.buffered == 0 else { return nil }
        return answer
    }
}
