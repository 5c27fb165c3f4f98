/// Base64 (RFC 4648, the standard alphabet with `=` padding), without Foundation: what SASL's
/// `AUTHENTICATE` payloads are written in.
public enum Base64 {
    /// The bytes `text` encodes; nil when it is not canonical base64 (a length that is not a
    /// multiple of four, a character outside the alphabet, padding anywhere but at the end,
    /// or bits left over in the last group).
    public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            var group: UInt32 = 0
            var padding = 0
            for j in 0..<4 {
                let c = chars[i + j]
                if c == UInt8(ascii: "=") {
                    // Only the last one or two of the last group.
                    guard isLast, j >= 2 else { return nil }
                    padding += 1
                    group <<= 6
                    continue
                }
                guard padding == 0, let v = value(c) else { return nil }
                group = group << 6 | UInt32(v)
            }
            let bytes = [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
            // Non-canonical: bits set in what the padding leaves out.
            if padding == 1 && bytes[2] != 0 { return nil }
            if padding == 2 && (bytes[1] != 0 || bytes[2] != 0) { return nil }
            out.append(contentsOf: bytes.prefix(3 - padding))
            i += 4
        }
        return out
    }

    /// `bytes` in base64, padded.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var group: UInt32 = 0
            for j in 0..<3 { group = group << 8 | UInt32(j < n ? bytes[i + j] : 0) }
            for j in 0..<4 {
                out.append(j <= n ? alphabet[Int(group >> (18 - 6 * UInt32(j)) & 0x3F)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
