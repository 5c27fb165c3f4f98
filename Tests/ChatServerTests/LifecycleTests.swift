@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The command line and the signals of a running server: mistakes are one line; SIGHUP
/// reopens the log and re-reads the MOTD and the config file's limits; SIGUSR1 logs the
/// statistics; SIGINT stops gracefully and kills what will not stop; SIGPIPE never kills.
@Suite(.serialized) struct LifecycleTests {
    @Test(arguments: [
        (["--max-clients", "-1"], "--max-clients must be 0 or more"),
        (["--flood-rate", "nan"], "--flood-rate must be a number, 0 or more"),
        (["--flood-rate", "inf"], "--flood-rate must be a number, 0 or more"),
        (["--history", "20000"], "--history must be between 0 and 10000"),
        (["--listen"], "Missing value for '--listen <HOST:PORT>'"),
        (["--frobnicate"], "Unknown option '--frobnicate'"),
        (["--hub-queue", "-1"], "queue sizes must be at least 4096 bytes"),
        (["--delivery-tick", "100001"], "--delivery-tick must be between 0 and 100000 microseconds"),
        (["--delivery-tick", "-5"], "--delivery-tick must be between 0 and 100000 microseconds"),
        (["--send-queue", "9223372036854775807"], "queue sizes must be at most 1073741824 bytes"),
        (["--flood-burst", "9223372036854775807"], "--flood-burst must be between 1 and 100000"),
        (["--flood-rate", "1e300"], "--flood-rate must be at most 1000000"),
        (["--name", ""], "--name must look like a host name"),
        (["--name", ":x"], "--name must look like a host name"),
        (["--name", "two words"], "--name must look like a host name"),
        (["--ping-timeout", "-3"], "timeouts must be positive"),
        (["--registration-timeout", "100000000000"], "at most 7 days"),
        (["--ping-timeout", "9223372036854775807"], "at most 7 days"),
        (["--log-level", "loud"], "Please provide one of the following: trace, debug, info, notice, warning, error, critical"),
        (["--listen", "nonsense"], "bad --listen address 'nonsense'"),
        (["--motd-file", "/nonexistent/motd"], "cannot read the MOTD file /nonexistent/motd"),
        (["--log-file", "/nonexistent/dir/log"], "cannot open the log file /nonexistent/dir/log"),
    ] as [([String], String)])
    func commandLineMistakesAreOneLine(arguments: [String], message: String) async throws {
        let r = try await runToExit(productPath("chat-server"), arguments + ["--control-socket", "none", "--no-console"])
        // 64 for a mistake in the options, 1 for what the server found wrong when starting.
        #expect(r.status == (message.hasPrefix("bad --listen") || message.hasPrefix("cannot") ? 1 : 64), "\(r.output)")
        #expect(r.output.hasPrefix("chat-server: error: "), "\(r.output)")
        #expect(r.output.contains(message), "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1, "one line, no usage block or backtrace: \(r.output)")
    }

    @Test func versionAndHelp() async throws {
        let version = try await runToExit(productPath("chat-server"), ["--version"])
        #expect(version.status == 0 && version.output == "0.1.0\n", "\(version.output)")
        let help = try await runToExit(productPath("chat-server"), ["--help"])
        #expect(help.status == 0)
        for option in ["--listen", "--max-clients", "--max-per-ip", "--history", "--flood-rate", "--flood-burst",
                       "--motd-file", "--config", "--control-socket", "--daemon", "--pidfile", "--log-file", "--log-level"] {
            #expect(help.output.contains(option), "\(option) missing from --help")
        }
        #expect(help.output.contains("default: 10000") && help.output.contains("default: 32"))
    }

    @Test func aBadConfigFileIsAStartupError() async throws {
        let dir = NSTemporaryDirectory() + "chat-config-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# limits\nmax-clients = 5\nmax-cleints = 6\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        let r = try await runToExit(productPath("chat-server"), ["--config", dir + "/chat.conf", "--listen", "127.0.0.1:0",
                                                           "--control-socket", "none", "--no-console"])
        #expect(r.status == 1)
        #expect(r.output == "chat-server: error: config file \(dir)/chat.conf, line 3: unknown setting 'max-cleints' (max-clients, max-per-ip, history, flood-rate, flood-burst, motd-file, oper, description, admin-location, admin-email, tls-cert, tls-key, state-dir, history-days, history-private, nick-grace)\n")
        try "flood-rate = -3\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        let negative = try await runToExit(productPath("chat-server"), ["--config", dir + "/chat.conf", "--listen", "127.0.0.1:0",
                                                                  "--control-socket", "none", "--no-console"])
        #expect(negative.output.contains("line 1: flood-rate must be a number, 0 or more"), "\(negative.output)")
    }

    @Test func sighupReloadsTheMOTDAndTheConfigFilesLimits() async throws {
        let dir = NSTemporaryDirectory() + "chat-reload-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let conf = dir + "/chat.conf", motd = dir + "/motd.txt"
        try "Welcome, version one\n".write(toFile: motd, atomically: true, encoding: .utf8)
        try "max-clients = 10\nmotd-file = \(motd)\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--config", conf, "--max-clients", "1"])
        // The file wins over the command line (max-clients 1): two people get in.
        let alice = try await humanUser(server, nick: "alice")
        let bob = try server.connect()
        try await bob.expect("nickname")
        try bob.line("bob")
        try await bob.expect("Welcome, version one")
        try await bob.expect("You joined #lobby")
        // Lower the limit and change the MOTD: SIGHUP.
        try "max-clients = 2\nmotd-file = \(motd)\n".write(toFile: conf, atomically: true, encoding: .utf8)
        try "Welcome, version two\n".write(toFile: motd, atomically: true, encoding: .utf8)
        kill(server.pid, SIGHUP)
        try await server.waitForLog("reload: max-clients 10 -> 2, new message of the day")
        let third = try server.connect()
        try await third.expect("Server is full (2 clients)")
        #expect(await third.expectClosed())
        bob.close()
        try await alice.expect("bob quit")
        // Bob's connection counts until his session has exited, a moment after his quit.
        var carol = try server.connect()
        var attempts = 1
        while try await carol.expectAny(["nickname", "Server is full"]).contains("Server is full") && attempts < 100 {
            await pause(.milliseconds(20))
            carol = try server.connect()
            attempts += 1
        }
        // A broken file on reload changes nothing.
        try "max-clients = lots\n".write(toFile: conf, atomically: true, encoding: .utf8)
        kill(server.pid, SIGHUP)
        try await server.waitForLog("reload failed, keeping the old settings: config file \(conf), line 1: max-clients takes a whole number, not 'lots'")
        try carol.line("carol")
        try await carol.expect("Welcome, version two")
        try await carol.expect("You joined #lobby")
        let fourth = try server.connect()
        try await fourth.expect("Server is full (2 clients)")
        // SIGUSR1: one statistics line.
        kill(server.pid, SIGUSR1)
        try await server.waitForLog("stats: uptime")
    }

    @Test func aMOTDReplacedByAFIFODoesNotBlockTheHub() async throws {
        let dir = NSTemporaryDirectory() + "chat-fifo-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try shareWithServerUser(dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let motd = dir + "/motd.txt"
        try "A plain file\n".write(toFile: motd, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--motd-file", motd])
        try FileManager.default.removeItem(atPath: motd)
        // Readable by the user the server runs as (it left root): the FIFO, not its mode, is the point.
        #expect(mkfifo(motd, 0o644) == 0)
        // Opening a FIFO for reading waits for a writer: the hub must not.
        kill(server.pid, SIGHUP)
        try await server.waitForLog("reload failed, keeping the old settings: cannot read the MOTD file \(motd): open(\(motd)): not a regular file")
        let alice = try await humanUser(server, nick: "alice")
        try alice.line("/motd")
        try await alice.expect("A plain file")
    }

    @Test func sigintStopsGracefullyAndKillsASessionThatWillNotStop() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (stuck, stuckPID) = try await newSession(server) { try await humanUser(server, nick: "stuck") }
        kill(stuckPID, SIGSTOP)
        kill(server.pid, SIGINT)
        try await alice.expect("shutting down")
        #expect(await alice.expectClosed())
        // The stopped session cannot say goodbye: the hub waits its grace period, then kills it.
        #expect(await server.waitForExit(timeout: 15) == 0)
        try await server.waitForLog("stopped")
        let state = (try? String(contentsOfFile: "/proc/\(stuckPID)/stat", encoding: .utf8)) ?? ""
        #expect(state.isEmpty || state.contains(") Z "), "the stopped session is gone: \(state)")
        withExtendedLifetime(stuck) {}
    }

    /// Ctrl-C on a terminal signals the whole foreground group: only the hub must act on it
    /// (the spawner and the sessions are in a group of their own and take its orders).
    @Test func sigintToTheWholeGroupIsAGracefulShutdown() async throws {
        let server = try await ServerProcess(["--no-console"], ownSession: true)
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        #expect(kill(-server.pid, SIGINT) == 0, "the server leads its process group")
        try await alice.expect("*** Server shutting down")
        try await bob.expect("ERROR :Closing Link: Server shutting down")
        #expect(await server.waitForExit() == 0)
        #expect(!server.log.contains("spawner"), "\(server.log)")
        #expect(!server.log.contains("error"), "\(server.log)")
    }

    @Test func aClientThatResetsMidStreamDoesNotKillItsSessionWithSIGPIPE() async throws {
        let server = try await ServerProcess(["--flood-rate", "0"])
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        let watcher = try await humanUser(server, nick: "watcher")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby", receiveBuffer: 4096)
        // Bob's session writes to a socket the peer has reset: EPIPE, never a signal.
        for i in 0..<300 { try alice.line("PRIVMSG #lobby :\(i) " + String(repeating: "x", count: 300)) }
        bob.reset()
        for i in 300..<600 { try alice.line("PRIVMSG #lobby :\(i) " + String(repeating: "x", count: 300)) }
        let quit = try await watcher.expect("bob quit")
        #expect(!quit.contains("SIGPIPE") && !quit.contains("crashed"), "\(quit)")
        #expect(!server.log.contains("SIGPIPE"), "\(server.log)")
    }

    @Test func zeroMeansNoLimit() async throws {
        let server = try await ServerProcess(["--max-clients", "0", "--max-per-ip", "0"])
        var users: [UserConnection] = []
        for i in 0..<40 { users.append(try await humanUser(server, nick: "user\(i)")) }
        try users[0].line("forty of us")
        try await users[39].expect("<user0> forty of us")
    }
}

@Suite(.serialized) struct ConfigFileTests {
    @Test func settingsOverTheCommandLineAndPathsFromTheFilesDirectory() throws {
        let dir = NSTemporaryDirectory() + "chat-conf-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            # every setting, with comments and blank lines
              max-clients=500   # at most
            max-per-ip = 8

            history = 0\r
            flood-rate = 2.5
            flood-burst = 4
            motd-file = motd.txt
            """.write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        var limits = Limits(maxClients: 10000, maxPerIP: 32, history: 50, floodRate: 5, floodBurst: 20, motdFile: "/etc/motd")
        try limits.apply(configFile: dir + "/chat.conf")
        #expect(limits == Limits(maxClients: 500, maxPerIP: 8, history: 0, floodRate: 2.5, floodBurst: 4, motdFile: dir + "/motd.txt"))
        // Each kind of mistake names its line.
        for (text, message) in [
            ("max-clients 5", "line 1: expected 'name = value', got 'max-clients 5'"),
            ("\nhistory = 20000", "line 2: history must be between 0 and 10000"),
            ("flood-rate = fast", "line 1: flood-rate takes a number, not 'fast'"),
            ("flood-burst = 0", "line 1: flood-burst must be between 1 and 100000"),
            ("flood-burst = 9223372036854775807", "line 1: flood-burst must be between 1 and 100000"),
            ("colour = blue", "line 1: unknown setting 'colour'"),
        ] {
            try text.write(toFile: dir + "/bad.conf", atomically: true, encoding: .utf8)
            var l = limits
            #expect(throws: StartupError.self) { try l.apply(configFile: dir + "/bad.conf") }
            do { try l.apply(configFile: dir + "/bad.conf") } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
