import Testing
import TestSupport
@testable import ChatProtocol

private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
private let R: UInt32 = 0xFFFD

/// Bytes that sanitize must never let through, as a check on its output.
private func assertSafe(_ out: String, keepIRC: Bool, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let bytes = Array(out.utf8)
    for (k, b) in bytes.enumerated() {
        if b < 0x20 {
            #expect(keepIRC && TextSafety.isIRCControl(b), "control \(b) at \(k) in \(context)", sourceLocation: sourceLocation)
        }
        #expect(b != 0x7F, "DEL in \(context)", sourceLocation: sourceLocation)
        if b == 0xC2, k + 1 < bytes.count {
            #expect(bytes[k + 1] >= 0xA0, "C1 in \(context)", sourceLocation: sourceLocation)
        }
    }
    #expect(UnsafeText.isSafe(out, allowingIRCFormatting: keepIRC), "\(UnsafeText.findings(in: out, allowingIRCFormatting: keepIRC)) in \(context)",
            sourceLocation: sourceLocation)
}

@Suite(.serialized, .compute) struct TextSafetyRepairTests {
    @Test func validInputIsUnchanged() {
        for s in ["", "hello", "héllo wörld", "世界", "😀 ok 🇫🇷", "\u{10FFFF}\u{E000}\u{FFFF}", String(repeating: "abcdefgh", count: 100)] {
            #expect(TextSafety.repairUTF8(Array(s.utf8)) == s)
            #expect(Array(s.utf8).withUnsafeBytes { TextSafety.repairUTF8($0) } == s)
        }
    }

    @Test func unicodeTable3_8Example() {
        // The Unicode Standard §3.9, Table 3-8: one U+FFFD per maximal subpart.
        let bytes: [UInt8] = [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64]
        #expect(scalars(TextSafety.repairUTF8(bytes)) == [0x61, R, R, R, 0x62, R, 0x63, R, R, 0x64])
    }

    @Test(arguments: [
        // Overlong forms: the lead byte cannot start them, so every byte is its own subpart.
        ([0xC0, 0x80], [R, R]),
        ([0xC1, 0xBF], [R, R]),
        ([0xE0, 0x80, 0x80], [R, R, R]),
        ([0xE0, 0x9F, 0xBF], [R, R, R]),
        ([0xF0, 0x80, 0x80, 0x80], [R, R, R, R]),
        ([0xF0, 0x8F, 0xBF, 0xBF], [R, R, R, R]),
        // Surrogates U+D800, U+DFFF.
        ([0xED, 0xA0, 0x80], [R, R, R]),
        ([0xED, 0xBF, 0xBF], [R, R, R]),
        // Above U+10FFFF.
        ([0xF4, 0x90, 0x80, 0x80], [R, R, R, R]),
        ([0xF5, 0x80, 0x80, 0x80], [R, R, R, R]),
        ([0xF8, 0x88, 0x80, 0x80, 0x80], [R, R, R, R, R]),
        ([0xFE, 0xFF], [R, R]),
        // Truncated: the valid prefix is one subpart.
        ([0xE2, 0x82], [R]),
        ([0xE2, 0x82, 0x41], [R, 0x41]),
        ([0xF0, 0x9F, 0x98], [R]),
        ([0xF0, 0x9F, 0x98, 0x41, 0xF0], [R, 0x41, R]),
        ([0xC3], [R]),
        // Stray continuation bytes.
        ([0x80], [R]),
        ([0x41, 0xBF, 0xBF, 0x42], [0x41, R, R, 0x42]),
        // Boundaries that are valid.
        ([0xF4, 0x8F, 0xBF, 0xBF], [0x10FFFF]),
        ([0xED, 0x9F, 0xBF], [0xD7FF]),
        ([0xEE, 0x80, 0x80], [0xE000]),
        ([0xC2, 0x80], [0x80]),
    ] as [([UInt8], [UInt32])])
    func malformed(bytes: [UInt8], expected: [UInt32]) {
        let s = TextSafety.repairUTF8(bytes)
        #expect(scalars(s) == expected)
        #expect(Array(s.utf8).withUnsafeBytes { UTF8Scan.isValid($0) })
    }

    @Test func collectionOverloads() {
        let bytes: [UInt8] = [0x78, 0xFF, 0x79, 0xC3, 0xA9]
        #expect(TextSafety.repairUTF8(bytes[1...]) == "\u{FFFD}yé")
        #expect(TextSafety.repairUTF8(Array("ok".utf8)) == "ok")
        // A non-contiguous collection.
        #expect(TextSafety.repairUTF8(bytes.lazy.map { $0 }.reversed()) == "\u{FFFD}\u{FFFD}y\u{FFFD}x")
    }

    @Test func randomBytesMatchTheStandardLibraryAndStayValid() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        // Bias towards bytes that make interesting UTF-8.
        let palette: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED,
                                0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF]
        for round in 0..<4000 {
            let count = Int(rng.next() % 24)
            let bytes: [UInt8] = (0..<count).map { _ in
                rng.next() % 2 == 0 ? palette[Int(rng.next() % UInt64(palette.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            let s = TextSafety.repairUTF8(bytes)
            // Swift's decoder also substitutes per maximal subpart: an independent oracle.
            #expect(s == String(decoding: bytes, as: UTF8.self), "round \(round): \(bytes)")
            let out = Array(s.utf8)
            #expect(out.withUnsafeBytes { UTF8Scan.isValid($0) }, "round \(round)")
            #expect(bytes.withUnsafeBytes { UTF8Scan.isValid($0) } == (out == bytes), "round \(round)")
        }
    }

    @Test func lastUnitAgreesWithForwardScan() {
        var rng = SplitMix64(seed: 7)
        let palette: [UInt8] = [0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        for _ in 0..<3000 {
            let count = Int(rng.next() % 12) + 1
            let bytes = (0..<count).map { _ in palette[Int(rng.next() % UInt64(palette.count))] }
            bytes.withUnsafeBytes { p in
                var i = 0
                var last = 0
                while i < p.count { last = abs(UTF8Scan.unit(p, at: i, end: p.count)); i += last }
                #expect(UTF8Scan.lastUnitLength(p, end: p.count) == last, "\(bytes)")
            }
        }
    }
}

@Suite(.serialized, .compute) struct TextSafetySanitizeTests {
    @Test func cleanTextIsReturnedAsIs() {
        for s in ["", "hello world", "héllo 世界 😀", "e\u{301}\u{E000}", "100% done; [ok] {x} ~"] {
            #expect(TextSafety.sanitize(s) == s)
            #expect(TextSafety.isSafe(s))
            #expect(TextSafety.sanitize(s, keepIRCFormatting: true) == s)
        }
        #expect(TextSafety.isSafe("\u{02}bold", keepIRCFormatting: true))
        #expect(!TextSafety.isSafe("\u{02}bold"))
    }

    @Test(arguments: [
        // C0, TAB, DEL, line ends.
        ("a\u{0}b\u{7}c\u{8}d", "abcd"),
        ("tab\there", "tab here"),
        ("line\r\nPRIVMSG #x :injected", "linePRIVMSG #x :injected"),
        ("del\u{7F}eted", "deleted"),
        // C1 controls.
        ("a\u{80}b\u{85}c\u{9F}", "abc"),
        // CSI.
        ("a\u{1B}[31mred\u{1B}[0m", "ared"),
        ("\u{1B}[2J\u{1B}[Hcleared", "cleared"),
        ("\u{1B}[?1049hx", "x"),
        ("\u{1B}[38;2;255;0;0mrgb", "rgb"),
        ("\u{1B}[31", ""),  // unterminated at the end
        ("\u{1B}[31\u{7}x", "x"),  // broken by a control
        ("\u{1B}[1é", "é"),  // broken by non-ASCII: the scalar is kept
        // OSC and the other control strings.
        ("\u{1B}]0;pwned title\u{7}after", "after"),
        ("\u{1B}]8;;http://evil/\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("\u{1B}]52;c;ZXZpbA==\u{7}", ""),
        ("\u{1B}]0;unterminated to the end", ""),
        ("\u{1B}]0;title\u{1B}[31mred", "red"),  // another ESC ends the string
        ("\u{1B}]0;x\u{18}y", "y"),  // CAN aborts
        ("\u{1B}Pq#0;2;0;0;0\u{1B}\\x", "x"),
        ("\u{1B}Xsos\u{1B}\\x", "x"),
        ("\u{1B}^pm\u{1B}\\x", "x"),
        ("\u{1B}_apc\u{1B}\\x", "x"),
        ("\u{1B}]0;t\u{9C}x", "x"),  // C1 ST
        // Other escapes.
        ("\u{1B}cX", "X"),
        ("\u{1B}7\u{1B}8x", "x"),
        ("\u{1B}(Bx", "x"),
        ("\u{1B}#8x", "x"),
        ("\u{1B} Fx", "x"),
        ("end\u{1B}", "end"),
        ("\u{1B}\u{1B}[31mx", "x"),
        ("\u{1B}éx", "éx"),
        // C1 forms of CSI, OSC, DCS, SOS, PM, APC.
        ("\u{9B}31mX", "X"),
        ("\u{9B}2J", ""),
        ("\u{9D}0;t\u{9C}Y", "Y"),
        ("\u{9D}0;t\u{7}Y", "Y"),
        ("\u{90}q\u{9C}Z", "Z"),
        ("\u{98}s\u{9C}Z", "Z"),
        ("\u{9E}p\u{9C}Z", "Z"),
        ("\u{9F}a\u{9C}Z", "Z"),
        // Bidi overrides and isolates.
        ("abc\u{202E}fed", "abcfed"),
        ("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}x", "x"),
        ("\u{2066}\u{2067}\u{2068}\u{2069}y", "y"),
        // Every other format character (Cf), by category: bidi marks, zero-width characters,
        // U+FEFF, the soft hyphen, invisible operators, tags, the Arabic number sign.
        ("a\u{200E}b\u{200F}c\u{061C}d", "abcd"),
        ("zero\u{200B}width\u{200C}non\u{200D}joiner\u{2060}word\u{FEFF}", "zerowidthnonjoinerword"),
        ("soft\u{AD}hyphen\u{2062}\u{E0041}\u{E007F}\u{600}x", "softhyphenx"),
        ("\u{206A}keep\u{2065}", "keep\u{2065}"),  // U+2065 is unassigned, not a format character
        // Separators other than the ASCII space become one space: line and paragraph
        // separators, no-break and other spaces.
        ("one\u{2028}two\u{2029}three", "one two three"),
        ("no\u{A0}break\u{3000}ideo\u{2003}em\u{202F}narrow\u{1680}ogham", "no break ideo em narrow ogham"),
        // IRC formatting is removed without keepIRCFormatting.
        ("\u{2}bold\u{2} \u{3}04,12red\u{F} \u{1}ACTION x\u{1}", "bold red ACTION x"),
    ] as [(String, String)])
    func removes(input: String, expected: String) {
        let out = TextSafety.sanitize(input)
        #expect(out == expected, "\(Array(input.unicodeScalars.map(\.value)))")
        assertSafe(out, keepIRC: false, input)
    }

    /// The summary that spares most scalars the category lookup misses none: for every
    /// scalar, what `sanitize` does is what its category says.
    @Test func theFastPathAgreesWithTheCategoryOfEveryScalar() {
        for v in UInt32(0x80)...0x10FFFF where v < 0x30000 || v >= 0xE0000 {
            guard let s = Unicode.Scalar(v) else { continue }
            let byCategory = TextSafety.byCategory(s)
            #expect(TextSafety.shownAs(s) == byCategory, "U+\(String(v, radix: 16))")
            let out = TextSafety.sanitize("a" + String(Character(s)) + "b")
            let expected = switch byCategory {
            case .itself: "a" + String(Character(s)) + "b"
            case .space: "a b"
            case .nothing: "ab"
            }
            // (C1 controls may start a sequence that takes the "b" too: tested above.)
            if v >= 0xA0, out != expected { Issue.record("U+\(String(v, radix: 16)): \(out.unicodeScalars.map(\.value))") }
        }
    }

    @Test func keepsIRCFormattingWhenAsked() {
        let s = "\u{2}bold\u{2} \u{3}04,12red\u{3} \u{4}FF0000hex\u{F}\u{11}mono\u{16}rev\u{1D}it\u{1E}st\u{1F}ul \u{1}ACTION waves\u{1}"
        #expect(TextSafety.sanitize(s, keepIRCFormatting: true) == s)
        // Everything else still goes.
        #expect(TextSafety.sanitize("\u{2}b\u{1B}[31m\u{7}\r\n\u{9B}1m", keepIRCFormatting: true) == "\u{2}b")
    }

    @Test(arguments: [
        ("\u{3}4,5x", "x"),
        ("\u{3}04,05x", "x"),
        ("\u{3},5x", ",5x"),  // no foreground: the comma is text
        ("\u{3}4,x", ",x"),
        ("\u{3}123", "3"),  // at most two digits
        ("\u{3}12,345", "5"),
        ("\u{3}x", "x"),
        ("\u{4}FF00aatext", "text"),
        ("\u{4}FF00AA,000000t", "t"),
        ("\u{4}FF00AA,00t", ",00t"),
        ("\u{4}GGGGGG", "GGGGGG"),
        ("\u{4}12345", "12345"),
        ("\u{1}ACTION waves\u{1}", "ACTION waves"),
        ("\u{2}\u{F}\u{11}\u{16}\u{1D}\u{1E}\u{1F}x", "x"),
        ("plain", "plain"),
    ] as [(String, String)])
    func stripsIRCFormatting(input: String, expected: String) {
        #expect(TextSafety.stripIRCFormatting(input) == expected)
    }

    @Test func randomInputKeepsInvariants() {
        var rng = SplitMix64(seed: 0x5AFE)
        let pieces: [String] = [
            "a", "Z", "0", "7", ",", ";", "[", "]", "\\", "P", "X", "^", "_", "m", "(", "#", " ", "é", "世", "😀",
            "\u{1B}", "\u{7}", "\u{0}", "\t", "\r", "\n", "\u{7F}", "\u{18}", "\u{1A}",
            "\u{80}", "\u{9B}", "\u{9C}", "\u{9D}", "\u{90}", "\u{85}", "\u{9F}",
            "\u{202E}", "\u{2066}", "\u{2069}", "\u{200E}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{2029}", "\u{A0}",
            "\u{1}", "\u{2}", "\u{3}", "\u{4}", "\u{F}", "\u{11}", "\u{16}", "\u{1D}", "\u{1E}", "\u{1F}", "F", "c",
        ]
        for round in 0..<3000 {
            let count = Int(rng.next() % 30)
            let input = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let plain = TextSafety.sanitize(input)
            let irc = TextSafety.sanitize(input, keepIRCFormatting: true)
            let ctx = "round \(round): \(input.unicodeScalars.map(\.value))"
            assertSafe(plain, keepIRC: false, ctx)
            assertSafe(irc, keepIRC: true, ctx)
            #expect(!plain.utf8.contains(0x1B) && !irc.utf8.contains(0x1B), "\(ctx)")
            #expect(plain.utf8.count <= input.utf8.count && irc.utf8.count <= input.utf8.count)
            // Idempotent, and the two modes agree.
            #expect(TextSafety.sanitize(plain) == plain, "\(ctx)")
            #expect(TextSafety.sanitize(irc, keepIRCFormatting: true) == irc, "\(ctx)")
            #expect(TextSafety.stripIRCFormatting(irc) == plain, "\(ctx)")
            #expect(TextSafety.isSafe(plain) && TextSafety.isSafe(irc, keepIRCFormatting: true))
        }
    }

    @Test func randomBytesThroughRepairThenSanitize() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<3000 {
            let count = Int(rng.next() % 40)
            let bytes = (0..<count).map { _ -> UInt8 in
                let r = rng.next()
                // Plenty of ESC, C1 lead 0xC2 and controls.
                switch r % 8 {
                case 0: return 0x1B
                case 1: return 0xC2
                case 2: return UInt8(truncatingIfNeeded: r >> 8) & 0x1F
                case 3: return 0x80 | (UInt8(truncatingIfNeeded: r >> 8) & 0x1F)
                default: return UInt8(truncatingIfNeeded: r >> 8)
                }
            }
            let text = TextSafety.repairUTF8(bytes)
            #expect(Array(text.utf8).withUnsafeBytes { UTF8Scan.isValid($0) })
            for keep in [false, true] {
                let out = TextSafety.sanitize(text, keepIRCFormatting: keep)
                assertSafe(out, keepIRC: keep, "\(bytes)")
                #expect(!out.utf8.contains(0x1B))
            }
        }
    }
}
