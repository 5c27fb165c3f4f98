import Testing
import TestSupport
@testable import ChatProtocol

typealias FEvent = LineFramer.Event

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Feeds `chunks` to a fresh framer and collects its events.
private func frame(_ chunks: [[UInt8]], max: Int = 100, editing: Bool = false) -> [FEvent] {
    var f = LineFramer(maxLineLength: max, editing: editing)
    var out: [FEvent] = []
    for c in chunks { f.push(c) { out.append($0) } }
    return out
}

/// The obvious byte-at-a-time framer, to check the real one against.
private func reference(_ bytes: [UInt8], max: Int, editing: Bool) -> [FEvent] {
    var out: [FEvent] = []
    var cur: [UInt8] = []
    var discarding = false
    var afterCR = false
    for x in bytes {
        if afterCR {
            afterCR = false
            if x == 0x0A || x == 0x00 { continue }
        }
        if x == 0x0A || x == 0x0D {
            if discarding { discarding = false } else { out.append(.line(cur)) }
            cur = []
            afterCR = x == 0x0D
            continue
        }
        if editing && (x == 0x08 || x == 0x7F) {
            if !discarding && !cur.isEmpty {
                // Remove the last unit of a full forward scan.
                let last = cur.withUnsafeBytes { p -> Int in
                    var i = 0, last = 0
                    while i < p.count { last = abs(UTF8Scan.unit(p, at: i, end: p.count)); i += last }
                    return last
                }
                cur.removeLast(last)
            }
            continue
        }
        if editing && x == 0x15 { if !discarding { cur = [] }; continue }
        if discarding { continue }
        if cur.count == max { out.append(.overlong); discarding = true; cur = []; continue }
        cur.append(x)
    }
    return out
}

@Suite(.serialized, .compute) struct LineFramerTests {
    @Test func everyLineEnd() {
        #expect(frame([b("a\r\nb\nc\r\0d\re\n")]) == [.line(b("a")), .line(b("b")), .line(b("c")), .line(b("d")), .line(b("e"))])
    }

    @Test func emptyLinesAreReal() {
        #expect(frame([b("\n\n")]) == [.line([]), .line([])])
        #expect(frame([b("\r\r")]) == [.line([]), .line([])])
        #expect(frame([b("\r\n\r\n")]) == [.line([]), .line([])])
        #expect(frame([b("\r\0\r\0")]) == [.line([]), .line([])])
    }

    @Test func crAndItsPartnerInDifferentReads() {
        #expect(frame([b("hi\r"), b("\nthere\r"), b("\0x\r"), b(""), b("\n")]) == [.line(b("hi")), .line(b("there")), .line(b("x"))])
        // A CR then an ordinary byte: bare CR, the byte starts the next line.
        #expect(frame([b("a\r"), b("b\n")]) == [.line(b("a")), .line(b("b"))])
        // NUL not after CR is data.
        #expect(frame([b("a\0b\n")]) == [.line([0x61, 0, 0x62])])
    }

    @Test func noLineUntilItEnds() {
        var f = LineFramer(maxLineLength: 10)
        var got: [FEvent] = []
        f.push(b("abc")) { got.append($0) }
        #expect(got.isEmpty && f.pendingCount == 3)
        f.push(b("def")) { got.append($0) }
        f.push(b("\n")) { got.append($0) }
        #expect(got == [.line(b("abcdef"))] && f.pendingCount == 0)
    }

    @Test func lengthLimitIsInclusive() {
        #expect(frame([b("0123456789\n")], max: 10) == [.line(b("0123456789"))])
        #expect(frame([b("01234567890\nok\n")], max: 10) == [.overlong, .line(b("ok"))])
        #expect(frame([b("01234"), b("56789"), b("\r\n")], max: 10) == [.line(b("0123456789"))])
        #expect(frame([b("01234"), b("567890"), b("\r\nok\n")], max: 10) == [.overlong, .line(b("ok"))])
        // The CR ending an overlong line still swallows its LF.
        #expect(frame([b("0123456789AB\r"), b("\nok\n")], max: 10) == [.overlong, .line(b("ok"))])
    }

    @Test func overlongIsReportedOnceAsSoonAsItCrosses() {
        var f = LineFramer(maxLineLength: 8)
        var got: [FEvent] = []
        f.push(b("12345678")) { got.append($0) }
        #expect(got.isEmpty)
        f.push(b("9")) { got.append($0) }
        #expect(got == [.overlong] && f.isDiscarding && f.pendingCount == 0)
        for _ in 0..<100 { f.push(b("more text")) { got.append($0) } }
        #expect(got == [.overlong])
        f.push(b("tail\nnext\n")) { got.append($0) }
        #expect(got == [.overlong, .line(b("next"))] && !f.isDiscarding)
    }

    @Test func tenMegabyteLineStaysBounded() {
        let max = 512
        var f = LineFramer(maxLineLength: max)
        var events: [FEvent] = []
        let chunk = [UInt8](repeating: 0x41, count: 64 * 1024)
        var worstPending = 0, worstCapacity = 0
        for _ in 0..<160 {  // 10 MiB
            chunk.withUnsafeBytes { p in f.push(p) { events.append($0) } }
            worstPending = Swift.max(worstPending, f.pendingCount)
            worstCapacity = Swift.max(worstCapacity, f.bufferCapacity)
        }
        #expect(events == [.overlong])
        #expect(worstPending <= max)
        #expect(worstCapacity <= max + 64)  // allocator rounding only
        f.push(b("\nok\n")) { events.append($0) }
        #expect(events == [.overlong, .line(b("ok"))])

        // The same line in one read, arriving byte by byte after a partial line.
        var g = LineFramer(maxLineLength: max)
        var e2: [FEvent] = []
        g.push(b("start")) { e2.append($0) }
        let big = [UInt8](repeating: 0x42, count: 10 * 1024 * 1024)
        big.withUnsafeBytes { p in g.push(p) { e2.append($0) } }
        #expect(e2 == [.overlong] && g.pendingCount == 0 && g.bufferCapacity <= max + 64)
    }

    @Test func releasingMemoryKeepsAPendingLine() {
        var f = LineFramer(maxLineLength: 1000)
        var events: [FEvent] = []
        f.push(b(String(repeating: "x", count: 900) + "\npart")) { events.append($0) }
        f.releaseMemory()
        #expect(f.pendingCount == 4)
        f.push(b("ial\n")) { events.append($0) }
        #expect(events.last == .line(b("partial")))
        f.releaseMemory()
        #expect(f.bufferCapacity == 0)
        f.push(b("again\n")) { events.append($0) }
        #expect(events.last == .line(b("again")))
    }

    @Test func pendingGrowsOnlyToTheLimit() {
        var f = LineFramer(maxLineLength: 1000)
        for _ in 0..<999 { f.push([0x61]) { _ in } }
        #expect(f.pendingCount == 999 && f.bufferCapacity <= 1000 + 64)
    }

    @Test func editingAppliesBackspaceDeleteAndKill() {
        #expect(frame([b("helo\u{8}lo\r\0")], editing: true) == [.line(b("hello"))])
        #expect(frame([b("abc\u{7F}\u{7F}x\r")], editing: true) == [.line(b("ax"))])
        #expect(frame([b("garbage\u{15}clean\n")], editing: true) == [.line(b("clean"))])
        #expect(frame([b("\u{8}\u{8}\u{7F}a\n")], editing: true) == [.line(b("a"))])  // on an empty line: nothing
        #expect(frame([b("a"), b("\u{8}"), b("\u{8}b\n")], editing: true) == [.line(b("b"))])
    }

    @Test func backspaceRemovesAWholeScalar() {
        #expect(frame([b("café\u{8}e\n")], editing: true) == [.line(b("cafe"))])
        #expect(frame([b("x世\u{7F}\n")], editing: true) == [.line(b("x"))])
        #expect(frame([b("ok😀\u{8}!\n")], editing: true) == [.line(b("ok!"))])
        #expect(frame([b("🇫🇷\u{8}\n")], editing: true) == [.line(b("🇫"))])  // scalars, not grapheme clusters
        // Ill-formed: a truncated sequence is one unit, each stray continuation is one.
        #expect(frame([[0x61, 0xE2, 0x82, 0x08, 0x0A]], editing: true) == [.line([0x61])])
        #expect(frame([[0x61, 0x80, 0x80, 0x08, 0x0A]], editing: true) == [.line([0x61, 0x80])])
        #expect(frame([[0x61, 0x80, 0x80, 0x80, 0x80, 0x80, 0x08, 0x0A]], editing: true) == [.line([0x61, 0x80, 0x80, 0x80, 0x80])])
    }

    @Test func withoutEditingControlsAreData() {
        #expect(frame([b("a\u{8}b\u{7F}\u{15}\n")]) == [.line(b("a\u{8}b\u{7F}\u{15}"))])
    }

    @Test func editingDoesNotResurrectAnOverlongLine() {
        #expect(frame([b("abcdef\u{8}\u{8}\u{8}\u{15}x\n"), b("ok\n")], max: 4, editing: true) == [.overlong, .line(b("ok"))])
        // Erasing before the limit keeps the line within it.
        #expect(frame([b("abcd\u{8}\u{8}ef\n")], max: 4, editing: true) == [.line(b("abef"))])
    }

    @Test func borrowingVariantMatchesAndLinesMayPointIntoTheInput() {
        let input = b("one\r\ntwo\nthr")
        var f = LineFramer(maxLineLength: 10)
        var got: [[UInt8]] = []
        input.withUnsafeBytes { p in
            f.pushBorrowing(p) { e in
                if case .line(let l) = e { got.append(Array(l)) }
            }
        }
        b("ee\n").withUnsafeBytes { p in
            f.pushBorrowing(p) { e in
                if case .line(let l) = e { got.append(Array(l)) }
            }
        }
        #expect(got == [b("one"), b("two"), b("three")])
    }

    @Test func finishDeliversTheUnfinishedLine() {
        var f = LineFramer(maxLineLength: 5)
        var got: [FEvent] = []
        f.push(b("a\nlast")) { got.append($0) }
        f.finish { got.append($0) }
        #expect(got == [.line(b("a")), .line(b("last"))] && f.pendingCount == 0)
        f.push(b("toolong")) { got.append($0) }
        f.finish { got.append($0) }
        #expect(got == [.line(b("a")), .line(b("last")), .overlong])
        // After a finish a leading LF is a new empty line, not the end of an old CR.
        f.push(b("x\r")) { got.append($0) }
        f.finish { got.append($0) }
        f.push(b("\n")) { got.append($0) }
        #expect(got.suffix(2) == [.line(b("x")), .line([])])
    }

    @Test func splitAtEveryCutPointGivesTheSameEvents() {
        let stream = b("PuTTY line\r\nnetkit\r\nchar\r\0mode\rwin\r\n\r\nbare\n\nlong line here!\r\n") + [0xE4, 0xB8, 0x96, 0x0D]
            + b("ed\u{8}\u{8}it\u{7F}\u{15}redo\r\n") + [0x66, 0x80, 0xC3, 0xA9, 0x08, 0x0A]
        for editing in [false, true] {
            for max in [4, 10, 100] {
                let whole = frame([stream], max: max, editing: editing)
                #expect(whole == reference(stream, max: max, editing: editing), "max \(max) editing \(editing)")
                for cut in 0...stream.count {
                    let got = frame([Array(stream[..<cut]), Array(stream[cut...])], max: max, editing: editing)
                    #expect(got == whole, "cut \(cut) max \(max) editing \(editing)")
                }
                let oneByOne = frame(stream.map { [$0] }, max: max, editing: editing)
                #expect(oneByOne == whole)
            }
        }
    }

    @Test func randomStreamsMatchTheReferenceAndStayBounded() {
        var rng = SplitMix64(seed: 0xF4A3E)
        let specials: [UInt8] = [0x0D, 0x0A, 0x00, 0x08, 0x7F, 0x15, 0xC3, 0xA9, 0xE4, 0x80, 0xF0]
        for round in 0..<3000 {
            let count = Int(rng.next() % 80)
            let stream: [UInt8] = (0..<count).map { _ in
                let r = rng.next()
                return r % 3 == 0 ? specials[Int((r >> 8) % UInt64(specials.count))] : UInt8(truncatingIfNeeded: r >> 16)
            }
            let max = 1 + Int(rng.next() % 12)
            let editing = rng.next() % 2 == 0
            // Random chunking.
            var chunks: [[UInt8]] = []
            var at = 0
            while at < stream.count {
                let len = Swift.min(stream.count - at, Int(rng.next() % 9))
                chunks.append(Array(stream[at..<(at + len)]))
                at += len
            }
            var f = LineFramer(maxLineLength: max, editing: editing)
            var got: [FEvent] = []
            for c in chunks {
                f.push(c) { got.append($0) }
                #expect(f.pendingCount <= max)
            }
            #expect(got == reference(stream, max: max, editing: editing), "round \(round)")
            for e in got { if case .line(let l) = e { #expect(l.count <= max) } }
        }
    }
}
