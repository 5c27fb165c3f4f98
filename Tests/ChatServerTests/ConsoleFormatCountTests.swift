@testable import ChatServerDaemon
import Testing
import TestSupport

/// `stats` and the listings say "1 channel" and "2 channels", never "1 channels".
@Suite(.serialized, .compute) struct ConsoleFormatCountTests {
    @Test func oneIsSingularEverythingElsePlural() {
        #expect(ConsoleFormat.count(1, "channel") == "1 channel")
        #expect(ConsoleFormat.count(0, "channel") == "0 channels")
        #expect(ConsoleFormat.count(2, "connection") == "2 connections")
        #expect(ConsoleFormat.count(1, "process", plural: "processes") == "1 process")
        #expect(ConsoleFormat.count(3, "process", plural: "processes") == "3 processes")
    }
}
