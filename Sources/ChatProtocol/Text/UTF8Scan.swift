/// Byte-level UTF-8 decoding by the Unicode "maximal subpart" rule (Unicode 15 §3.9,
/// U+FFFD substitution; the same practice as the WHATWG Encoding Standard).
///
/// Well-formed sequences (Unicode Table 3-7):
///
///     00..7F
///     C2..DF  80..BF
///     E0      A0..BF  80..BF
///     E1..EC  80..BF  80..BF
///     ED      80..9F  80..BF
///     EE..EF  80..BF  80..BF
///     F0      90..BF  80..BF  80..BF
///     F1..F3  80..BF  80..BF  80..BF
///     F4      80..8F  80..BF  80..BF
///
/// A "maximal subpart" is the longest prefix of such a sequence found before the sequence
/// breaks; it becomes one U+FFFD. A byte that cannot start any sequence (80..C1, F5..FF) is
/// a subpart of length 1.
enum UTF8Scan {
    /// The unit that starts at `i` (which must be `< end`): `+n` for a well-formed scalar of
    /// `n` bytes, `-n` for an ill-formed maximal subpart of `n` bytes (`n >= 1`).
    /// Reading stops at `end`, so a sequence truncated by `end` is a subpart.
    @inline(__always)
    static func unit(_ p: UnsafeRawBufferPointer, at i: Int, end: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        let need: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 2
        case 0xE0: need = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 3
        case 0xED: need = 3; hi = 0x9F
        case 0xF0: need = 4; lo = 0x90
        case 0xF1...0xF3: need = 4
        case 0xF4: need = 4; hi = 0x8F
        default: return -1  // 80..C1 (stray continuation, overlong C0/C1 lead), F5..FF
        }
        // Second byte has the lead-specific range; the rest are plain continuations.
        var k = 1
        while k < need {
            let j = i + k
            if j >= end { return -k }
            let b = p[j]
            if b < lo || b > hi { return -k }
            lo = 0x80; hi = 0xBF
            k += 1
        }
        return need
    }

    /// Length of the last unit of `p[0..<end]` as the forward scan would split it (always
    /// positive; 0 only when `end == 0`). Used by backspace: it removes what the reader sees
    /// as one character, a whole scalar or one U+FFFD.
    static func lastUnitLength(_ p: UnsafeRawBufferPointer, end: Int) -> Int {
        if end == 0 { return 0 }
        // Any non-continuation byte is a point where the forward scan starts a new unit, so
        // scanning forward from the last one within reach gives the same split as scanning
        // the whole buffer. A unit holds at most 3 continuation bytes, so if the last 4
        // bytes are all continuations the final byte is a stray on its own.
        var start = end - 1
        let floor = max(0, end - 4)
        while start > floor, p[start] & 0xC0 == 0x80 { start -= 1 }
        if p[start] & 0xC0 == 0x80 { return 1 }
        var i = start
        var last = 0
        while i < end {
            last = abs(unit(p, at: i, end: end))
            i += last
        }
        return last
    }

    /// True when `p` is entirely well-formed UTF-8.
    static func isValid(_ p: UnsafeRawBufferPointer) -> Bool {
        let n = p.count
        var i = 0
        while i < n {
            // ASCII run, 8 bytes at a time where aligned reads are cheap.
            while i + 8 <= n, p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            if i >= n { break }
            let u = unit(p, at: i, end: n)
            if u < 0 { return false }
            i += u
        }
        return true
    }
}
