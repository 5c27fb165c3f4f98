import ChatProtocol
import Testing
import TestSupport

/// The shared helpers in Support/: one calendar, the duration and number formats, trimming.
@Suite(.serialized, .compute) struct CivilTimeTests {
    @Test func fieldsOfAMoment() {
        let t = CivilTime(epochMilliseconds: 1_764_333_296_789)  // 2025-11-28 12:34:56.789 UTC
        #expect((t.year, t.month, t.day) == (2025, 11, 28))
        #expect((t.hour, t.minute, t.second, t.millisecond) == (12, 34, 56, 789))
        let local = CivilTime(epochSeconds: 1_764_333_296, utcOffsetSeconds: 12 * 3600)
        #expect((local.year, local.month, local.day, local.hour, local.millisecond) == (2025, 11, 29, 0, 0))
        let before = CivilTime(epochMilliseconds: -1)
        #expect((before.year, before.month, before.day) == (1969, 12, 31))
        #expect((before.hour, before.minute, before.second, before.millisecond) == (23, 59, 59, 999))
    }

    @Test func extremeTimesAndOffsetsDoNotTrap() {
        for ms in [Int64.min, Int64.max] {
            for offset in [0, Int.max, Int.min] {
                let t = CivilTime(epochMilliseconds: ms, utcOffsetSeconds: offset)
                #expect((0..<24).contains(t.hour) && (0..<60).contains(t.minute) && (0..<1000).contains(t.millisecond))
            }
        }
    }

    @Test func daysRoundTrip() {
        for day in Int64(-800_000)...800_000 where day % 97 == 0 || abs(day) < 1000 {
            let (y, m, d) = CivilTime.date(daysSinceEpoch: day)
            #expect(CivilTime.daysSinceEpoch(year: y, month: m, day: d) == day)
        }
        #expect(CivilTime.daysSinceEpoch(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test func floorDivision() {
        #expect(CivilTime.floorDivMod(-1, 1000) == (-1, 999))
        #expect(CivilTime.floorDivMod(1000, 1000) == (1, 0))
    }
}

@Suite(.serialized, .compute) struct DurationsTests {
    @Test func theFormats() {
        let samples: [Int64] = [-5, 0, 59, 60, 192, 3600 + 7 * 60 + 9, 7500, 273_600]
        #expect(samples.map(Durations.short) == ["0s", "0s", "59s", "1m 0s", "3m 12s", "1h 7m", "2h 5m", "3d 4h"])
        #expect(samples.map(Durations.compact) == ["0s", "0s", "59s", "1m00s", "3m12s", "1h07m", "2h05m", "3d4h"])
        #expect(samples.map(Durations.spaced) == ["-5 s", "0 s", "59 s", "1 min 0 s", "3 min 12 s", "1 h 7 min", "2 h 5 min", "3 d 4 h"])
        #expect([1, 90, 120, 7200, 172_800, 86_400].map(Durations.words)
            == ["1 second", "90 seconds", "2 minutes", "2 hours", "2 days", "24 hours"])
    }
}

@Suite(.serialized, .compute) struct NumberFormatTests {
    @Test func fixedPoint() {
        #expect(NumberFormat.fixed(12.345, decimals: 2) == "12.35")
        #expect(NumberFormat.fixed(0.05, decimals: 1) == "0.1")
        #expect(NumberFormat.fixed(-0.04, decimals: 1) == "0.0")
        #expect(NumberFormat.fixed(-2.5, decimals: 0) == "-3")
        #expect(NumberFormat.fixed(3, decimals: 3) == "3.000")
        #expect(NumberFormat.fixed(.nan, decimals: 1) == nil)
        #expect(NumberFormat.fixed(.infinity, decimals: 1) == nil)
        #expect(NumberFormat.fixed(1e300, decimals: 2) == "1e+300")
    }

    @Test func padding() {
        #expect(NumberFormat.twoDigits(7) == "07")
        #expect(NumberFormat.twoDigits(42) == "42")
        #expect(NumberFormat.zeroPadded(42, width: 4) == "0042")
        #expect(NumberFormat.zeroPadded(-5, width: 4) == "-0005")
        #expect(NumberFormat.zeroPadded(12345, width: 4) == "12345")
        #expect(NumberFormat.zeroPadded(2026, width: 4) == "2026")
        #expect(NumberFormat.zeroPadded(0, width: 1) == "0")
        #expect([0, 7, 42, 421, 1000].map(NumberFormat.threeDigits) == ["000", "007", "042", "421", "1000"])
    }

    /// The console's counts and sizes.
    @Test func countsAndSizes() {
        #expect(NumberFormat.count(1, "ban") == "1 ban")
        #expect(NumberFormat.count(0, "ban") == "0 bans")
        #expect(NumberFormat.bytes(1023) == "1023 B")
        #expect(NumberFormat.bytes(1024) == "1.0 KiB")
        #expect(NumberFormat.bytes(3 << 30) == "3.0 GiB")
        #expect(NumberFormat.bytes(5 << 40) == "5.0 TiB")
        #expect(NumberFormat.bytes(2048 << 40) == "2048.0 TiB")
    }

    /// One ISO 8601 spelling for IRCv3 server-time and the server's log lines.
    @Test func iso8601() {
        #expect(CivilTime(epochMilliseconds: 1_764_333_296_789).iso8601Milliseconds == "2025-11-28T12:34:56.789Z")
        #expect(CivilTime(epochMilliseconds: 1_767_225_600_007).iso8601Milliseconds == "2026-01-01T00:00:00.007Z")
        #expect(CivilTime(epochMilliseconds: -62_135_596_800_000).iso8601Milliseconds == "0001-01-01T00:00:00.000Z")
    }
}

@Suite(.serialized, .compute) struct TrimmingTests {
    @Test func trimsOnlyWhatItIsTold() {
        #expect(" \t a b \t".dropFirst(0).trimming(while: Character.isSpaceOrTab) == "a b")
        #expect("\u{3000}x\n".dropFirst(0).trimming(while: { $0.isWhitespace }) == "x")
        #expect("\u{3000}x\n".dropFirst(0).trimming(while: Character.isSpaceOrTab) == "\u{3000}x\n")
        #expect("   ".dropFirst(0).trimming(while: Character.isSpaceOrTab) == "")
        #expect("  a b  ".dropFirst(0).trimmingLeading(while: { $0 == " " }) == "a b  ")
        #expect("  a b  ".dropFirst(0).trimmingTrailing(while: { $0 == " " }) == "  a b")
    }

    @Test func blankLines() {
        #expect("".isBlank && " \t ".isBlank && "\t".dropFirst(0).isBlank)
        #expect(!" x ".isBlank && !"\u{3000}".isBlank && !"\n".isBlank)
    }
}
