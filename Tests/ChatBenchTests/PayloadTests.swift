@testable import ChatBench
import Testing
import TestSupport

@Suite(.serialized, .compute) struct PayloadTests {
    func encode(size: Int, sender: Int, seq: UInt64, time: UInt64) -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 512)
        let n = buf.withUnsafeMutableBufferPointer { Payload.encode(into: $0.baseAddress!, size: size, sender: sender, seq: seq, time: time) }
        return Array(buf[..<n])
    }

    func parse(_ b: [UInt8]) -> Payload.Parsed? {
        b.withUnsafeBufferPointer { Payload.parse($0.baseAddress!, $0.count) }
    }

    @Test func roundTripAtTheRequestedSize() {
        for size in [40, 64, 100, 300] {
            let b = encode(size: size, sender: 42, seq: 123_456, time: 9_876_543_210)
            #expect(b.count == size)
            #expect(parse(b) == Payload.Parsed(sender: 42, seq: 123_456, time: 9_876_543_210))
        }
    }

    @Test func anyChangedByteIsCaught() {
        let b = encode(size: 64, sender: 3, seq: 77, time: 1000)
        for i in 4..<b.count {
            var c = b
            c[i] = c[i] == 0x61 ? 0x62 : 0x61
            #expect(parse(c) == nil, "byte \(i)")
        }
        #expect(parse(Array(b.dropLast())) == nil)
        var swapped = b
        swapped.swapAt(20, 21)
        if swapped != b { #expect(parse(swapped) == nil) }
    }

    @Test func foundInsideServerLines() {
        let p = encode(size: 64, sender: 1, seq: 2, time: 3)
        for prefix in ["[12:34] <b1> ", ":b1!~b1@localhost PRIVMSG #bench :", "<user5> "] {
            let line = Array(prefix.utf8) + p
            let at = line.withUnsafeBufferPointer { Payload.find($0.baseAddress!, $0.count) }
            #expect(at == prefix.utf8.count)
        }
        let none = Array("-- b1 joined #lobby ~x~".utf8)
        #expect(none.withUnsafeBufferPointer { Payload.find($0.baseAddress!, $0.count) } == -1)
    }

    @Test func numberFormatting() {
        #expect(fmt(1.2345, 2) == "1.23")
        #expect(fmt(0.5, 0) == "1" || fmt(0.5, 0) == "0")
        #expect(fmt(-0.25, 1) == "-0.3" || fmt(-0.25, 1) == "-0.2")
        #expect(group(1_234_567) == "1,234,567")
        #expect(group(12) == "12")
    }
}
