import CChecksum

/// CRC-32C (Castagnoli), the checksum of every hub frame.
///
/// With the processor's CRC instruction when it has one (SSE 4.2 on x86-64, the CRC extension
/// on AArch64; see `CChecksum/crc32c.h`), else slicing-by-8 table lookup. Every session checks
/// one frame per delivered line, so this is on the hot path: the tables cost about a third of a
/// session's CPU in a flat-out fanout, the instruction next to nothing.
public enum CRC32C {
    /// Whether `checksum` uses the processor's instruction.
    public static let usesHardware = cchecksum_crc32c_available() != 0

    static let tables: [[UInt32]] = {
        var t = Array(repeating: Array(repeating: UInt32(0), count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()

    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    @inline(__always)
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        if usesHardware {
            guard let base = bytes.baseAddress else { return crc }
            return ~cchecksum_crc32c_update(~crc, base, bytes.count)
        }
        return tableChecksum(bytes, continuing: crc)
    }

    /// The same checksum from the tables alone (the fallback, and the tests' reference).
    public static func tableChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { tabs in
            let t0 = tabs[0], t1 = tabs[1], t2 = tabs[2], t3 = tabs[3]
            let t4 = tabs[4], t5 = tabs[5], t6 = tabs[6], t7 = tabs[7]
            while n - i >= 8 {
                let lo = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                let hi = UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 24
                let x = c ^ lo
                c = t7[Int(x & 0xFF)] ^ t6[Int((x >> 8) & 0xFF)] ^ t5[Int((x >> 16) & 0xFF)] ^ t4[Int(x >> 24)]
                    ^ t3[Int(hi & 0xFF)] ^ t2[Int((hi >> 8) & 0xFF)] ^ t1[Int((hi >> 16) & 0xFF)] ^ t0[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = t0[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return ~c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
