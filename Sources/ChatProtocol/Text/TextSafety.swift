/// Making bytes and text from one user safe to show to another.
///
/// The order at the edge of the server is: bytes off the wire → `repairUTF8` → `sanitize`.
/// `sanitize(_, keepIRCFormatting: true)` is what to store and send to IRC clients;
/// `stripIRCFormatting` of that (equal to `sanitize(_)`) is what a telnet user or a plain
/// terminal should see.
public enum TextSafety {

    // MARK: - UTF-8 repair

    /// Decodes UTF-8, replacing each ill-formed maximal subpart (overlong forms, surrogates,
    /// truncated sequences, code points above U+10FFFF, stray continuation bytes, bytes
    /// C0, C1, F5..FF) with one U+FFFD, as the Unicode Standard (§3.9) and WHATWG recommend.
    /// Valid input is copied once with no rebuilding.
    public static func repairUTF8(_ bytes: UnsafeRawBufferPointer) -> String {
        if let valid = validUTF8(bytes) { return valid }
        // Each 1..3-byte subpart becomes 3 bytes (EF BF BD), so 3x is a safe bound.
        return String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            let n = bytes.count
            var i = 0
            var o = 0
            while i < n {
                let u = UTF8Scan.unit(bytes, at: i, end: n)
                if u > 0 {
                    for k in 0..<u { out[o + k] = bytes[i + k] }
                    o += u
                    i += u
                } else {
                    out[o] = 0xEF; out[o + 1] = 0xBF; out[o + 2] = 0xBD
                    o += 3
                    i -= u
                }
            }
            return o
        }
    }

    /// Whether `bytes` are well-formed UTF-8 (IRC clients must send it: ISUPPORT `UTF8ONLY`).
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { UTF8Scan.isValid($0) }
    }

    /// The string of `bytes` if they are valid UTF-8, else nil. Copied once; unlike
    /// `String(validating:as:)`, whose generic code asks the runtime for metadata on every
    /// call (a write to a runtime page, which a forked session would copy).
    public static func validUTF8(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard UTF8Scan.isValid(bytes) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            _ = out.initialize(fromContentsOf: bytes)
            return bytes.count
        }
    }

    /// `repairUTF8` for any byte collection (an `[UInt8]`, an `ArraySlice`, a `String.UTF8View`...).
    public static func repairUTF8<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let s = bytes.withContiguousStorageIfAvailable({ repairUTF8(UnsafeRawBufferPointer($0)) }) {
            return s
        }
        return Array(bytes).withUnsafeBytes { repairUTF8($0) }
    }

    // MARK: - Sanitizing

    /// Removes everything that could act on a terminal or disguise text:
    ///
    /// - every C0 control (0x00–0x1F) except that TAB becomes one space, and DEL (0x7F);
    /// - every C1 control (U+0080–U+009F);
    /// - whole escape sequences, not only their ESC: CSI (`ESC [` or U+009B, parameter and
    ///   intermediate bytes 0x20–0x3F, through the final byte 0x40–0x7E); the string
    ///   sequences OSC (`ESC ]`, U+009D), DCS (`ESC P`, U+0090), SOS (`ESC X`, U+0098),
    ///   PM (`ESC ^`, U+009E) and APC (`ESC _`, U+009F) through their terminator — ST
    ///   (`ESC \` or U+009C), BEL, or CAN/SUB which abort them — or to the end of the text
    ///   when unterminated; and other escapes (`ESC`, intermediates 0x20–0x2F, one final
    ///   byte 0x30–0x7E, e.g. `ESC c`, `ESC ( B`, `ESC # 8`). A CSI broken by a byte that
    ///   cannot be part of it ends there and that byte is treated as ordinary input;
    /// - every format character (Unicode category Cf): bidi overrides, embeddings, isolates
    ///   and marks, which let one user make text read differently from how it is stored (a
    ///   nick or a URL shown reversed: "Trojan Source", CVE-2021-42574); zero-width
    ///   characters and U+FEFF, which make two texts that look the same differ; tags and
    ///   invisible operators. Joined emoji fall apart into their pieces, the price of
    ///   seeing every character that is there;
    /// - separators other than the ASCII space (categories Zs, Zl, Zp: no-break and other
    ///   spaces, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR), each of which becomes
    ///   one space, as TAB does: some terminals and clients break lines at them.
    ///
    /// Characters are judged by their Unicode category (`shownAs`), not by a list, so what a
    /// later Unicode version adds to those categories is covered as the standard library's
    /// tables know it.
    ///
    /// With `keepIRCFormatting` the IRC formatting codes (0x02 bold, 0x03 colour, 0x04 hex
    /// colour, 0x0F reset, 0x11 monospace, 0x16 reverse, 0x1D italic, 0x1E strikethrough,
    /// 0x1F underline) and CTCP's 0x01 stay, for text going to IRC clients. Without it
    /// they are removed with their colour numbers, so `sanitize(s)` equals
    /// `stripIRCFormatting(sanitize(s, keepIRCFormatting: true))`.
    ///
    /// Text with nothing to remove is returned as it is, after one scan of its bytes (ASCII
    /// is judged by the byte; each other scalar by one category lookup).
    /// Line ends (CR, LF) are controls too: the result is always one line.
    public static func sanitize(_ text: String, keepIRCFormatting: Bool = false) -> String {
        var text = text
        let dirty = text.withUTF8 { needsSanitizing($0, keepIRC: keepIRCFormatting) }
        if !dirty { return text }
        let kept = text.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count) { out in
                sanitizeBytes(UnsafeRawBufferPointer(p), into: out)
            }
        }
        return keepIRCFormatting ? kept : stripIRCFormatting(kept)
    }

    /// Whether `sanitize` would change `text` (one scan, no allocation).
    public static func isSafe(_ text: String, keepIRCFormatting: Bool = false) -> Bool {
        var text = text
        return !text.withUTF8 { needsSanitizing($0, keepIRC: keepIRCFormatting) }
    }

    /// Bit i set: C0 control i survives `sanitize(_, keepIRCFormatting: true)`.
    /// 0x01 CTCP, 0x02 bold, 0x03 colour, 0x04 hex colour, 0x0F reset, 0x11 monospace,
    /// 0x16 reverse, 0x1D italic, 0x1E strikethrough, 0x1F underline.
    static let ircControls: UInt32 =
        1 << 0x01 | 1 << 0x02 | 1 << 0x03 | 1 << 0x04 | 1 << 0x0F | 1 << 0x11
        | 1 << 0x16 | 1 << 0x1D | 1 << 0x1E | 1 << 0x1F

    @inline(__always)
    static func isIRCControl(_ b: UInt8) -> Bool {
        b < 0x20 && ircControls & (1 << UInt32(b)) != 0
    }

    /// What a scalar outside ASCII becomes in `sanitize`.
    public enum Shown: Equatable, Sendable {
        case itself
        /// A separator other than the ASCII space: one space.
        case space
        /// A control or format character: removed.
        case nothing
    }

    /// How `sanitize` shows `scalar`, by its Unicode general category: controls (Cc) and
    /// format characters (Cf) are removed, separators (Zs, Zl, Zp) but the ASCII space become
    /// a space, everything else is itself. (For ASCII controls `sanitize` does more: escape
    /// sequences go whole, and IRC formatting may stay.)
    public static func shownAs(_ scalar: Unicode.Scalar) -> Shown {
        let v = scalar.value
        if v < 0x10000 {
            if basicBlocks[Int(v >> 12)] & (1 << (v >> 6 & 63)) == 0 { return .itself }
        } else if v < 0x20000 {
            if supplementaryBlocks[Int((v - 0x10000) >> 12)] & (1 << (v >> 6 & 63)) == 0 { return .itself }
        }
        return byCategory(scalar)
    }

    static func byCategory(_ scalar: Unicode.Scalar) -> Shown {
        if scalar == " " { return .itself }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate: return .nothing
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .space
        default: return .itself
        }
    }

    /// One bit per block of 64 scalars of the Basic Multilingual Plane: set when the block
    /// holds a scalar that is not shown as itself, so only scalars of those few blocks need
    /// the category lookup (tens of nanoseconds, against one for the bit). Made from the
    /// standard library's category tables on first use (a few milliseconds; the spawner's
    /// rehearsal makes it before sessions are forked).
    static let basicBlocks = summary(of: 0)
    /// The same for the Supplementary Multilingual Plane (emoji, historic scripts), made
    /// when the first of its scalars is seen. Scalars above it take the lookup.
    static let supplementaryBlocks = summary(of: 0x10000)

    /// The block summary of the 65,536 scalars from `start`.
    static func summary(of start: UInt32) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 16)
        for block in 0..<1024 {
            let first = start + UInt32(block << 6)
            for v in first..<first + 64 {
                guard let s = Unicode.Scalar(v), byCategory(s) != .itself else { continue }
                bits[block >> 6] |= 1 << UInt64(block & 63)
                break
            }
        }
        return bits
    }

    /// Whether `scalar` must not appear in a name or reach a terminal as it is: a control, a
    /// format character or a separator other than the ASCII space (see `shownAs`).
    @inline(__always)
    public static func cannotBeShown(_ scalar: Unicode.Scalar) -> Bool { shownAs(scalar) != .itself }

    /// Whether the scalar of `length` bytes at `i` is in a block that the summaries mark (or
    /// above them): its block number straight from the bytes, without decoding it. `blocks`
    /// is `basicBlocks`, held by the caller for its whole loop.
    @inline(__always)
    static func mayHide(_ p: UnsafeRawBufferPointer, at i: Int, length: Int, blocks: UnsafeBufferPointer<UInt64>) -> Bool {
        guard i + length <= p.count else { return false }
        switch length {
        case 2:
            let block = Int(p[i] & 0x1F)
            return blocks[0] & (1 << UInt64(block)) != 0
        case 3:
            let block = Int(p[i] & 0x0F) << 6 | Int(p[i + 1] & 0x3F)
            return blocks[block >> 6] & (1 << UInt64(block & 63)) != 0
        default:
            let block = Int(p[i] & 0x07) << 12 | Int(p[i + 1] & 0x3F) << 6 | Int(p[i + 2] & 0x3F)
            guard block >= 1024, block < 2048 else { return true }
            return supplementaryBlocks[(block - 1024) >> 6] & (1 << UInt64(block & 63)) != 0
        }
    }

    /// The scalar whose UTF-8 starts at `i` (a lead byte of 2–4 bytes), and its length.
    /// `p` is valid UTF-8 (a String's bytes); a sequence cut by the end is returned as U+FFFD
    /// of the bytes left, which callers copy as they are.
    @inline(__always)
    static func scalar(_ p: UnsafeRawBufferPointer, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(p[i])
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        guard i + length <= p.count else { return ("\u{FFFD}", p.count - i) }
        var v = b0 & (0x7F >> length)
        for k in 1..<length { v = v << 6 | UInt32(p[i + k]) & 0x3F }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", length)
    }

    /// True if the UTF-8 `p` holds anything `sanitize` removes or changes.
    static func needsSanitizing(_ p: UnsafeBufferPointer<UInt8>, keepIRC: Bool) -> Bool {
        let allowed: UInt32 = keepIRC ? ircControls : 0
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b >= 0x80 { break }
            if b < 0x20 {
                if allowed & (1 << UInt32(b)) == 0 { return true }
            } else if b == 0x7F {
                return true
            }
            i += 1
        }
        if i == n { return false }
        // Not all ASCII: from the first other byte on, scalar by scalar.
        let raw = UnsafeRawBufferPointer(p)
        return basicBlocks.withUnsafeBufferPointer { blocks in
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    if b < 0x20 {
                        if allowed & (1 << UInt32(b)) == 0 { return true }
                    } else if b == 0x7F {
                        return true
                    }
                    i += 1
                    continue
                }
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if mayHide(raw, at: i, length: length, blocks: blocks),
                   byCategory(scalar(raw, at: i).0) != .itself { return true }
                i += length
            }
            return false
        }
    }

    /// The escape-sequence state machine. Writes the kept bytes (IRC formatting included)
    /// to `out` and returns how many. Removes or replaces only whole scalars (a separator of
    /// 2–3 bytes by a 1-byte space), so valid UTF-8 in gives valid UTF-8 out, never longer
    /// than the input.
    static func sanitizeBytes(_ p: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        basicBlocks.withUnsafeBufferPointer { sanitizeBytes(p, into: out, blocks: $0) }
    }

    static func sanitizeBytes(_ p: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>,
                              blocks: UnsafeBufferPointer<UInt64>) -> Int {
        let n = p.count
        var i = 0
        var o = 0

        /// Skips a CSI body starting at `i` (after `ESC [` / U+009B).
        @inline(__always) func skipCSI(_ i: inout Int) {
            while i < n {
                let b = p[i]
                if b >= 0x40 && b <= 0x7E { i += 1; return }  // final byte
                if b < 0x20 || b > 0x3F { return }  // not part of a CSI: ends it, kept for the main loop
                i += 1
            }
        }
        /// Skips a control string body (OSC, DCS, SOS, PM, APC) through its terminator.
        @inline(__always) func skipString(_ i: inout Int) {
            while i < n {
                let b = p[i]
                if b == 0x07 || b == 0x18 || b == 0x1A { i += 1; return }  // BEL, CAN, SUB
                if b == 0x1B {
                    // ESC \ is ST. Any other ESC ends the string too (xterm does the same)
                    // and starts a new sequence in the main loop.
                    if i + 1 < n, p[i + 1] == 0x5C { i += 2 }
                    return
                }
                if b == 0xC2, i + 1 < n, p[i + 1] == 0x9C { i += 2; return }  // U+009C ST
                i += 1
            }
        }

        while i < n {
            let b = p[i]
            if b >= 0x20 && b < 0x7F {
                out[o] = b; o += 1; i += 1
                continue
            }
            if b < 0x20 {
                i += 1
                switch b {
                case 0x09:
                    out[o] = 0x20; o += 1
                case 0x1B:
                    guard i < n else { break }
                    let c = p[i]
                    switch c {
                    case 0x5B:  // [
                        i += 1; skipCSI(&i)
                    case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // ] P X ^ _
                        i += 1; skipString(&i)
                    case 0x20...0x2F:
                        // nF escape: intermediates then one final byte.
                        var j = i
                        while j < n, p[j] >= 0x20, p[j] <= 0x2F { j += 1 }
                        if j < n, p[j] >= 0x30, p[j] <= 0x7E { j += 1 }
                        i = j
                    case 0x30...0x7E:
                        i += 1  // two-byte escape (ESC 7, ESC c, ESC =, ESC \ ...)
                    default:
                        break  // lone ESC; the next byte is ordinary input
                    }
                default:
                    if isIRCControl(b) { out[o] = b; o += 1 }
                }
                continue
            }
            if b == 0x7F { i += 1; continue }
            // Non-ASCII: b is a lead byte of a valid scalar.
            if b == 0xC2, i + 1 < n, p[i + 1] < 0xA0 {
                let c1 = p[i + 1]
                i += 2
                switch c1 {
                case 0x9B: skipCSI(&i)
                case 0x9D, 0x90, 0x98, 0x9E, 0x9F: skipString(&i)
                default: break
                }
                continue
            }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            let shown = mayHide(p, at: i, length: length, blocks: blocks) ? byCategory(scalar(p, at: i).0) : .itself
            switch shown {
            case .itself:
                for k in 0..<length { out[o + k] = p[i + k] }
                o += length
            case .space:
                out[o] = 0x20; o += 1
            case .nothing:
                break
            }
            i += length
        }
        return o
    }

    // MARK: - IRC formatting

    /// Removes the IRC formatting codes (0x02, 0x0F, 0x11, 0x16, 0x1D, 0x1E, 0x1F), the
    /// colour codes with their numbers (0x03 then up to two digits, optionally `,` and up to
    /// two more; 0x04 then six hex digits, optionally `,` and six more), and CTCP's 0x01:
    /// what a telnet user or a plain terminal should see. Other characters are untouched:
    /// apply it to text that `sanitize(_, keepIRCFormatting: true)` already made safe.
    /// A comma after a colour code is text unless a background colour follows it.
    public static func stripIRCFormatting(_ text: String) -> String {
        var text = text
        let has = text.withUTF8 { p in p.contains { isIRCControl($0) } }
        if !has { return text }
        return text.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count) { out in
                stripBytes(UnsafeRawBufferPointer(p), into: out)
            }
        }
    }

    static func stripBytes(_ p: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = p.count
        var i = 0
        var o = 0
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        @inline(__always) func isHex(_ b: UInt8) -> Bool {
            isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
        }
        /// Up to `max` digits from `i`, by `pred`; returns how many.
        @inline(__always) func run(_ i: Int, _ max: Int, _ pred: (UInt8) -> Bool) -> Int {
            var k = 0
            while k < max, i + k < n, pred(p[i + k]) { k += 1 }
            return k
        }
        while i < n {
            let b = p[i]
            guard isIRCControl(b) else { out[o] = b; o += 1; i += 1; continue }
            i += 1
            if b == 0x03 {
                let fg = run(i, 2, isDigit)
                if fg > 0 {
                    i += fg
                    if i < n, p[i] == 0x2C {
                        let bg = run(i + 1, 2, isDigit)
                        if bg > 0 { i += 1 + bg }
                    }
                }
            } else if b == 0x04 {
                if run(i, 6, isHex) == 6 {
                    i += 6
                    if i < n, p[i] == 0x2C, run(i + 1, 6, isHex) == 6 { i += 7 }
                }
            }
        }
        return o
    }
}
