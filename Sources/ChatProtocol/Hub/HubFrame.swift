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

    /// The type byte of an encoded frame (at least a header long).
    @inline(__always)
    public static func type(of frame: [UInt8]) -> UInt8 { frame[3] }

    /// One frame as a new array.
    public static func make(type: UInt8, _ body: (inout BinaryWriter) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        append(type: type, to: &out, body)
        return out
    }
}
