import ArgumentParser
import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

extension Logger.Level: @retroactive ExpressibleByArgument {}

@main
struct ChatServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-server",
        abstract: "A forking chat server for telnet users and IRC clients on one port.",
        usage: """
            chat-server [<options>]
              chat-server console [--control-socket <PATH>] [-c <COMMAND>]
              chat-server hash-password < password
            """,
        discussion: """
            Telnet users (telnet, nc, PuTTY) and IRC clients (irssi, WeeChat, chat-tui) connect to \
            the same port; the first line a client sends decides its dialect. See docs/SERVER.md.
            """,
        version: ServerConfig.version,
        subcommands: [ConsoleClientCommand.self, HashPasswordCommand.self]
    )

    /// The session spawner is this program too, started again by the hub (`Spawner`).
    static func main() {
        Spawner.serveIfStarted(arguments: CommandLine.arguments)
        PasswordWorker.serveIfStarted(arguments: CommandLine.arguments)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // --help, --version and the exits the commands chose are ArgumentParser's to print.
            // A mistake on the command line is one line, like every other start-up error
            // (ArgumentParser's usage block would follow it otherwise).
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            // One line: the parser's message may run over several (a "- value" list).
            var parts: [String] = [], items: [String] = []
            for line in self.message(for: error).split(whereSeparator: \.isNewline) {
                let text = String(line.trimmingLeading(while: { $0 == " " }))
                if text.hasPrefix("- ") { items.append(String(text.dropFirst(2))); continue }
                if !items.isEmpty { parts.append(items.joined(separator: ", ")); items = [] }
                parts.append(text)
            }
            if !items.isEmpty { parts.append(items.joined(separator: ", ")) }
            let message = parts.joined(separator: " ")
            FD.writeAllIgnoringErrors(2, "chat-server: error: \(message) (see 'chat-server --help')\n")
            Proc.exitImmediately(code.rawValue)
        }
    }

    @Option(name: .customLong("listen"), help: ArgumentHelp("Address to listen on; repeatable. Port 0 picks a free port.", valueName: "HOST:PORT"))
    var listen: [String] = []

    @Option(name: .customLong("tls-listen"), help: ArgumentHelp("Address where clients speak TLS (ircs, usually port 6697); repeatable. Needs --tls-cert and --tls-key.", valueName: "HOST:PORT"))
    var tlsListen: [String] = []

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("The TLS certificate chain, PEM, leaf first; read again on SIGHUP.", valueName: "PATH"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The TLS certificate's private key, PEM, unencrypted; read again on SIGHUP.", valueName: "PATH"))
    var tlsKey: String?

    @Option(help: "Server name shown to clients (default: the host name).")
    var name: String?

    @Option(name: .customLong("description"), help: ArgumentHelp("One line about the server, shown by LINKS, WHOIS and VERSION (default: chat-server).", valueName: "TEXT"))
    var serverDescription: String?

    @Option(name: .customLong("motd-file"), help: ArgumentHelp("Message of the day, shown at login.", valueName: "PATH"))
    var motdFile: String?

    // The numbers are parsed unconditionally, so that `--max-clients -1` is refused as a
    // negative number rather than taken for a missing value followed by an option.
    @Option(name: .customLong("max-clients"), parsing: .unconditional, help: "Most clients at once; 0 for no limit.")
    var maxClients = 10000

    @Option(name: .customLong("max-per-ip"), parsing: .unconditional, help: "Most clients from one address; 0 for no limit.")
    var maxPerIP = 32

    @Option(parsing: .unconditional, help: "Lines of history replayed to whoever joins a channel.")
    var history = 50

    @Option(name: .customLong("history-days"), parsing: .unconditional, help: ArgumentHelp("With --state-dir: days channel lines are kept on disk, replayed after a restart and for CHATHISTORY; 0 keeps none there.", valueName: "DAYS"))
    var historyDays = 7

    @Option(name: .customLong("flood-rate"), parsing: .unconditional, help: ArgumentHelp("Lines per second a client may send on average; 0 turns flood control off.", valueName: "LINES_PER_SECOND"))
    var floodRate: Double = 5

    @Option(name: .customLong("flood-burst"), parsing: .unconditional, help: ArgumentHelp("Lines a client may send at once before flood control delays it.", valueName: "LINES"))
    var floodBurst = 20

    @Option(name: .customLong("config"), help: ArgumentHelp("Settings read at start-up and again on SIGHUP, over the options: 'max-clients = 500' lines (max-clients, max-per-ip, history, flood-rate, flood-burst, motd-file, oper, description, admin-location, admin-email, tls-cert, tls-key, state-dir, history-days, history-private, nick-grace).", valueName: "PATH"))
    var configFile: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Keep the accounts and the channels' lines here (state.db, created 0700); without it they are kept in memory and lost at exit.", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .customLong("nick-grace"), parsing: .unconditional, help: ArgumentHelp("Seconds someone on a registered nick has to identify before being renamed to a guest nick; 0: registered nicks are not enforced.", valueName: "SECONDS"))
    var nickGrace = 60

    /// --control-socket; a group, so that `chat-server console` shares it (see ControlSocketOption).
    @OptionGroup var control: ControlSocketOption

    @Flag(name: .customLong("history-private"), help: "With --state-dir: keep private messages (PRIVMSG and NOTICE between two users) with the channel lines, for --history-days, readable by the two through CHATHISTORY.")
    var historyPrivate = false

    @Flag(name: .customLong("no-console"), help: "Do not read operator commands from the terminal (the control socket still works).")
    var noConsole = false

    @Option(help: ArgumentHelp("When started as root: bind, then run as this user (default: chat-server if it exists, else nobody; 'root' keeps root).", valueName: "NAME"))
    var user: String?

    @Flag(help: "Detach from the terminal; log to --log-file.")
    var daemon = false

    @Option(help: ArgumentHelp("Write the server's pid here.", valueName: "PATH"))
    var pidfile: String?

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Log here instead of stderr (reopened on SIGHUP).", valueName: "PATH"))
    var logFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    // No title of its own: ArgumentParser prints titled groups first, and these rarely used
    // limits belong after the options a new user looks for (--listen first).
    @OptionGroup var tuning: Tuning

    var commandLineLimits: Limits {
        var limits = Limits(maxClients: maxClients, maxPerIP: maxPerIP, history: history, floodRate: floodRate,
                            floodBurst: floodBurst, motdFile: motdFile)
        limits.stateDir = stateDir
        limits.historyDays = historyDays
        limits.nickGrace = nickGrace
        limits.historyPrivate = historyPrivate
        if let serverDescription { limits.about.description = serverDescription }
        limits.tlsCertificate = tlsCertificate
        limits.tlsKey = tlsKey
        return limits
    }

    /// The host name, when it can serve as a server name (else "chat-server").
    static func defaultName() -> String {
        let host = Proc.hostName()
        return isValidServerName(host) ? host : "chat-server"
    }

    /// A server name travels as the source of every numeric: a host name's characters only.
    static func isValidServerName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63 && name.first != "-" && name.first != "."
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0)) }
    }

    func validate() throws {
        if let problem = commandLineLimits.problem() { throw ValidationError("--" + problem) }
        if let name, !Self.isValidServerName(name) {
            throw ValidationError("--name must look like a host name (letters, digits, '-', '.', '_'; at most 63), not '\(TextSafety.sanitize(String(name.prefix(40))))'")
        }
        if daemon && logFile == nil { throw ValidationError("--daemon needs --log-file (a daemon has no terminal to log to)") }
    }

    /// With --daemon: the descriptor on which the daemon tells the process still waiting in
    /// the foreground how its start-up went (-1 once told, or without --daemon).
    nonisolated(unsafe) static var daemonReadyFD: Int32 = -1

    /// A start-up error, on the terminal; a daemon also tells the process waiting for it.
    private func startupFailed(_ message: String) {
        let line = "chat-server: error: \(message)"
        if Self.daemonReadyFD >= 0 {
            Proc.daemonReady(Self.daemonReadyFD, failure: line)
            Self.daemonReadyFD = -1
            if LogOutput.shared.path != nil { LogOutput.shared.write(line + "\n") }
            return
        }
        FD.writeAllIgnoringErrors(2, line + "\n")
    }

    func run() throws {
        do {
            try serve()
        } catch let error as StartupError {
            startupFailed("\(error)")
            throw ExitCode(1)
        } catch let error as SystemError {
            startupFailed("\(error)")
            throw ExitCode(1)
        }
    }

    /// Addresses from --listen, or the defaults (every IPv4 and IPv6 address, port 4444).
    func listenAddresses() throws -> (addresses: [SocketAddress], optional: Set<Int>) {
        if listen.isEmpty {
            return ([SocketAddress.parse(numeric: "0.0.0.0:4444")!, SocketAddress.parse(numeric: "[::]:4444")!], [1])
        }
        return (try listen.map { try Self.address($0, option: "--listen") }, [])
    }

    /// A `HOST:PORT` of `--listen` or `--tls-listen`, resolved.
    static func address(_ text: String, option: String) throws -> SocketAddress {
        guard let (host, port) = SocketAddress.splitHostPort(text), let port else {
            throw StartupError("bad \(option) address '\(text)': expected HOST:PORT, e.g. 0.0.0.0:4444 or [::1]:4444")
        }
        if let a = SocketAddress.parse(numeric: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)") {
            return a
        } else if let resolved = try? SocketAddress.resolve(host: host, port: port), let first = resolved.first {
            return first
        }
        throw StartupError("bad \(option) address '\(text)': cannot resolve \(host)")
    }

    static func bindListener(_ address: SocketAddress) -> Result<(Int32, SocketAddress), SystemError> {
        Result { () throws(SystemError) in
            let fd = try Socket.listen(address)
            return (fd, try Socket.localAddress(fd))
        }
    }

    func serve() throws {
        // A daemon sets everything up itself (its epoll set and signal descriptor must be its
        // own: ones made before the fork would still watch the process that started it).
        // Paths are taken as absolute from where the server was started: a daemon works from
        // `/`, and the log, the config file and the MOTD are opened again on every reload.
        let absolute: (String?) -> String? = { $0.map(ControlSocketPath.absolute) }
        let logFile = absolute(self.logFile), pidfile = absolute(self.pidfile), configFile = absolute(self.configFile)
        var commandLineLimits = self.commandLineLimits
        commandLineLimits.motdFile = absolute(commandLineLimits.motdFile)
        commandLineLimits.tlsCertificate = absolute(commandLineLimits.tlsCertificate)
        commandLineLimits.tlsKey = absolute(commandLineLimits.tlsKey)
        commandLineLimits.stateDir = absolute(commandLineLimits.stateDir)
        if daemon { Self.daemonReadyFD = try Proc.beginDaemon() }
        LineLogHandler.level = logLevel
        if let logFile {
            do { try LogOutput.shared.open(path: logFile) } catch {
                throw StartupError("cannot open the log file \(logFile): \(error)")
            }
        }
        LoggingSystem.bootstrap { _ in LineLogHandler(logLevel: .trace) }
        let log = Logger(label: "chat-server")
        if !daemon {
            // Output to a terminal or a pipe never waits: a stalled one loses log lines (counted)
            // instead of stopping the server.
            FD.reopenNonBlocking(1)
            LogOutput.shared.neverWait = FD.reopenNonBlocking(2)
        }

        let runAs = try ServerUser.choose(option: user, isRoot: Proc.isRoot, uid: { Files.lookupUser($0)?.uid })
        let (addresses, optional) = try listenAddresses()
        var config = ServerConfig(listen: addresses, name: name ?? Self.defaultName(), motd: nil, limits: commandLineLimits,
                                  configFile: configFile, commandLineLimits: commandLineLimits)
        config.tlsListen = try tlsListen.map { try Self.address($0, option: "--tls-listen") }
        tuning.apply(to: &config)
        _ = try config.reload()

        let limit = Proc.raiseDescriptorLimit()
        let hub = try Hub(config: config, log: log)
        for (i, address) in addresses.enumerated() {
            switch Self.bindListener(address) {
            case .success(let (fd, bound)):
                try hub.addListener(fd, address: bound)
            case .failure(let error):
                if optional.contains(i) && (error.errno == EAFNOSUPPORT || error.errno == EADDRNOTAVAIL) {
                    log.warning("not listening on \(address): \(error)")
                    continue
                }
                if error.errno == EADDRINUSE {
                    throw StartupError("cannot listen on \(address): the address is already in use (is another chat-server running?)")
                }
                throw StartupError("cannot listen on \(address): \(error)")
            }
        }
        for address in config.tlsListen {
            switch Self.bindListener(address) {
            case .success(let (fd, bound)):
                try hub.addListener(fd, address: bound, tls: true)
            case .failure(let error):
                throw StartupError("cannot listen on \(address) (TLS): \(error)")
            }
        }
        if !hub.hasListeners { throw StartupError("no address to listen on") }
        // Before the switch of user: binding may need root; the socket is then given to the
        // user named with --user.
        let (console, consoleWarnings) = try OperatorConsole.setUp(option: control.controlSocket, terminal: !daemon && !noConsole,
                                                                   runAs: runAs.consoleOwner)
        for w in consoleWarnings { log.warning("\(w)") }
        var started = false
        defer { if !started { console.abandonSocket() } }
        // While still root, so that it may go where only root writes (/run).
        if let pidfile {
            do { try FD.writeFile(pidfile, "\(Proc.pid)\n") } catch {
                throw StartupError("cannot write the pidfile \(pidfile): \(error)")
            }
        }
        // Everything that needs root (binding low ports, opening the log) is done.
        switch runAs {
        case .unchanged:
            break
        case .keepRoot:
            log.warning("running as root (--user root): the hub keeps every privilege; sessions still give up theirs")
        case .drop(let name, let byDefault):
            let ids: (uid: UInt32, gid: UInt32)
            do { ids = try Proc.dropPrivileges(to: name) } catch {
                throw StartupError("cannot switch to user \(name): \(error)")
            }
            let why = byDefault ? ", chosen because the server was started as root: --user NAME picks the user, --user root keeps root" : ""
            log.notice("running as user \(name) (uid \(ids.uid), gid \(ids.gid), no capabilities)\(why)")
        }
        if daemon {
            // Before the spawner starts: sessions inherit this stdio, and keep no terminal.
            try Proc.detachStandardDescriptors(logFD: LogOutput.shared.fd)
        }
        try hub.addHook(console)
        // After --user: the database belongs to the user the hub runs as.
        try openStateStore(config.limits.stateDir, hub: hub, config: config, log: log)
        // After --user: the worker checks passwords as this unprivileged user, in its sandbox.
        do { try hub.addHook(PasswordService()) } catch {
            throw StartupError("cannot start the password worker: \(error)")
        }
        // Last, after --user and --daemon: the spawner forks the sessions as this process is now.
        do { try hub.startSpawner() } catch {
            throw StartupError("cannot start the session spawner: \(error)")
        }
        // Under systemd (Type=notify): ready, reloading, stopping, a status line, the watchdog.
        let serviceManager = ServiceNotifier.fromEnvironment()
        if let serviceManager { try hub.addHook(serviceManager) }
        log.info("chat-server \(ServerConfig.version) starting as \(config.name), pid \(Proc.pid), descriptor limit \(limit)")
        hub.announceListeners()
        started = true
        serviceManager?.ready(host: hub)
        if Self.daemonReadyFD >= 0 {
            Proc.daemonReady(Self.daemonReadyFD, failure: nil)
            Self.daemonReadyFD = -1
        }
        hub.run()
        hub.stopSpawner()
        if let pidfile { FD.unlink(pidfile) }
        log.notice("stopped")
    }
}

/// Limits that rarely need changing; tests shrink them to reach the edge cases quickly.
struct Tuning: ParsableArguments {
    @Option(name: .customLong("send-queue"), parsing: .unconditional, help: ArgumentHelp("Bytes a session buffers for a client that does not read before it drops the client.", valueName: "BYTES"))
    var sessionQueue = 1 << 20

    @Option(name: .customLong("hub-queue"), parsing: .unconditional, help: ArgumentHelp("Bytes the hub buffers for a session that does not read its channel before it ends the session.", valueName: "BYTES"))
    var hubQueue = 8 << 20

    @Option(name: .customLong("delivery-tick"), parsing: .unconditional, help: ArgumentHelp("Microseconds what the hub has for a session may wait for more when it wrote to the session less than that ago: news about channel members always, lines said only to a reader sent two a tick or more (one wake-up for several). Replies, and anything after a quiet spell, go at once. 0 sends everything at once.", valueName: "MICROSECONDS"))
    var deliveryTick = ServerConfig.defaultDeliveryTick

    @Option(name: .customLong("reply-budget"), parsing: .unconditional, help: ArgumentHelp("Bytes of replies (names, who, list, history) a session may ask the hub for, a second on average, four seconds' worth at once; beyond it its requests wait. 0 for no limit.", valueName: "BYTES"))
    var replyBudget = 256 * 1024

    @Option(name: .customLong("history-memory"), parsing: .unconditional, help: ArgumentHelp("Bytes of history the hub keeps over all channels; past it the oldest lines go first.", valueName: "BYTES"))
    var historyMemory = 64 << 20

    @Option(name: .customLong("registration-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds a connection may take to choose a nickname.", valueName: "SECONDS"))
    var registrationTimeout = 60

    @Option(name: .customLong("ping-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds of silence before an IRC client is pinged.", valueName: "SECONDS"))
    var pingInterval = 90

    @Option(name: .customLong("ping-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds of silence before an IRC client is dropped.", valueName: "SECONDS"))
    var pingTimeout = 180

    @Option(name: .customLong("sts-duration"), parsing: .unconditional, help: ArgumentHelp("Seconds IRC clients that reached a TLS port are told to use TLS only (IRCv3 sts's duration=; 0 withdraws the policy). Plain ports advertise the TLS port (sts's port=).", valueName: "SECONDS"))
    var stsDuration = ServerConfig.defaultSTSDuration

    func validate() throws {
        if sessionQueue < 4096 || hubQueue < 4096 { throw ValidationError("queue sizes must be at least 4096 bytes") }
        // Queues are counted in Int bytes and added to: bounded well below any overflow.
        if sessionQueue > 1 << 30 || hubQueue > 1 << 30 { throw ValidationError("queue sizes must be at most \(1 << 30) bytes") }
        if replyBudget != 0 && (replyBudget < 4096 || replyBudget > 1 << 30) {
            throw ValidationError("--reply-budget must be 0 (no limit) or between 4096 and \(1 << 30) bytes")
        }
        if deliveryTick < 0 || deliveryTick > 100_000 { throw ValidationError("--delivery-tick must be between 0 and 100000 microseconds (0.1 s)") }
        if historyMemory < 0 || historyMemory > 1 << 40 { throw ValidationError("--history-memory must be between 0 and \(1 << 40) bytes") }
        // A bound keeps every deadline a session computes (seconds to nanoseconds, added to the
        // clock) far from overflowing, which would trap in every session.
        let longest = 7 * 24 * 3600
        if registrationTimeout < 1 || pingInterval < 1 || pingTimeout <= pingInterval
            || max(registrationTimeout, pingInterval, pingTimeout) > longest {
            throw ValidationError("timeouts must be positive and at most 7 days (\(longest) seconds), and --ping-timeout longer than --ping-interval")
        }
        if stsDuration < 0 || stsDuration > ServerConfig.longestSTSDuration {
            throw ValidationError("--sts-duration must be between 0 and \(ServerConfig.longestSTSDuration) seconds (a year)")
        }
    }

    func apply(to c: inout ServerConfig) {
        c.sessionQueueLimit = sessionQueue
        c.hubQueueLimit = hubQueue
        c.deliveryTickNanos = UInt64(deliveryTick) * 1000
        c.replyRate = replyBudget
        c.historyMemory = historyMemory
        c.registrationTimeout = registrationTimeout
        c.pingInterval = pingInterval
        c.pingTimeout = pingTimeout
        c.stsDuration = stsDuration
    }
}
