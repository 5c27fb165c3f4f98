import ChatProtocol
import Testing
import TestSupport

/// The console's `stats` and listings say "1 channel" and "2 channels", never "1 channels".
@Suite(.serialized, .compute) struct NumberFormatCountTests {
    @Test func oneIsSingularEverythingElsePlural() {
        #expect(NumberFormat.count(1, "channel") == "1 channel")
        #expect(NumberFormat.count(0, "channel") == "0 channels")
        #expect(NumberFormat.count(2, "connection") == "2 connections")
        #expect(NumberFormat.count(1, "process", plural: "processes") == "1 process")
        #expect(NumberFormat.count(3, "process", plural: "processes") == "3 processes")
    }
}
