@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The log at the default level is an audit trail: who came, under which nicks, who left and
/// why, who kicked whom; a flood of refused connections is counted, not written out.
@Suite(.serialized) struct AuditLogTests {
    /// `127.0.0.1:PORT` of a test's connection, as the server sees it.
    func address(_ c: UserConnection) throws -> String { "127.0.0.1:\(try Socket.localAddress(c.fd).port)" }

    /// The server's log lines (without their time) that mention `needle`.
    func lines(_ server: ServerProcess, mentioning needle: String) -> [String] {
        server.log.split(separator: "\n").filter { $0.contains(needle) }.map { line in
            line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
        }
    }

    @Test func aConnectNickKickQuitSequenceMakesExactlyTheseLines() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#ops")
        let carol = try await ircUser(server, nick: "carol", join: "#ops")
        let (a, b, c) = (try address(alice), try address(bob), try address(carol))
        try bob.line("KICK #ops carol :out\u{1B}[2J you go")
        try await carol.expect("KICK #ops carol :out")
        try bob.line("NICK bobby")
        try await bob.expect(" NICK ")
        try alice.line("/quit see you")
        #expect(await alice.expectClosed())
        try await server.waitForLog("info: alice (\(a)) quit: ")
        try carol.line("QUIT :gone")
        #expect(await carol.expectClosed())
        try await server.waitForLog("info: carol (\(c)) quit: ")
        let console = try await ControlClient(server)
        try await console.ok("kick bobby enough")
        #expect(await bob.expectClosed())
        try await server.waitForLog("info: bobby (\(b)) quit: ")

        #expect(lines(server, mentioning: a) == [
            "info: \(a) connected (human)",
            "info: \(a) registered as alice",
            "info: alice (\(a)) quit: Quit: see you",
        ])
        #expect(lines(server, mentioning: c) == [
            "info: \(c) connected (irc)",
            "info: \(c) registered as carol",
            "info: bob (\(b)) kicked carol (\(c)) from #ops: out you go",
            "info: carol (\(c)) quit: Quit: gone",
        ])
        let me = "console [uid \(getuid()) pid \(getpid())]"
        #expect(lines(server, mentioning: b) == [
            "info: \(b) connected (irc)",
            "info: \(b) registered as bob",
            "info: bob (\(b)) kicked carol (\(c)) from #ops: out you go",
            "info: bob (\(b)) is now bobby",
            "info: bobby (\(b)) quit: Kicked by the server operator: enough",
        ])
        // The console's kick is the console's line; the greeting is not a command.
        #expect(lines(server, mentioning: me) == ["notice: \(me): kick bobby (127.0.0.1): enough"])
        // Listings are commands too.
        #expect(try await console.ok("who") == "nobody is connected")
        try await server.waitForLog("info: \(me): who")
    }

    @Test func aFloodOfRefusedConnectionsMakesAFewLinesWithTheCount() async throws {
        let server = try await ServerProcess(["--max-per-ip", "1"])
        let alice = try await humanUser(server, nick: "alice")
        let flood = 500
        let started = Date()
        for _ in 0..<flood {
            let c = try server.connect()
            try await c.expect("Too many connections from your address")
            c.close()
        }
        // The tally is summed up when its 10 s are over, or as the server stops.
        await server.stop()
        // At most two lines per 10 s window (its first refusal, its total): on a busy machine
        // the flood spans more windows than on a quiet one.
        let windows = Int(Date().timeIntervalSince(started) / 10) + 2
        let log = server.log.split(separator: "\n")
        let refusals = log.filter { $0.contains("refused ") }
        #expect(refusals.count <= 2 * windows, "\(refusals.count) lines for \(flood) refusals:\n\(refusals.prefix(10).joined(separator: "\n"))")
        // Each window logs its first refusal, then the window's total when there was more than one.
        let first = refusals.filter { $0.contains("refused 127.0.0.1:") }
        #expect(first.allSatisfy { $0.hasSuffix(": too many connections from one address (1)") }, "\(first)")
        let totals = refusals.compactMap { line -> Int? in
            guard line.contains(" connections from 127.0.0.1 in the last "), let r = line.range(of: "refused ") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
        #expect(!totals.isEmpty, "no summary: \(refusals)")
        #expect(totals.reduce(0, +) + (first.count - totals.count) == flood, "\(refusals)")
        #expect(refusals.contains { $0.hasSuffix(": too many connections from one address (1)") && $0.contains("in the last ") })
        withExtendedLifetime(alice) {}
    }
}

/// How refused connections are counted and summed up, without a server.
@Suite(.serialized, .compute) struct RefusalTallyTests {
    @Test func theFirstOfEachKindIsLoggedAndTheRestSummedUpAtTheWindowsEnd() {
        var t = RefusalTally()
        var empty = t.summary(now: 0, force: true)
        #expect(t.deadline == nil && empty.isEmpty)
        let s: UInt64 = 1_000_000_000
        var logged: [Bool] = []
        logged.append(t.count(host: "192.0.2.7", reason: "too many", now: 5 * s))
        for _ in 0..<8803 { logged.append(t.count(host: "192.0.2.7", reason: "too many", now: 6 * s)) }
        logged.append(t.count(host: "192.0.2.7", reason: "banned (spam)", now: 7 * s))
        logged.append(t.count(host: "198.51.100.1", reason: "too many", now: 7 * s))
        logged.append(t.count(host: "198.51.100.1", reason: "too many", now: 7 * s))
        // Logged at once: the first of each address and reason.
        #expect(logged.indices.filter { logged[$0] } == [0, 8804, 8805])
        #expect(t.deadline == 15 * s)
        empty = t.summary(now: 14 * s, force: false)
        #expect(empty.isEmpty, "not before the window's end")
        let lines = t.summary(now: 15 * s, force: false)
        #expect(lines == [
            "refused 8804 connections from 192.0.2.7 in the last 10 s: too many",
            "refused 2 connections from 198.51.100.1 in the last 10 s: too many",
        ])
        // A new window: the next one is logged again; alone, its own line says it all.
        #expect(t.deadline == nil)
        let again = t.count(host: "192.0.2.7", reason: "too many", now: 16 * s)
        #expect(again)
        empty = t.summary(now: 17 * s, force: true)
        #expect(empty.isEmpty)
    }

    @Test func addressesPastTheLimitAreSummedByReason() {
        var t = RefusalTally()
        var logged = 0
        for i in 0..<(RefusalTally.maxAddresses + 100) where t.count(host: "2001:db8::\(i)", reason: "banned", now: 0) { logged += 1 }
        #expect(logged == RefusalTally.maxAddresses)
        let lines = t.summary(now: 3_000_000_000, force: true)
        #expect(lines == ["refused 100 more connections from other addresses in the last 3 s: banned"])
    }
}

/// What the chat state reports to the audit log, without processes: the rare events, each
/// once, and nothing for a message.
@Suite(.serialized, .compute) struct ChatStateAuditTests {
    final class AuditSink: EventSink {
        var audited: [AuditEvent] = []
        func deliver(_ frame: [UInt8], to session: Int) {}
        func deliver(_ frame: [UInt8], toEach sessions: [Int]) {}
        func audit(_ event: AuditEvent) { audited.append(event) }
    }

    @Test func theChatStateReportsArrivalsNicksKicksAndQuitsAndNothingElse() {
        let sink = AuditSink()
        let state = ChatState(settings: ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                                     historyLength: 2, motd: nil),
                              sink: sink, clock: { 1_764_300_000_000 })
        for id in 1...3 { state.connect(session: id, host: "10.0.0.\(id)") }
        state.handle(.hello(dialect: .irc), from: 1)
        state.handle(.register(nick: "bob", user: "bob", realName: "B"), from: 1)
        state.handle(.register(nick: "carol", user: "carol", realName: "C"), from: 2)
        state.handle(.register(nick: "BOB", user: "x", realName: ""), from: 3)  // taken: refused, not logged
        state.handle(.join(channels: ["#ops"]), from: 1)
        state.handle(.join(channels: ["#ops"]), from: 2)
        state.handle(.message(kind: .privmsg, target: "#ops", text: "hello"), from: 2)
        state.handle(.kick(channel: "#ops", nick: "carol", reason: "out\u{1B}[2J"), from: 1)
        state.handle(.nick("bobby"), from: 1)
        state.handle(.quit(reason: "Quit: bye\u{9B}2J"), from: 1)
        state.disconnect(session: 3, reason: "Registration timed out")
        #expect(sink.audited == [
            .connected(session: 1, dialect: .irc),
            .nick(session: 1, old: nil, new: "bob"),
            .nick(session: 2, old: nil, new: "carol"),
            .kick(by: 1, channel: "#ops", target: 2, targetNick: "carol", reason: "out"),
            .nick(session: 1, old: "bob", new: "bobby"),
            .quit(session: 1, nick: "bobby", reason: "Quit: bye"),
            .quit(session: 3, nick: nil, reason: "Registration timed out"),
        ])
    }
}
