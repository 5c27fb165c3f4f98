import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// `INVITE` alone (IRC: 336 per channel, 337) and `/invite` alone (telnet): the channels one
/// is invited to and has not joined since (the hub's side: `ChatStateModesTests`).
@Suite(.serialized, .compute) struct InvitationListTests {
    @Test func ircAsksWithINVITEAloneAndGets336And337() {
        let c = ConversationDriver.registeredIRC()
        c.type("INVITE")
        #expect(c.requests() == [.invitations])
        c.hub(.invitations(channels: ["#a", "#b"]))
        #expect(c.received() == [":chat.test 336 foo :#a", ":chat.test 336 foo :#b", ":chat.test 337 foo :End of /INVITE list"])
        c.hub(.invitations(channels: []))
        #expect(c.received() == [":chat.test 337 foo :End of /INVITE list"])
        c.type("INVITE alice")
        #expect(c.received() == [":chat.test 461 foo INVITE :Not enough parameters"] && c.requests().isEmpty)
    }

    @Test func aPersonAsksWithInviteAlone() {
        #expect(HumanInput.parse("/invite") == .invitations)
        #expect(HumanInput.parse("/invite bob") == .invite(nick: "bob", channel: nil))
        if case .usage = HumanInput.parse("/invite a #b c") {} else { Issue.record("three words are not an invitation") }
        let c = ConversationDriver.human()
        c.type("dave")
        c.hub(ConversationDriver.welcome("dave"))
        c.hub(.join(channel: "#lobby", source: "dave!dave@127.0.0.1"))
        _ = c.received(); _ = c.requests()
        c.type("/invite")
        #expect(c.requests() == [.invitations])
        c.hub(.invitations(channels: ["#a", "#b"]))
        #expect(c.received() == ["-- You are invited to: #a, #b (/join to go there)"])
        c.hub(.invitations(channels: []))
        #expect(c.received() == ["-- You have no invitations"])
    }
}

/// The same from the real server, both dialects.
@Suite(.serialized) struct InvitationListDialectTests {
    @Test func bothDialectsListTheirInvitations() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#club")
        let bob = try await ircUser(server, nick: "bob")
        let dave = try await humanUser(server, nick: "dave")
        try bob.line("INVITE")
        try await bob.expect(":test.server 337 bob :End of /INVITE list")
        try alice.line("INVITE bob #club")
        try alice.line("INVITE dave #club")
        try await bob.expect(" INVITE bob #club")
        try await dave.expect("invites you to #club")
        try bob.line("INVITE")
        try await bob.expect(":test.server 336 bob :#club")
        try await bob.expect(":test.server 337 bob :End of /INVITE list")
        try dave.line("/invite")
        try await dave.expect("-- You are invited to: #club (/join to go there)")
        try bob.line("JOIN #club")
        try await bob.expect(" 366 bob #club ")
        try bob.line("INVITE")
        try await bob.expect(":test.server 337 bob :End of /INVITE list")
        await server.stop()
    }
}
