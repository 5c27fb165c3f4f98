import ChatPOSIX
import Testing
import TestSupport
@testable import ChatBench

/// The parent-worker messages in hub frames: what goes in comes out, however long.
@Suite(.serialized, .compute) struct WireTests {
    @Test func messagesSurviveThePipeIncludingOnesLongerThanAFrame() throws {
        let (r, w) = try FD.pipe()
        defer { FD.close(r); FD.close(w) }
        let long = (0..<20_000).map { UInt64($0 * $0 % 1000) } + [UInt64.max, 0, 1 << 40]
        let sent = [WireMessage("G", [1, 2]), WireMessage("E"), WireMessage("F", long), WireMessage("N", [72, 105])]
        for m in sent { try m.send(to: w) }
        #expect(WireMessage("F", long).encoded().count > 3 * 12, "several frames")
        var reader = WireReader(fd: r)
        var received: [WireMessage] = []
        while received.count < sent.count, let m = reader.wait(timeoutMS: 5000) { received.append(m) }
        #expect(received == sent)
        #expect(reader.next() == nil)
    }
}
