import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

@Suite(.serialized, .compute) struct LayoutTests {
    func message(_ text: String, nick: String = "alice") -> Line {
        Line(time: 0, kind: .message, nick: nick, text: text)
    }

    @Test func shortLineIsOneRow() {
        let rows = Layout.rows(for: message("hi"), width: 40, utcOffset: 0)
        #expect(rows.map(\.text) == ["00:00 <alice> hi"])
    }

    @Test func wrapsAtSpacesWithAHangingIndent() {
        let rows = Layout.rows(for: message("the quick brown fox jumps over the lazy dog"), width: 30, utcOffset: 0)
        #expect(rows.map(\.text) == [
            "00:00 <alice> the quick brown",
            "              fox jumps over",
            "              the lazy dog",
        ])
    }

    @Test func longWordsBreakAnywhereAndNoRowIsTooWide() {
        let rows = Layout.rows(for: message(String(repeating: "x", count: 50)), width: 30, utcOffset: 0)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.width <= 30 })
        #expect(rows[1].text.hasPrefix("              x"))
    }

    @Test func wideCharactersNeverOverflowOrSplit() {
        let text = "你好世界😀 日本語のテキスト👨‍👩‍👧 한국어 텍스트 e\u{301}"
        for width in 20...60 {
            let rows = Layout.rows(for: message(text), width: width, utcOffset: 0)
            #expect(rows.allSatisfy { $0.width <= width }, "width \(width)")
            let joined = rows.map { $0.text.trimmingLeadingSpaces }.joined()
            #expect(joined.replacingSpaces == ("00:00 <alice> " + text).replacingSpaces, "width \(width)")
        }
    }

    @Test func timestampsUseTheLocalOffset() {
        #expect(TimeFormat.hoursMinutes(0, utcOffset: 3600 + 1800) == "01:30")
        #expect(TimeFormat.hoursMinutes(-60_000, utcOffset: 0) == "23:59")
        #expect(TimeFormat.dateTime(1_700_000_000_000, utcOffset: 0) == "2023-11-14 22:13:20")
    }

    @Test func serverTimeParses() {
        #expect(TimeFormat.parseServerTime("2023-11-14T22:13:20.123Z") == 1_700_000_000_123)
        #expect(TimeFormat.parseServerTime("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(TimeFormat.parseServerTime("2023-11-14T22:13:20.5Z") == 1_700_000_000_500)
        #expect(TimeFormat.parseServerTime("yesterday") == nil)
        #expect(TimeFormat.parseServerTime("2023-13-14T22:13:20Z") == nil)
    }

    @Test func nickColoursAreStableAndCaseBlind() {
        #expect(NickColor.index(for: "alice") == NickColor.index(for: "Alice"))
        #expect(NickColor.index(for: "alice") == NickColor.index(for: "alice"))
        let spread = Set(["alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi"].map(NickColor.index(for:)))
        #expect(spread.count >= 4)
    }

    @Test func geometryAtEverySize() {
        for cols in 1...120 {
            for rows in 1...40 {
                let g = ScreenGeometry(cols: cols, rows: rows, showNickList: true)
                #expect(g.chatHeight >= 0 && g.chatWidth >= 1 && g.inputRow == rows - 1)
                #expect(g.chatTop + g.chatHeight <= rows)
                if let l = g.nickListLeft { #expect(l + g.nickListWidth == cols && cols >= 60) }
            }
        }
        let small = ScreenGeometry(cols: 20, rows: 5, showNickList: true)
        #expect(small.nickListLeft == nil && small.chatHeight == 2 && small.titleRow == 0)
    }

    /// The unread marker at every width: exactly that wide. At 7 columns it crashed (a
    /// negative repeat count), found by the client-irc-line fuzz target's resizes.
    @Test func markerRowAtEveryWidth() {
        for w in 0...40 {
            let text = Layout.markerRow(width: w).spans.map(\.text).joined()
            #expect(DisplayWidth.of(text) == w, "width \(w): \(text.debugDescription)")
        }
        #expect(Layout.markerRow(width: 12).spans.map(\.text).joined() == "─── new ────")
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
    var replacingSpaces: String { filter { $0 != " " } }
}
