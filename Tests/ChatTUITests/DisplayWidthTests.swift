import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

@Suite(.serialized, .compute) struct DisplayWidthTests {
    @Test func asciiLatinAndControlsAreOneColumn() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of("héllo") == 5)
        #expect(DisplayWidth.of(Unicode.Scalar(0xE000)!) == 1)   // private use
    }

    @Test func wideCharactersAreTwoColumns() {
        #expect(DisplayWidth.of("你好") == 4)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("ＡＢ") == 4)   // fullwidth forms
    }

    @Test func combiningMarksJoinersAndSelectorsAreZero() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200D)!) == 0)   // ZWJ
        #expect(DisplayWidth.of(Unicode.Scalar(0xFE0F)!) == 0)   // VS16
        // glibc: ❤ is 1 and VS16 adds nothing; a ZWJ family is its parts.
        #expect(DisplayWidth.of("❤️") == 1)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 6)
    }

    /// The layout must agree with what ncurses uses to place characters, or columns drift.
    @Test func agreesWithGlibcWcwidthEverywhere() {
        Screen.setUTF8Locale()
        var mismatches: [String] = []
        var compared = 0
        for v in UInt32(0xA0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let sys = Screen.systemWidth(s)
            guard sys >= 0 else { continue }   // not printable: the view draws U+FFFD, 1 column
            compared += 1
            if DisplayWidth.of(s) != sys {
                mismatches.append(String(v, radix: 16))
                if mismatches.count > 10 { break }
            }
        }
        #expect(compared > 250_000)   // the locale really is UTF-8: every assigned character
        #expect(mismatches.isEmpty, "differ from wcwidth at U+\(mismatches.joined(separator: ", U+"))")
    }
}
