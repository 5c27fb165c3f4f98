import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// `INVITE` alone (IRC: 336 per channel, 337) and `/invite` alone (telnet): the channels one
/// is invited to and has not joined since.
@Suite(.serialized, .compute) struct InvitationListTests {
    let sink = RecordingSink()
    let state: ChatState

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        state = ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
    }

    func user(_ id: Int, _ nick: String, join: [String]) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        state.handle(.join(channels: join), from: id)
        _ = sink.take(id)
    }

    @Test func theHubListsLiveInvitationsOldestFirst() {
        user(1, "alice", join: ["#Club", "#b", "#gone"])
        user(2, "bob", join: [])
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: [])])
        for c in ["#b", "#CLUB", "#gone"] { state.handle(.invite(nick: "bob", channel: c), from: 1) }
        _ = sink.take(1); _ = sink.take(2)
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: ["#b", "#Club", "#gone"])], "each by its own name")
        // Joining uses the invitation up; a channel gone since is not listed.
        state.handle(.join(channels: ["#b"]), from: 2)
        state.handle(.part(channels: ["#gone"], reason: ""), from: 1)
        _ = sink.take(2)
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: ["#Club"])])
    }

    @Test func ircAsksWithINVITEAloneAndGets336And337() {
        let c = ConversationDriver.irc()
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received(); _ = c.requests()
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
