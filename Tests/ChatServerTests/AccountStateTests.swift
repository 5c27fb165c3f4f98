import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// A password worker stand-in: keeps the checks and hash requests for the test to answer.
final class AccountChecker: PasswordChecker {
    var checks: [(ticket: UInt64, hash: String, password: String)] = []
    var hashes: [(ticket: UInt64, password: String)] = []
    func check(ticket: UInt64, hash: String, password: String) -> Bool {
        checks.append((ticket, hash, password))
        return true
    }
    func hash(ticket: UInt64, password: String) -> Bool {
        hashes.append((ticket, password))
        return true
    }
}

/// An account store stand-in: what was written, and a switch to make writes fail.
final class MemoryAccounts: AccountStorage {
    var rows: [String: Account] = [:]
    var failing = false
    struct Refused: Error {}
    func loadAccounts() throws -> [String: Account] { rows }
    func save(account: Account, folded: String) throws {
        if failing { throw Refused() }
        rows[folded] = account
    }
    func deleteAccount(folded: String) throws {
        if failing { throw Refused() }
        rows[folded] = nil
    }
    func addCertificate(_ fingerprint: String, folded: String) throws {
        if failing { throw Refused() }
        rows[folded]!.certificates.append(fingerprint)
    }
    func deleteCertificate(_ fingerprint: String) throws {
        if failing { throw Refused() }
        for key in rows.keys { rows[key]!.certificates.removeAll { $0 == fingerprint } }
    }
}

/// NickServ and SASL in the chat state, in process, with a stand-in worker and store.
@Suite(.serialized, .compute) struct AccountStateTests {
    let sink = RecordingSink()
    let checker = AccountChecker()
    let store = MemoryAccounts()
    let state: ChatState
    final class Clock { var now: Int64 = 1_764_300_000_000 }
    let clock = Clock()

    init() throws {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        let clock = clock
        state = ChatState(settings: settings, sink: sink, clock: { clock.now })
        state.passwords = checker
        try state.useAccountStorage(store)
    }

    func user(_ id: Int, _ nick: String, join: String? = "#lobby") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
        sink.events.removeAll()
    }

    func ns(_ id: Int, _ text: String) { state.handle(.message(kind: .privmsg, target: "NickServ", text: text), from: id) }

    /// NickServ's notices to `id`, taken.
    func notices(_ id: Int) -> [String] {
        sink.take(id).compactMap { if case .serviceNotice("NickServ", let t) = $0 { t } else { nil } }
    }

    /// Registers `nick` (session `id`) with "sesame1", the worker's hash being "H-<password>".
    func register(_ id: Int) {
        ns(id, "REGISTER sesame1")
        let h = checker.hashes.last!
        state.passwordHashed(ticket: h.ticket, hash: "H-" + h.password)
    }

    @Test func registerHashesAwayStoresAndLogsIn() {
        user(1, "alice")
        user(2, "bob")
        ns(1, "REGISTER sesame1")
        #expect(sink.take(1).isEmpty, "nothing until the hash is made")
        #expect(checker.hashes.map(\.password) == ["sesame1"] && state.operChecks.awaits(1))
        state.passwordHashed(ticket: checker.hashes[0].ticket, hash: "H")
        let events = sink.take(1)
        #expect(events.contains(.serviceNotice(service: "NickServ", text: "The account alice is registered.")))
        #expect(events.contains(.loggedIn(nick: "alice", source: "alice!alice@10.0.0.1", account: "alice")))
        #expect(store.rows["alice"] == Account(name: "alice", hash: "H", registeredAt: clock.now / 1000))
        #expect(state.users[1]!.account == "alice")
        // WHOIS says it (330).
        state.handle(.whois(nick: "alice"), from: 2)
        guard case .whois(let info)? = sink.take(2).first else { Issue.record("no whois"); return }
        #expect(info.account == "alice")
        // Nobody else saw a thing: the message never reached a channel, history or bob.
        #expect(state.channel(named: "#lobby")!.orderedHistory.isEmpty)
    }

    @Test func registerRefusesBadPasswordsTakenAccountsAndLoggedInUsers() {
        user(1, "alice")
        ns(1, "REGISTER abc")
        #expect(notices(1) == ["A password is 5 to 300 bytes long."])
        ns(1, "REGISTER " + String(repeating: "x", count: 301))
        #expect(notices(1) == ["A password is 5 to 300 bytes long."])
        ns(1, "REGISTER abc\u{1}defg")
        #expect(notices(1) == ["A password may not contain control characters."])
        ns(1, "REGISTER")
        #expect(notices(1) == ["Usage: REGISTER <password>"])
        #expect(checker.hashes.isEmpty)
        register(1)
        _ = sink.take(1)
        ns(1, "REGISTER sesame2")
        #expect(notices(1) == ["You are already logged in as alice."])
        // Another connection with the nick, in another case, cannot register it again.
        state.handle(.nick("carol"), from: 1)
        user(2, "bob", join: nil)
        state.handle(.nick("ALICE"), from: 2)
        _ = sink.take(2)
        ns(2, "REGISTER sesame2")
        #expect(notices(2) == ["The account ALICE is already registered."])
        #expect(checker.hashes.count == 1)
    }

    @Test func identifyChecksTheStoredHashAndWrongPasswordsAreThrottled() {
        user(1, "alice")
        register(1)
        _ = sink.take(1)
        ns(1, "LOGOUT")
        #expect(sink.take(1) == [.loggedOut(nick: "alice", source: "alice!alice@10.0.0.1"),
                                 .serviceNotice(service: "NickServ", text: "You are now logged out of alice.")])
        ns(1, "LOGOUT")
        #expect(notices(1) == ["You are not logged in."])
        // Wrong: 'Invalid'; two such cost nothing, the third makes the address wait a second.
        for attempt in 1...3 {
            ns(1, "IDENTIFY wrong-one")
            #expect(checker.checks.last!.hash == "H-sesame1" && checker.checks.last!.password == "wrong-one")
            state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: false)
            #expect(notices(1) == ["Invalid account or password."], "attempt \(attempt)")
        }
        ns(1, "IDENTIFY sesame1")
        #expect(notices(1).first?.hasPrefix("Too many failed attempts") == true)
        // A second later, with the account named.
        clock.now += 1000
        ns(1, "IDENTIFY alice sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(sink.take(1) == [.loggedIn(nick: "alice", source: "alice!alice@10.0.0.1", account: "alice")])
        #expect(state.operChecks.retryAt(host: "10.0.0.1") == 0, "a success forgets the failures")
    }

    @Test func aPasswordLongerThanTheWorkerTakesIsWrongAtOnce() {
        user(1, "alice")
        register(1)
        ns(1, "LOGOUT")
        _ = sink.take(1)
        let asked = checker.checks.count
        ns(1, "IDENTIFY " + String(repeating: "p", count: PasswordCheck.maxField + 1))
        #expect(notices(1) == ["Invalid account or password."] && checker.checks.count == asked && !state.operChecks.awaits(1))
    }

    @Test func anAccountThatDoesNotExistIsCheckedAgainstTheDecoy() {
        user(1, "alice")
        ns(1, "IDENTIFY ghost sesame1")
        #expect(checker.checks.last!.hash == ChatState.decoyHash)
        // Even a decoy that matched logs nobody in.
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(notices(1) == ["Invalid account or password."] && state.users[1]!.account == nil)
    }

    @Test func setPasswordAndDropChangeTheStore() {
        user(1, "alice")
        register(1)
        ns(1, "SET PASSWORD sesame2")
        state.passwordHashed(ticket: checker.hashes.last!.ticket, hash: "H2")
        #expect(notices(1).last == "The password of alice is changed.")
        #expect(store.rows["alice"]?.hash == "H2")
        ns(1, "DROP sesame2")
        #expect(checker.checks.last!.hash == "H2")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        let events = sink.take(1)
        #expect(events.contains(.loggedOut(nick: "alice", source: "alice!alice@10.0.0.1")))
        #expect(events.contains(.serviceNotice(service: "NickServ", text: "The account alice is dropped.")))
        #expect(store.rows.isEmpty && state.accounts.isEmpty && state.users[1]!.account == nil)
        ns(1, "SET PASSWORD sesame3")
        #expect(notices(1) == ["You are not logged in."])
    }

    @Test func aWriteThatFailsIsNotAcknowledged() {
        user(1, "alice")
        store.failing = true
        register(1)
        #expect(notices(1).last?.contains("could not be registered") == true)
        #expect(state.accounts.isEmpty && state.users[1]!.account == nil)
    }

    @Test func helpInfoAndUnknownCommandsAnd_NoticesGetNoAnswer() {
        user(1, "alice")
        ns(1, "HELP")
        #expect(notices(1).contains { $0.hasPrefix("REGISTER <password>") })
        ns(1, "INFO")
        #expect(notices(1) == ["alice is not registered."])
        register(1)
        _ = sink.take(1)
        ns(1, "INFO alice")
        #expect(notices(1) == ["alice is registered since 2025-11-28 03:20 UTC."])
        ns(1, "FROB")
        #expect(notices(1).first?.hasPrefix("Unknown command frob") == true)
        state.handle(.message(kind: .notice, target: "nickserv", text: "HELP"), from: 1)
        #expect(sink.take(1).isEmpty)
    }

    @Test func saslLogsInBeforeRegistrationAndSaysWhenAlreadyLoggedIn() {
        user(1, "alice")
        register(1)
        state.connect(session: 2, host: "10.0.0.2")
        state.handle(.authenticate(account: "ALICE", password: "sesame1"), from: 2)
        #expect(state.operChecks.awaits(2) && checker.checks.last!.hash == "H-sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(sink.take(2) == [.loggedIn(nick: "*", source: "*!*@10.0.0.2", account: "alice"), .saslResult(.success)])
        state.handle(.authenticate(account: "alice", password: "sesame1"), from: 2)
        #expect(sink.take(2) == [.saslResult(.alreadyAuthenticated)])
        // A wrong password: 904; after three, the throttle.
        state.connect(session: 3, host: "10.0.0.3")
        for _ in 1...3 {
            state.handle(.authenticate(account: "alice", password: "nope!"), from: 3)
            state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: false)
            #expect(sink.take(3) == [.saslResult(.failure)])
        }
        state.handle(.authenticate(account: "alice", password: "sesame1"), from: 3)
        #expect(sink.take(3) == [.saslResult(.failure)], "throttled: no check")
    }

    @Test func aVerdictForAConnectionThatEndedIsDropped() {
        user(1, "alice")
        register(1)
        user(2, "bob")
        ns(2, "IDENTIFY alice sesame1")
        let ticket = checker.checks.last!.ticket
        state.handle(.quit(reason: ""), from: 2)
        user(2, "mallory")
        state.passwordChecked(ticket: ticket, verdict: true)
        #expect(state.users[2]!.account == nil && sink.take(2).isEmpty)
    }

    /// The real worker's answer, in process: a hash it then checks.
    @Test func theWorkerMakesHashesItAccepts() throws {
        #expect(PasswordHash.prepare())
        let made = PasswordWorker.answer(PasswordHashRequest(ticket: 7, password: "sesame1"))
        #expect(made.ticket == 7 && made.hash.hasPrefix("$argon2id$"))
        #expect(PasswordWorker.answer(PasswordCheck(ticket: 8, hash: made.hash, password: "sesame1")) == .init(ticket: 8, answer: .match))
        // Its frames round-trip, and each refuses the other's.
        let request = PasswordHashRequest(ticket: 9, password: "p\u{e9}ss")
        #expect(request.bytes.withUnsafeBytes { PasswordHashRequest($0) } == request)
        #expect(made.bytes.withUnsafeBytes { PasswordHashResult($0) } == made)
        #expect(request.bytes.withUnsafeBytes { PasswordHashResult($0) } == nil)
        #expect(request.bytes.withUnsafeBytes { PasswordCheck($0) } == nil)
    }

    @Test func theWorkerLostAnswersEveryCheck() {
        user(1, "alice")
        ns(1, "REGISTER sesame1")
        state.passwordChecked(ticket: checker.hashes.last!.ticket, verdict: nil)
        #expect(notices(1) == ["Passwords cannot be checked now; try again later."])
        state.passwords = nil
        ns(1, "IDENTIFY sesame1")
        #expect(notices(1) == ["Passwords cannot be checked now; try again later."])
    }
}
