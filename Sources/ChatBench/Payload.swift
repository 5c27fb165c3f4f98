/// The text of every line the bench sends:
///
///     ~B~ SENDER SEQ TIME PAD CHECKSUM
///
/// `SENDER` is the sending client's number, `SEQ` its line number (from 0), `TIME` the send
/// time in nanoseconds since the run's start (CLOCK_MONOTONIC is one clock for all processes
/// on the machine), `PAD` filler up to the line size and `CHECKSUM` 8 hex digits over
/// everything before the space that precedes it. A receiver finds the marker wherever the
/// server put it in the line it delivers (`[12:34] <b3> ~B~ …`, `:b3!b3@h PRIVMSG #bench :~B~ …`,
/// `<user5> ~B~ …`), so one parser serves every dialect; a line that has the marker but fails
/// the parse or the checksum is corrupt.
enum Payload {
    static let marker: (UInt8, UInt8, UInt8, UInt8) = (0x7E, 0x42, 0x7E, 0x20)  // "~B~ "
    static let checksumDigits = 8
    /// The shortest payload: marker, three one-digit numbers, one pad byte, checksum.
    static let minimumSize = 4 + 2 + 2 + 2 + 2 + checksumDigits

    struct Parsed: Equatable {
        var sender: Int
        var seq: UInt64
        var time: UInt64
    }

    /// Writes one payload of `size` bytes (more if `size` is below what the numbers need)
    /// at `out`; returns the length written. `out` must have room for `max(size, 64)`.
    @inline(__always)
    static func encode(into out: UnsafeMutablePointer<UInt8>, size: Int, sender: Int, seq: UInt64, time: UInt64) -> Int {
        out[0] = 0x7E; out[1] = 0x42; out[2] = 0x7E; out[3] = 0x20
        var n = 4
        n += writeDecimal(UInt64(sender), to: out + n)
        out[n] = 0x20; n += 1
        n += writeDecimal(seq, to: out + n)
        out[n] = 0x20; n += 1
        n += writeDecimal(time, to: out + n)
        out[n] = 0x20; n += 1
        // Pad so that the whole payload is `size` bytes (at least one pad byte).
        let pad = max(1, size - n - 1 - checksumDigits)
        var letter = UInt8(truncatingIfNeeded: seq % 26)
        for i in 0..<pad {
            out[n + i] = 0x61 &+ letter
            letter = letter == 25 ? 0 : letter &+ 1
        }
        n += pad
        let sum = checksum(UnsafePointer(out), n)
        out[n] = 0x20; n += 1
        writeHex32(sum, to: out + n)
        return n + checksumDigits
    }

    /// Parses a payload that starts at `p` (on the marker) and runs `count` bytes to the end
    /// of the line (line end excluded). nil when it is malformed or the checksum is wrong.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> Parsed? {
        guard count >= minimumSize, p[count - checksumDigits - 1] == 0x20 else { return nil }
        guard let want = readHex32(p + count - checksumDigits) else { return nil }
        guard checksum(p, count - checksumDigits - 1) == want else { return nil }
        var i = 4
        guard let sender = readDecimal(p, count, &i), i < count, p[i] == 0x20 else { return nil }
        i += 1
        guard let seq = readDecimal(p, count, &i), i < count, p[i] == 0x20 else { return nil }
        i += 1
        guard let time = readDecimal(p, count, &i), i < count, p[i] == 0x20 else { return nil }
        guard sender <= UInt64(Int32.max) else { return nil }
        return Parsed(sender: Int(sender), seq: seq, time: time)
    }

    /// Finds the marker in `p[0..<count]`; its offset or -1.
    @inline(__always)
    static func find(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var i = 0
        let last = count - 4
        while i <= last {
            if p[i] == 0x7E && p[i + 1] == 0x42 && p[i + 2] == 0x7E && p[i + 3] == 0x20 { return i }
            i += 1
        }
        return -1
    }

    /// A fast 32-bit checksum, 8 bytes at a time (not cryptographic: it catches changed,
    /// lost, added and swapped bytes, which is what a chat server could do wrong).
    @inline(__always)
    static func checksum(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 32
        return UInt32(truncatingIfNeeded: h)
    }

    @inline(__always)
    static func writeDecimal(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 10 { out[0] = 0x30 &+ UInt8(value); return 1 }
        var digits = 0
        var v = value
        while v > 0 { digits += 1; v /= 10 }
        v = value
        var i = digits - 1
        while i >= 0 {
            out[i] = 0x30 &+ UInt8(v % 10)
            v /= 10
            i -= 1
        }
        return digits
    }

    @inline(__always)
    static func readDecimal(_ p: UnsafePointer<UInt8>, _ count: Int, _ i: inout Int) -> UInt64? {
        let start = i
        var v: UInt64 = 0
        while i < count {
            let d = p[i] &- 0x30
            if d > 9 { break }
            if i - start >= 19 { return nil }
            v = v &* 10 &+ UInt64(d)
            i += 1
        }
        return i > start ? v : nil
    }

    @inline(__always)
    static func writeHex32(_ value: UInt32, to out: UnsafeMutablePointer<UInt8>) {
        for i in 0..<8 {
            let nibble = UInt8((value >> UInt32(28 - 4 * i)) & 0xF)
            out[i] = nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble
        }
    }

    @inline(__always)
    static func readHex32(_ p: UnsafePointer<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for i in 0..<8 {
            let c = p[i]
            let d: UInt8
            if c >= 0x30 && c <= 0x39 { d = c - 0x30 } else if c >= 0x61 && c <= 0x66 { d = c - 0x57 } else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
