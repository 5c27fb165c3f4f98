import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// `KICK #a nick1,nick2` and `KICK #a,#b n1,n2` (RFC 2812's pairs), at most four kicks a line
/// as TARGMAX `KICK:4` says.
@Suite(.serialized, .compute) struct MultiKickTests {
    @Test func channelsPairWithNicksOrOneChannelTakesThemAll() {
        let c = ConversationDriver.registeredIRC()
        c.type("KICK #a,#b alice,carol :out")
        #expect(c.requests() == [.kick(channel: "#a", nick: "alice", reason: "out"), .kick(channel: "#b", nick: "carol", reason: "out")])
        c.type("KICK #a alice,ALICE,carol")
        #expect(c.requests() == [.kick(channel: "#a", nick: "alice", reason: ""), .kick(channel: "#a", nick: "carol", reason: "")])
        c.type("KICK #a,#A,#b x,X,x")
        #expect(c.requests() == [.kick(channel: "#a", nick: "x", reason: ""), .kick(channel: "#b", nick: "x", reason: "")],
                "each pair once, compared case-insensitively")
        c.type("KICK #a n1,n2,n3,n4,n5,n6")
        #expect(c.requests().count == ChatSettings.maxTargets, "the rest dropped, as TARGMAX says")
        #expect(c.received().isEmpty)
        for bad in ["KICK #a,#b alice", "KICK #a,#b,#c x,y", "KICK #a ,", "KICK , x,y"] {
            c.type(bad)
            #expect(c.received() == [":chat.test 461 foo KICK :Not enough parameters"], "\(bad)")
            #expect(c.requests().isEmpty)
        }
        #expect(ChatSettings.targmax.split(separator: ",").contains("KICK:\(ChatSettings.maxTargets)"))
    }
}

/// The same from the real server: every member sees one KICK per nick.
@Suite(.serialized) struct MultiKickDialectTests {
    @Test func oneLineKicksSeveral() async throws {
        let server = try await ServerProcess()
        let op = try await ircUser(server, nick: "op", join: "#a")
        try op.line("JOIN #b")
        try await op.expect(" 366 op #b ")
        let bob = try await ircUser(server, nick: "bob", join: "#a")
        let carol = try await ircUser(server, nick: "carol", join: "#a")
        try carol.line("JOIN #b")
        try await carol.expect(" 366 carol #b ")
        try op.line("KICK #a,#b bob,carol :bye")
        try await bob.expect(":op!op@127.0.0.1 KICK #a bob :bye")
        try await carol.expect(":op!op@127.0.0.1 KICK #b carol :bye")
        try op.line("KICK #a bob,carol :again")
        try await op.expect(" 441 op bob #a ")
        try await op.expect(":op!op@127.0.0.1 KICK #a carol :again")
        try op.line("KICK #a,#b carol")
        try await op.expect(" 461 op KICK :Not enough parameters")
        await server.stop()
    }
}
