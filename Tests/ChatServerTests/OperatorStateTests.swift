import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Events and audit lines, for the operators' rules.
private final class AuditingSink: EventSink {
    let events = RecordingSink()
    var audits: [AuditEvent] = []
    func deliver(_ frame: [UInt8], to session: Int) { events.deliver(frame, to: session) }
    func deliver(_ frame: [UInt8], toEach sessions: [Int]) { events.deliver(frame, toEach: sessions) }
    func audit(_ event: AuditEvent) { audits.append(event) }
    func take(_ id: Int) -> [HubEvent] { events.take(id) }
}

/// A password checker that keeps the checks for the test to answer, as the worker would.
private final class StandInChecker: PasswordChecker {
    var checks: [(ticket: UInt64, hash: String, password: String)] = []
    var accepts = true
    func check(ticket: UInt64, hash: String, password: String) -> Bool {
        guard accepts else { return false }
        checks.append((ticket, hash, password))
        return true
    }
}

/// User modes held by the hub, OPER through a password checker, KILL and WALLOPS: the chat
/// state's rules, in process.
@Suite(.serialized, .compute) struct OperatorStateTests {
    private let sink = AuditingSink()
    private let checker = StandInChecker()
    let state: ChatState
    static let hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"
    var now: Int64 = 1_764_300_000_000

    init() {
        var settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        settings.operators = [OperatorBlock(name: "root-ish", hash: Self.hash),
                              OperatorBlock(name: "local", hash: Self.hash, mask: "*@10.0.0.9")]
        let clock = Clock()
        state = ChatState(settings: settings, sink: sink, clock: { clock.now })
        state.passwords = checker
        self.clock = clock
    }

    final class Clock { var now: Int64 = 1_764_300_000_000 }
    let clock: Clock

    func user(_ id: Int, _ nick: String, join: String? = "#lobby") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
        sink.events.events.removeAll()
    }

    /// Makes `id` an operator through the checker.
    func oper(_ id: Int) {
        state.handle(.oper(name: "root-ish", password: "right"), from: id)
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        _ = sink.take(id)
    }

    func codes(_ events: [HubEvent]) -> [UInt16] {
        events.compactMap { if case .error(let c, _, _) = $0 { return c.rawValue } else { return nil } }
    }

    @Test func ownModesAreQueriedAndChangedAndOthersRefused() {
        user(1, "alice")
        user(2, "bob")
        state.handle(.mode(target: "alice", args: []), from: 1)
        #expect(sink.take(1) == [.userModes(nick: "alice", modes: "+", isChange: false)])
        state.handle(.mode(target: "ALICE", args: ["+iw"]), from: 1)
        #expect(sink.take(1) == [.userModes(nick: "alice", modes: "+iw", isChange: true)])
        state.handle(.mode(target: "alice", args: ["+i-w+o"]), from: 1)
        #expect(sink.take(1) == [.userModes(nick: "alice", modes: "-w", isChange: true)], "+i again and +o change nothing")
        state.handle(.mode(target: "alice", args: ["+xZx"]), from: 1)
        #expect(codes(sink.take(1)) == [501, 501], "once per unknown letter")
        state.handle(.mode(target: "alice", args: []), from: 1)
        #expect(sink.take(1) == [.userModes(nick: "alice", modes: "+i", isChange: false)])
        state.handle(.mode(target: "bob", args: ["+i"]), from: 1)
        #expect(codes(sink.take(1)) == [502])
        #expect(state.users[2]!.invisible == false)
    }

    @Test func invisibleUsersAreLeftOutOfWhoByMaskForStrangersOnly() {
        user(1, "evan", join: "#a")
        user(2, "shiv", join: "#b")
        state.handle(.mode(target: "evan", args: ["+i"]), from: 1)
        _ = sink.take(1)
        func whoNicks(_ mask: String, from id: Int) -> [String] {
            state.handle(.who(mask: mask), from: id)
            return sink.take(id).flatMap { e -> [String] in
                if case .who(_, let entries, _, _) = e { return entries.map(\.nick) } else { return [] }
            }
        }
        #expect(whoNicks("eva*", from: 2) == [])
        #expect(whoNicks("evan", from: 2) == ["evan"], "an exact nick is not a mask")
        #expect(whoNicks("#a", from: 2) == [], "a channel the asker is not in")
        #expect(whoNicks("eva*", from: 1) == ["evan"], "oneself")
        state.handle(.join(channels: ["#a"]), from: 2)
        _ = sink.take(2)
        #expect(whoNicks("eva*", from: 2) == ["evan"], "sharing a channel")
        state.handle(.part(channels: ["#a"], reason: ""), from: 2)
        _ = sink.take(2)
        oper(2)
        #expect(whoNicks("eva*", from: 2) == ["evan"], "operators see everyone")
    }

    @Test func operIsCheckedAwayAndGrantedOnlyOnTheVerdict() {
        user(1, "alice")
        user(2, "bob")
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        #expect(sink.take(1).isEmpty, "nothing until the verdict")
        #expect(checker.checks.map(\.hash) == [Self.hash] && checker.checks.map(\.password) == ["right"])
        #expect(state.operChecks.awaits(1) && !state.operChecks.awaits(2))
        state.passwordChecked(ticket: checker.checks[0].ticket, verdict: true)
        #expect(sink.take(1) == [.youreOper(name: "root-ish"), .userModes(nick: "alice", modes: "+o", isChange: true)])
        #expect(!state.operChecks.awaits(1) && state.users[1]!.isOperator)
        #expect(sink.audits.last == .oper(session: 1, nick: "alice", name: "root-ish", outcome: .granted))
        // WHO marks it, WHOIS says it (313), MODE shows it.
        state.handle(.who(mask: "alice"), from: 2)
        guard case .who(_, let entries, _, _)? = sink.take(2).first else { Issue.record("no who"); return }
        #expect(entries.first?.isServerOperator == true)
        state.handle(.whois(nick: "alice"), from: 2)
        guard case .whois(let info)? = sink.take(2).first else { Issue.record("no whois"); return }
        #expect(info.isServerOperator)
        // The verdict for a stale ticket changes nothing.
        state.passwordChecked(ticket: 999, verdict: true)
        #expect(sink.take(1).isEmpty)
        // The user may give it up; +o again is ignored.
        state.handle(.mode(target: "alice", args: ["-o"]), from: 1)
        #expect(sink.take(1) == [.userModes(nick: "alice", modes: "-o", isChange: true)])
        state.handle(.mode(target: "alice", args: ["+o"]), from: 1)
        #expect(sink.take(1).isEmpty && !state.users[1]!.isOperator)
        #expect(sink.audits.last == .deoper(session: 1, nick: "alice"))
    }

    @Test func wrongPasswordsUnknownNamesAndOtherHostsFailAndAreThrottled() {
        user(1, "alice")
        state.handle(.oper(name: "root-ish", password: "wrong"), from: 1)
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: false)
        #expect(codes(sink.take(1)) == [464])
        #expect(sink.audits.last == .oper(session: 1, nick: "alice", name: "root-ish", outcome: .wrongPassword))
        // At once again: refused without a check.
        let asked = checker.checks.count
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        #expect(codes(sink.take(1)) == [464] && checker.checks.count == asked)
        #expect(sink.audits.last == .oper(session: 1, nick: "alice", name: "root-ish", outcome: .throttled))
        // A second later it may try; a name without a block is checked against the decoy (as
        // long as a real one), and answered 491; so is a block for another address.
        clock.now += 1000
        state.handle(.oper(name: "nobody", password: "x"), from: 1)
        #expect(checker.checks.last!.hash == ChatState.decoyHash)
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: false)
        #expect(codes(sink.take(1)) == [491])
        #expect(sink.audits.last == .oper(session: 1, nick: "alice", name: "(none)", outcome: .noBlock))
        clock.now += 2000
        state.handle(.oper(name: "local", password: "right"), from: 1)
        #expect(checker.checks.last!.hash == ChatState.decoyHash, "alice is not on 10.0.0.9")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(codes(sink.take(1)) == [491] && !state.users[1]!.isOperator)
        // Each failure doubles the wait, for the address: a new connection from there waits too.
        #expect(state.operChecks.retryAt(host: "10.0.0.1") == clock.now + 4000)
        state.handle(.quit(reason: ""), from: 1)
        state.connect(session: 5, host: "10.0.0.1")
        state.handle(.register(nick: "alice", user: "alice", realName: "R"), from: 5)
        _ = sink.take(5)
        state.handle(.oper(name: "root-ish", password: "right"), from: 5)
        #expect(codes(sink.take(5)) == [464])
    }

    /// A session that ends while its password is checked: the verdict finds no ticket, and
    /// cannot make the next connection given the same number an operator.
    @Test func aVerdictForAConnectionThatEndedIsDropped() {
        user(1, "alice")
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        let ticket = checker.checks.last!.ticket
        state.handle(.quit(reason: ""), from: 1)
        #expect(!state.operChecks.awaits(1))
        user(1, "mallory")
        state.passwordChecked(ticket: ticket, verdict: true)
        #expect(sink.take(1).isEmpty && !state.users[1]!.isOperator)
    }

    @Test func aCheckThatCannotBeMadeSaysSo() {
        user(1, "alice")
        checker.accepts = false
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        guard case .error(.passwordMismatch, _, let text)? = sink.take(1).first else { Issue.record("no 464"); return }
        #expect(text.contains("cannot be checked"))
        #expect(!state.operChecks.awaits(1))
        // The worker lost mid-check: the same answer.
        checker.accepts = true
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: nil)
        #expect(codes(sink.take(1)) == [464] && !state.users[1]!.isOperator)
        // No checker at all.
        state.passwords = nil
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        #expect(codes(sink.take(1)) == [464])
        // No operator blocks at all: 491 at once, nothing checked.
        var settings = state.settings
        settings.operators = []
        state.updateSettings(settings)
        state.passwords = checker
        let asked = checker.checks.count
        state.handle(.oper(name: "root-ish", password: "right"), from: 1)
        #expect(codes(sink.take(1)) == [491] && checker.checks.count == asked)
    }

    @Test func killIsForOperatorsAndEndsTheVictimForEveryone() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol")
        var ended: [Int] = []
        state.sessionEnding = { ended.append($0) }
        state.handle(.kill(nick: "bob", reason: "spam"), from: 1)
        #expect(codes(sink.take(1)) == [481])
        oper(1)
        state.handle(.kill(nick: "nobody", reason: "x"), from: 1)
        #expect(codes(sink.take(1)) == [401])
        state.handle(.kill(nick: "BOB", reason: "spam\u{1B}[2J"), from: 1)
        #expect(sink.take(2) == [.disconnect(reason: "10.0.0.2 (Killed (alice (spam)))")])
        #expect(sink.take(3) == [.quit(source: "bob!bob@10.0.0.2", reason: "Killed (alice (spam))")])
        #expect(sink.take(1).contains(.quit(source: "bob!bob@10.0.0.2", reason: "Killed (alice (spam))")))
        #expect(state.session(named: "bob") == nil && ended == [2])
        #expect(sink.audits.contains(.kill(by: 1, target: 2, targetNick: "bob", reason: "spam")))
        // Without a reason, the killer's nick is the reason.
        state.handle(.kill(nick: "carol", reason: ""), from: 1)
        #expect(sink.take(3) == [.disconnect(reason: "10.0.0.3 (Killed (alice (alice)))")])
    }

    @Test func wallopsReachOperatorsAndPlusWOnly() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol")
        user(4, "dave", join: nil)
        state.handle(.wallops(text: "hi"), from: 1)
        #expect(codes(sink.take(1)) == [481])
        oper(1)
        state.handle(.mode(target: "carol", args: ["+w"]), from: 3)
        _ = sink.take(3)
        state.handle(.wallops(text: "hello\u{7}all"), from: 1)
        let wallop = HubEvent.wallops(source: "alice!alice@10.0.0.1", text: "helloall")
        #expect(sink.take(1) == [wallop], "operators get them, the sender too")
        #expect(sink.take(3) == [wallop])
        #expect(sink.take(2).isEmpty && sink.take(4).isEmpty)
    }
}
