import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What the operator console may see and do in the hub, and nothing else: the chat state it
/// acts on, the connections, the statistics, notices and disconnects to sessions, reload and
/// shutdown, and its own descriptors in the hub's loop. The hub implements it; the console
/// never sees the hub's fields.
protocol ConsoleHost: AnyObject {
    /// The routing state: users, channels, topics, mutes, server notices.
    var chat: ChatState { get }
    var log: Logger { get }
    var config: ServerConfig { get }

    // MARK: Connections

    /// Connection `session`'s address and process (nil while the spawner has not reported it);
    /// nil when there is no such connection.
    func connection(_ session: Int) -> ConnectionSummary?
    /// Every connection, in session order.
    func forEachConnection(_ body: (Int, ConnectionSummary) -> Void)
    /// An event frame for one session, written at the end of the loop's turn.
    func send(_ event: HubEvent, to session: Int)

    // MARK: Statistics

    var statistics: HubStatistics { get }
    /// When the hub started (monotonic ns).
    var startedAt: UInt64 { get }
    /// Connections now.
    var connectionCount: Int { get }
    /// Bytes the hub holds for sessions that have not read them, and for how many.
    func queuedForSessions() -> (bytes: Int, sessions: Int)
    var spawnerPID: pid_t? { get }
    /// Session processes the hub has not reaped.
    var sessionPIDs: [pid_t] { get }

    // MARK: The server

    /// The addresses the server listens on, as bound (a port 0 made real).
    var listening: [String] { get }
    var isShuttingDown: Bool { get }
    /// Tells everyone, asks every session to close, stops accepting; stragglers are killed
    /// after `grace` seconds.
    func beginShutdown(reason: String, grace: Int)
    /// Reopens the log, reads the settings and the MOTD again; the error, if that failed.
    func reload(by who: String) -> String?
    /// Reads the message of the day again (and only that).
    func reloadMOTD() throws

    // MARK: The loop

    /// Watches `fd` for `events`; `handle` gets `sub` back with them.
    func watch(_ fd: Int32, events: UInt32, hook: Int, sub: Int) throws(SystemError)
    /// Changes what `fd` is watched for.
    func rewatch(_ fd: Int32, events: UInt32, hook: Int, sub: Int)
    func unwatch(_ fd: Int32)

    /// The state database (`--state-dir`), for `backup`; nil when the state is in memory.
    var stateDatabase: StateStore? { get }
}

extension ConsoleHost {
    /// As configured, for hosts that bind nothing (the tests' stand-in).
    var listening: [String] { config.listen.map { "\($0)" } }

    /// Which server this is, for the greeting and `stats`: an operator with several servers
    /// sees which one answered.
    var identity: String {
        "chat-server \(ServerConfig.version) on \(config.name), pid \(Proc.pid), listening on \(listening.joined(separator: ", "))"
    }
}
