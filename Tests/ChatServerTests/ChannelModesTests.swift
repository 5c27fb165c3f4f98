import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// `ChannelModes`, the value: masks, keys, limits, lists and the 324 summary.
@Suite(.serialized, .compute) struct ChannelModesTests {
    @Test func masksAreCompletedAndUnsafeOnesRefused() {
        #expect(ChannelModes.normalizedMask("bob") == "bob!*@*")
        #expect(ChannelModes.normalizedMask("*@spam.example") == "*!*@spam.example")
        #expect(ChannelModes.normalizedMask("bob!u") == "bob!u@*")
        #expect(ChannelModes.normalizedMask("a!b@c") == "a!b@c")
        for bad in ["", "a@b!c", "two words", "a,b", ":x", "\u{1B}[2J", String(repeating: "m", count: 129)] {
            #expect(ChannelModes.normalizedMask(bad) == nil, "\(bad)")
        }
    }

    @Test func keysAndLimitsAreChecked() {
        #expect(ChannelModes.isValidKey("sesame"))
        #expect(ChannelModes.isValidKey(String(repeating: "k", count: 23)))
        for bad in ["", " ", "a b", "a,b", String(repeating: "k", count: 24), "é", "\u{7}"] {
            #expect(!ChannelModes.isValidKey(bad), "\(bad)")
        }
        #expect(ChannelModes.parseLimit("1") == 1)
        #expect(ChannelModes.parseLimit("1000000") == 1_000_000)
        for bad in ["0", "-1", "+1", "abc", "", "1000001", "12345678901234567890"] {
            #expect(ChannelModes.parseLimit(bad) == nil, "\(bad)")
        }
    }

    @Test func listsMatchCaseInsensitivelyAndStayBounded() {
        var m = ChannelModes()
        #expect(m.add("b", mask: "Bob!*@*", by: "op", at: 1, casemapping: .ascii) == .added("Bob!*@*"))
        #expect(m.add("b", mask: "bob!*@*", by: "op", at: 2, casemapping: .ascii) == .present)
        #expect(m.isBanned("BOB!u@h", casemapping: .ascii))
        #expect(m.checksSpeech)
        #expect(m.add("e", mask: "*!u@*", by: "op", at: 3, casemapping: .ascii) == .added("*!u@*"))
        #expect(!m.isBanned("bob!u@h", casemapping: .ascii))
        #expect(m.remove("b", mask: "BOB!*@*", casemapping: .ascii) == "Bob!*@*")
        #expect(m.remove("b", mask: "BOB!*@*", casemapping: .ascii) == nil)
        #expect(!m.checksSpeech)
        for i in 0..<ChannelModes.listLimit { _ = m.add("I", mask: "x\(i)!*@*", by: "op", at: 0, casemapping: .ascii) }
        #expect(m.add("I", mask: "late!*@*", by: "op", at: 0, casemapping: .ascii) == .full)
        #expect(m.inviteExceptions.count == ChannelModes.listLimit)
    }

    @Test func theSummaryListsLettersInOrderWithTheirParameters() {
        var m = ChannelModes()
        #expect(m.summary(showKey: true) == "+n")
        m.flags = [.inviteOnly, .moderated, .noExternal, .secret, .topicLock]
        m.key = "k"
        m.limit = 5
        #expect(m.summary(showKey: true) == "+iklmnst k 5")
        #expect(m.summary(showKey: false) == "+iklmnst * 5")
        m = ChannelModes()
        m.flags = []
        #expect(m.summary(showKey: true) == "+")
    }
}
