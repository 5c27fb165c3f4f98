@testable import ChatServerDaemon
import ChatPOSIX
import ChatProtocol
import Logging
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The console's commands against a stand-in for the hub: `ConsoleHost` is all they need.
final class StandInConsoleHost: ConsoleHost {
    let sink = RecordingSink()
    let chat: ChatState
    let log = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    var config: ServerConfig
    var connections: [Int: ConnectionSummary] = [:]
    var sent: [(Int, HubEvent)] = []
    var statistics = HubStatistics()
    let startedAt = Proc.monotonicNanos()
    var isShuttingDown = false
    /// The state database `backup` copies (nil: in memory).
    var stateDatabase: StateStore?

    init() {
        let limits = Limits(maxClients: 10, maxPerIP: 2, history: 5, floodRate: 5, floodBurst: 20, motdFile: nil)
        config = ServerConfig(listen: [], name: "test.server", motd: nil, limits: limits, configFile: nil,
                              commandLineLimits: limits)
        chat = ChatState(settings: config.chatSettings(), sink: sink, clock: Proc.wallMillis)
    }

    /// A registered user in #lobby.
    func connect(_ id: Int, _ nick: String) {
        connections[id] = ConnectionSummary(host: "192.0.2.\(id)", port: 40000 + id, pid: pid_t(1000 + id))
        chat.connect(session: id, host: "192.0.2.\(id)")
        chat.handle(.register(nick: nick, user: nick, realName: nick), from: id)
        chat.handle(.join(channels: ["#lobby"]), from: id)
    }

    func connection(_ session: Int) -> ConnectionSummary? { connections[session] }
    func forEachConnection(_ body: (Int, ConnectionSummary) -> Void) {
        for id in connections.keys.sorted() { body(id, connections[id]!) }
    }
    func send(_ event: HubEvent, to session: Int) { sent.append((session, event)) }
    var connectionCount: Int { connections.count }
    func queuedForSessions() -> (bytes: Int, sessions: Int) { (0, 0) }
    var spawnerPID: pid_t? { nil }
    var sessionPIDs: [pid_t] { connections.values.compactMap(\.pid) }
    func beginShutdown(reason: String, grace: Int) { isShuttingDown = true }
    func reload(by who: String) -> String? { nil }
    func reloadMOTD() throws {}
    func watch(_ fd: Int32, events: UInt32, hook: Int, sub: Int) throws(SystemError) {}
    func rewatch(_ fd: Int32, events: UInt32, hook: Int, sub: Int) {}
    func unwatch(_ fd: Int32) {}
}

@Suite(.serialized, .compute) struct ConsoleActionsTests {
    @Test func statsCountsInTheSingularForOne() {
        let host = StandInConsoleHost()
        host.connect(1, "alice")
        host.connect(2, "bob")
        host.statistics.refused = 1
        let stats = ConsoleActions().run("stats", by: "test", host: host).lines.joined(separator: "\n")
        #expect(stats.contains("2 connected, 2 registered, 1 channel\n"), "\(stats)")
        #expect(stats.contains("1 connection; 0 bans in force"), "\(stats)")
        #expect(!stats.contains("1 channels") && !stats.contains("1 connections"))
    }

    @Test func whoListsTheConnectionsAndKickEndsOne() {
        let host = StandInConsoleHost()
        host.connect(1, "alice")
        host.connect(2, "bob")
        let who = ConsoleActions().run("who", by: "test", host: host).lines
        #expect(who.contains { $0.contains("alice") && $0.contains("192.0.2.1:40001") })
        #expect(who.last == "2 connections")
        _ = host.sink.take(2)
        #expect(ConsoleActions().run("kick alice spam", by: "test", host: host).lines == ["kicked alice"])
        // The session is told, its channels see it quit, and the chat state forgets it (the
        // chat state's `end`, which an IRC operator's KILL uses too).
        guard case .disconnect(let reason)? = host.sink.take(1).last else {
            Issue.record("no disconnect for alice")
            return
        }
        #expect(reason == "Kicked by the server operator: spam")
        #expect(host.sink.take(2).contains { if case .quit = $0 { return true } else { return false } })
        #expect(host.chat.session(named: "alice") == nil)
    }

    /// The console and IRC operators act on the same state: `who` shows who is a server
    /// operator (and invisible), and an IRC KILL is watched like the console's kick (a
    /// session that lingers is killed).
    @Test func whoShowsOperatorsAndAKillIsWatchedLikeAKick() {
        let host = StandInConsoleHost()
        host.connect(1, "alice")
        host.connect(2, "bob")
        let actions = ConsoleActions()
        actions.watchEndings(host)
        host.chat.users[1]!.operName = "boss"
        host.chat.handle(.mode(target: "bob", args: ["+i"]), from: 2)
        let who = actions.run("who", by: "test", host: host).lines
        #expect(who.contains { $0.hasPrefix("alice") && $0.contains("oper(boss)") }, "\(who)")
        #expect(who.contains { $0.hasPrefix("bob") && $0.contains("invisible") && !$0.contains("oper") }, "\(who)")
        #expect(actions.nextDeadline() == nil)
        host.chat.handle(.kill(nick: "bob", reason: "spam"), from: 1)
        #expect(host.chat.session(named: "bob") == nil)
        // The kill is watched: the loop comes round at once, and again for the grace period.
        #expect(actions.nextDeadline() == 0)
    }
}
