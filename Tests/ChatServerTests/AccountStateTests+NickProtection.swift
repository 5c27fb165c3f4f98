import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// Protected nicks in process: the grace period, the guest nick, IDENTIFY in time, a user
/// who quits or renames while guarded, REGAIN and GHOST.
extension AccountStateTests {
    /// `alice` registered by session 1, which then moves to `carol`, logs out and leaves the nick.
    func registerAliceAndStepAside() {
        user(1, "alice")
        register(1)
        ns(1, "LOGOUT")
        state.handle(.nick("carol"), from: 1)
        _ = sink.take(1)
    }

    func guestRenames(_ id: Int) -> [String] {
        sink.take(id).compactMap { if case .nick(_, let new) = $0 { new } else { nil } }
    }

    @Test func aSquatterIsAskedToIdentifyAndRenamedAfterTheGracePeriod() {
        registerAliceAndStepAside()
        user(2, "bob")
        state.handle(.nick("Alice"), from: 2)
        let told = sink.take(2)
        #expect(told.contains(.serviceNotice(service: "NickServ", text:
            "The nick alice is registered. Identify with /identify within 60 s, or you will be renamed.")))
        #expect(state.nextNickDeadline == clock.now + 60_000)
        clock.now += 59_999
        state.expireNickGuards()
        #expect(sink.take(2).isEmpty && state.users[2]!.nick == "Alice")
        clock.now += 1
        state.expireNickGuards()
        let guest = state.users[2]!.nick
        #expect(guest.hasPrefix("Guest") && guest.utf8.count == 10 && guest.dropFirst(5).allSatisfy(\.isNumber))
        let events = sink.take(2)
        #expect(events.first == .serviceNotice(service: "NickServ", text: "You did not identify for Alice in time: you are now \(guest)."))
        #expect(events.contains(.nick(source: "Alice!bob@10.0.0.2", newNick: guest)))
        // The channel saw it; the next guest nick differs; no timer is left.
        #expect(sink.take(1).contains(.nick(source: "Alice!bob@10.0.0.2", newNick: guest)))
        #expect(state.guestNick() != guest && state.nextNickDeadline == nil)
        // Taking the nick again buys no new grace period: renamed at the next turn.
        state.handle(.nick("alice"), from: 2)
        #expect(notices(2).contains { $0.contains("your time to identify for it is over") })
        state.expireNickGuards()
        #expect(state.users[2]!.nick.hasPrefix("Guest"))
    }

    @Test func identifyingInTimeStopsTheTimerAndAnIRCUserIsToldItsCommand() {
        registerAliceAndStepAside()
        state.connect(session: 2, host: "10.0.0.2")
        state.handle(.hello(dialect: .irc), from: 2)
        state.handle(.register(nick: "alice", user: "alice", realName: "R"), from: 2)
        #expect(notices(2).last == "The nick alice is registered. Identify with /msg NickServ IDENTIFY <password> within 60 s, or you will be renamed.")
        ns(2, "IDENTIFY sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(state.users[2]!.account == "alice" && state.nickGuards[2] == nil)
        clock.now += 61_000
        state.expireNickGuards()
        #expect(state.users[2]!.nick == "alice")
    }

    @Test func saslAtRegistrationHoldsTheNickAtOnce() {
        registerAliceAndStepAside()
        state.connect(session: 2, host: "10.0.0.2")
        state.handle(.authenticate(account: "alice", password: "sesame1"), from: 2)
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        state.handle(.register(nick: "alice", user: "alice", realName: "R"), from: 2)
        #expect(notices(2).isEmpty && state.nextNickDeadline == nil)
    }

    @Test func aUserWhoQuitsOrRenamesDuringTheGracePeriodIsLeftAlone() {
        registerAliceAndStepAside()
        user(2, "alice")
        user(3, "bob")
        state.handle(.nick("alice"), from: 3)  // in use: refused, no guard
        #expect(state.nickGuards[3] == nil)
        state.handle(.quit(reason: "bye"), from: 2)
        #expect(state.nickGuards.isEmpty)
        state.handle(.nick("alice"), from: 3)
        state.handle(.nick("bobby"), from: 3)
        _ = sink.take(3)
        clock.now += 60_000
        state.expireNickGuards()
        #expect(state.users[3]!.nick == "bobby" && guestRenames(3).isEmpty)
        // The session that held a guard and left: its number is free for a newcomer.
        user(2, "dave")
        state.expireNickGuards()
        #expect(state.users[2]!.nick == "dave")
    }

    @Test func aDroppedAccountOrAZeroGraceEnforcesNothing() {
        var s = state.settings
        s.nickGrace = 0
        state.updateSettings(s)
        registerAliceAndStepAside()
        user(2, "bob")
        state.handle(.nick("alice"), from: 2)
        #expect(notices(2).isEmpty && state.nextNickDeadline == nil)
    }

    @Test func regainRenamesTheHolderAndGhostDisconnectsIt() {
        registerAliceAndStepAside()
        user(2, "alice")
        ns(1, "REGAIN alice")
        #expect(notices(1) == ["Identify to alice first, or give its password: REGAIN alice <password>"])
        ns(1, "REGAIN alice sesame1")
        #expect(checker.checks.last!.hash == "H-sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(state.users[1]!.nick == "alice" && state.users[1]!.account == "alice")
        #expect(notices(1).last == "You have regained the nick alice.")
        let guest = state.users[2]!.nick
        #expect(guest.hasPrefix("Guest"))
        #expect(notices(2).contains("The owner of alice took it back: you are now \(guest)."))
        // Logged in, no password is needed; GHOST disconnects the holder.
        state.handle(.nick("carol"), from: 1)
        state.handle(.nick("alice"), from: 2)
        _ = sink.take(2)
        ns(1, "GHOST alice")
        #expect(state.users[2] == nil && state.users[1]!.nick == "alice")
        #expect(sink.take(2).contains(.disconnect(reason: "10.0.0.2 (GHOST command used by carol)")))
        #expect(notices(1) == ["You have regained the nick alice."])
        ns(1, "REGAIN alice")
        #expect(notices(1) == ["You already have the nick alice."])
    }

    @Test func regainRefusesWrongPasswordsUnknownNicksAndOtherAccounts() {
        registerAliceAndStepAside()
        user(2, "alice")
        user(3, "dave")
        ns(3, "REGAIN nobody pw")
        #expect(notices(3) == ["nobody is not registered."])
        ns(3, "REGAIN")
        #expect(notices(3) == ["Usage: REGAIN <nick> [password]"])
        ns(3, "REGAIN alice wrong-one")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: false)
        #expect(notices(3) == ["Invalid account or password."] && state.users[2]!.nick == "alice")
        ns(3, "REGISTER sesame3")
        state.passwordHashed(ticket: checker.hashes.last!.ticket, hash: "H3")
        _ = sink.take(3)
        ns(3, "REGAIN alice sesame1")
        #expect(notices(3) == ["You are logged in as dave, not alice: log out first."])
    }
}
