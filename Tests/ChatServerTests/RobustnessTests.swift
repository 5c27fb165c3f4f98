import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The pid that appeared among the hub's children while `body` ran.
func newSession(_ server: ServerProcess, _ body: () async throws -> UserConnection) async throws -> (UserConnection, pid_t) {
    let before = Set(server.sessionPIDs())
    let c = try await body()
    // Sessions only: a helper process (the password worker, exec'd at start) may appear too.
    let added = Set(server.sessionPIDs()).subtracting(before).filter { Proc.name(of: $0) == "chat-session" }
    guard added.count == 1, let pid = added.first else { throw TestFailure("could not tell the new session's pid: \(added)") }
    return (c, pid)
}

@Suite(.serialized) struct ProcessModelTests {
    @Test func hubAndSessionsAreSingleThreaded() async throws {
        let server = try await ServerProcess()
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        #expect(Proc.threadCount(of: server.pid) == 1)
        #expect(Proc.threadCount(of: pid) == 1)
    }

    @Test func sessionsKeepOnlyTheirOwnDescriptors() async throws {
        let server = try await ServerProcess()
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap(Int.init).sorted()
        // The client's socket, the channel to the hub (a socket pair), signalfd, epoll; not the
        // server's stderr (closed once the sandbox is up).
        #expect(fds == [3, 4, 5, 6], "session descriptors: \(fds)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/3").hasPrefix("socket:"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/4").hasPrefix("socket:"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/5").contains("signalfd"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/6").contains("eventpoll"))
    }

    @Test func killingOneSessionLeavesTheOthersChattingAndAnnouncesTheQuit() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (bob, bobPID) = try await newSession(server) { try await humanUser(server, nick: "bob") }
        let carol = try await ircUser(server, nick: "carol", join: "#lobby")
        try await alice.expect("carol joined")
        kill(bobPID, SIGKILL)
        try await alice.expect("bob quit")
        try await carol.expect(":bob!bob@127.0.0.1 QUIT :Session killed")
        #expect(await bob.expectClosed())
        try alice.line("still here")
        try await carol.expect("PRIVMSG #lobby :still here")
        // The nick is free again.
        let bob2 = try await humanUser(server, nick: "bob")
        withExtendedLifetime(bob2) {}
    }

    @Test func aCrashingSessionIsAnnouncedAsACrash() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (bob, bobPID) = try await newSession(server) { try await humanUser(server, nick: "bob") }
        defer { withExtendedLifetime(bob) {} }
        try await alice.expect("bob joined")
        kill(bobPID, SIGSEGV)
        try await alice.expect("bob quit (Session crashed (SIGSEGV))", timeout: 20)
        try await server.waitForLog("died: signal 11")
    }

    @Test func sessionsAreForkedByASpawnerAndAdoptedByTheHub() async throws {
        let server = try await ServerProcess()
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        // The session is the hub's child (adopted), the spawner is the hub's other child.
        #expect(Proc.parentPID(of: pid) == server.pid)
        let spawners = server.sessionPIDs().filter { Proc.name(of: $0) == "chat-spawner" }
        try #require(spawners.count == 1, "children: \(server.sessionPIDs().map { Proc.name(of: $0) ?? "?" })")
        // A fresh start of the program (not a copy of the hub), told its hub.
        let cmdline = try FD.readFile("/proc/\(spawners[0])/cmdline").split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        #expect(Array(cmdline.dropFirst()) == ["--session-spawner", String(server.pid)])
        #expect(!server.log.contains("could not restart itself"))
        // Sessions run one step nicer than the hub, which is on every line's path.
        errno = 0
        let hubNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(server.pid))
        #expect(errno == 0 && getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid)) == min(19, hubNice + 1))
        // A spawner that dies is replaced; the people already here notice nothing.
        kill(spawners[0], SIGKILL)
        try await server.waitForLog("session spawner")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        try bob.line("still here")
        try await alice.expect("<bob> still here")
        let after = server.sessionPIDs().filter { Proc.name(of: $0) == "chat-spawner" }
        #expect(after.count == 1 && after != spawners)
    }

    @Test func aCorruptFrameEndsOnlyThatSession() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (bob, bobPID) = try await newSession(server) { try await humanUser(server, nick: "bob") }
        defer { withExtendedLifetime(bob) {} }
        try await alice.expect("bob joined")
        // Write garbage into bob's channel to the hub, as a buggy or compromised session would.
        let fd = try Proc.copyDescriptor(of: bobPID, 4)
        var junk: [UInt8] = Array(repeating: 0x41, count: 64)
        _ = write(fd, &junk, junk.count)
        close(fd)
        try await alice.expect("bob quit")
        try await server.waitForLog("corrupt frame")
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined")
        try carol.line("hello")
        try await alice.expect("<carol> hello")
    }

    @Test func gracefulShutdownOnSIGTERM() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let irc = try await ircUser(server, nick: "bob")
        kill(server.pid, SIGTERM)
        try await alice.expect("shutting down")
        try await irc.expect("ERROR :Closing Link")
        #expect(await alice.expectClosed())
        #expect(await irc.expectClosed())
        #expect(await server.waitForExit() == 0)
        #expect(server.log.contains("stopped"))
    }

    @Test func whenTheHubDiesEveryUserHearsItOnce() async throws {
        let server = try await ServerProcess()
        var humans: [UserConnection] = [], ircs: [UserConnection] = []
        for i in 0..<6 { humans.append(try await humanUser(server, nick: "h\(i)")) }
        for i in 0..<2 { ircs.append(try await ircUser(server, nick: "i\(i)", join: "#lobby")) }
        try await humans[0].expect("i1 joined")
        for c in humans + ircs { await c.drain() }
        kill(server.pid, SIGKILL)
        for c in humans + ircs {
            #expect(await c.expectClosed(timeout: 3))
            let farewells = c.text.components(separatedBy: "the server went away").count - 1
            #expect(farewells == 1, "\(c.text)")
            #expect(!c.text.contains("shutting down"), "\(c.text)")
        }
    }

    @Test func whenTheHubDiesEverySessionTellsItsUserAndExits() async throws {
        let server = try await ServerProcess()
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        kill(server.pid, SIGKILL)
        let said = try await alice.expect("Disconnected", timeout: 3)
        #expect(await alice.expectClosed(timeout: 3))
        // One farewell, the right one: not also "shutting down" (the hub did not shut down).
        #expect(said.contains("*** Disconnected: the server went away. Sorry!"), "\(said)")
        #expect(!(said + alice.text).contains("shutting down"), "\(said + alice.text)")
        // The session process is gone (or a zombie waiting for a reaper, never running).
        let deadline = Date().addingTimeInterval(3)
        var state = ""
        while Date() < deadline {
            state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if state.isEmpty || state.contains(") Z ") { break }
            await pause(.milliseconds(50))
        }
        #expect(state.isEmpty || state.contains(") Z "), "session still running: \(state)")
    }

    /// A hub that dies with events in flight (a burst, a flood; a crash mid-turn) is still a
    /// hub that went away, not a shutdown: the session reads all it left before it decides.
    @Test func whenTheHubDiesMidBurstNoOneIsToldItIsShuttingDown() async throws {
        let server = try await ServerProcess()
        let (alice, alicePID) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        let (mallory, malloryPID) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        defer { withExtendedLifetime(mallory) {} }
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try await alice.expect("bob joined")
        // Alice's session holds still while more than one read of events waits for it.
        kill(alicePID, SIGSTOP)
        var frames: [UInt8] = []
        for i in 0..<32 {
            HubRequest.message(kind: .privmsg, target: "#lobby", text: "\(i) " + String(repeating: "x", count: 2000)).appendFrame(to: &frames)
        }
        HubRequest.message(kind: .privmsg, target: "#lobby", text: "last").appendFrame(to: &frames)
        try writeFrames(frames, into: malloryPID)
        try await bob.expect("PRIVMSG #lobby :last")
        kill(server.pid, SIGKILL)
        _ = await server.waitForExit()
        kill(alicePID, SIGCONT)
        #expect(await alice.expectClosed(timeout: 5))
        let said = alice.text, last = String(said.suffix(200))
        #expect(said.contains("*** Disconnected: the server went away. Sorry!"), "\(last)")
        #expect(!said.contains("shutting down"), "\(last)")
    }

    @Test func theSpawnersArgumentTypedByHandIsRefused() async throws {
        let r = try await runToExit(productPath("chat-server"), ["--session-spawner", "1"])
        #expect(r.status == 64)
        #expect(r.output.contains("is for chat-server's own use"))
    }

    @Test func thePasswordWorkersArgumentTypedByHandIsRefused() async throws {
        for arguments in [["--password-worker", "1"], ["--password-worker"], ["--password-worker", "x", "y"]] {
            let r = try await runToExit(productPath("chat-server"), arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.output == "chat-server: --password-worker is for chat-server's own use (it starts the process that checks passwords)\n")
        }
    }

    @Test func startupErrorsAreOneClearLine() async throws {
        let first = try await ServerProcess()
        let r = try await runToExit(productPath("chat-server"), ["--listen", "127.0.0.1:\(first.port)"])
        #expect(r.status != 0)
        #expect(r.output.contains("already in use"))
        #expect(r.output.split(separator: "\n").count == 1, "one line, no backtrace: \(r.output)")
    }
}

@Suite(.serialized) struct LimitTests {
    @Test func maxClientsRefusesWithAMessage() async throws {
        let server = try await ServerProcess(["--max-clients", "2"])
        let a = try await humanUser(server, nick: "a")
        let b = try await humanUser(server, nick: "b")
        let c = try server.connect()
        try await c.expect("Server is full")
        #expect(await c.expectClosed())
        withExtendedLifetime((a, b)) {}
    }

    @Test func maxPerIPRefusesWithAMessage() async throws {
        let server = try await ServerProcess(["--max-per-ip", "1"])
        let a = try await humanUser(server, nick: "a")
        let c = try server.connect()
        try await c.expect("Too many connections")
        #expect(await c.expectClosed())
        withExtendedLifetime(a) {}
    }

    @Test func registrationTimeoutDropsSilentConnections() async throws {
        let server = try await ServerProcess(["--registration-timeout", "1"])
        let c = try server.connect()
        try await c.expect("nickname")
        try await c.expect("in time", timeout: 5)
        #expect(await c.expectClosed())
    }

    @Test func pingTimeoutDropsDeadIRCPeers() async throws {
        let server = try await ServerProcess(["--ping-interval", "1", "--ping-timeout", "2"])
        let a = try await ircUser(server, nick: "alice")
        try await a.expect("PING", timeout: 5)
        try await a.expect("Ping timeout", timeout: 5)
        #expect(await a.expectClosed())
    }

    @Test func floodIsDelayedThenAbuseDisconnects() async throws {
        let server = try await ServerProcess(["--flood-rate", "10", "--flood-burst", "2"])
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        // Ten lines at once: all arrive, in order, some of them delayed.
        try alice.send((1...10).map { "line \($0)\r\n" }.joined())
        for i in 1...10 { try await bob.expect("<alice> line \(i)") }
        // Sustained abuse: disconnected with a reason, and bob is told.
        try alice.send((1...2000).map { "spam \($0)\r\n" }.joined())
        try await alice.expect("excess flood")
        try await bob.expect("alice quit (Excess flood)")
    }

    @Test func aClientThatNeverReadsIsDroppedWithoutSlowingOthers() async throws {
        let server = try await ServerProcess(["--flood-rate", "0", "--send-queue", "524288"])
        let sender = try await ircUser(server, nick: "sender", join: "#lobby")
        let reader = try await ircUser(server, nick: "reader", join: "#lobby")
        let stuck = try await ircUser(server, nick: "stuck", join: "#lobby", receiveBuffer: 4096)
        // From now on `stuck` reads nothing.
        let text = String(repeating: "x", count: 400)
        var received = 0
        var seen = ""
        for i in 0..<4000 {
            try sender.line("PRIVMSG #lobby :\(i) \(text)")
            if i % 200 == 199 {
                // The reader keeps up all along.
                seen += try await reader.expect("PRIVMSG #lobby :\(i) ")
                received = i
            }
        }
        #expect(received == 3999)
        if !seen.contains(":stuck!stuck@127.0.0.1 QUIT :Send queue exceeded") {
            try await reader.expect(":stuck!stuck@127.0.0.1 QUIT :Send queue exceeded", timeout: 10)
        }
        withExtendedLifetime(stuck) {}
    }
}

/// Sessions that stop reading the hub (their process is stopped, so the pipe fills) are
/// ended once the hub holds `--hub-queue` bytes for them; the hub's memory stays bounded,
/// and the quits it then sends reach everyone else intact, in the same loop turn as the
/// channel traffic that overflowed the queue.
@Suite(.serialized) struct HubQueueTests {
    @Test func sessionsThatStopReadingTheHubAreEndedAndNobodyElseNotices() async throws {
        let server = try await ServerProcess(["--hub-queue", "4096", "--flood-rate", "0", "--max-per-ip", "0"])
        let sender = try await humanUser(server, nick: "sender")
        let reader = try await humanUser(server, nick: "reader")
        let watcher = try await ircUser(server, nick: "watcher", join: "#lobby")
        var frozen: [(UserConnection, pid_t)] = []
        for i in 0..<4 { frozen.append(try await newSession(server) { try await humanUser(server, nick: "frozen\(i)") }) }
        try await watcher.expect(":frozen3!")
        for (_, pid) in frozen { kill(pid, SIGSTOP) }
        defer { for (_, pid) in frozen { kill(pid, SIGCONT) } }
        // One line per hub turn (the next is sent once the watcher has it), so each stopped
        // session's backlog grows a frame at a time until it passes 4 KiB: that is where the
        // hub must end it, however slowly the backlog grows. Ending them mid-flush sends their
        // quits to members already flushed in that turn: those must be flushed again before
        // the turn's frames are dropped (lines of varying length make a stale reference more
        // likely to show as garbage).
        var count = 0
        var watcherSaw = ""
        while count < 5000 && watcherSaw.components(separatedBy: "QUIT :Send queue exceeded").count - 1 < 4 {
            try sender.line("\(count) " + String(repeating: "z", count: 50 + count * 37 % 400))
            watcherSaw += try await watcher.expect("PRIVMSG #lobby :\(count) ")
            while await reader.fill(timeout: 0) {}
            count += 1
        }
        let readerSaw = try await reader.expect("<sender> \(count - 1) ")
        // Every line arrived at both, once, in order.
        func numbers(_ text: String, after marker: String) -> [Int] {
            text.split(whereSeparator: \.isNewline).compactMap { line in
                guard let r = line.range(of: marker) else { return nil }
                return Int(line[r.upperBound...].prefix { $0 != " " })
            }
        }
        let toReader = numbers(readerSaw, after: "<sender> "), toWatcher = numbers(watcherSaw, after: "PRIVMSG #lobby :")
        #expect(toReader == Array(0..<count), "\(toReader.count) lines; first wrong at \(toReader.indices.first { toReader[$0] != $0 } ?? -1)")
        #expect(toWatcher == Array(0..<count), "\(toWatcher.count) lines; first wrong at \(toWatcher.indices.first { toWatcher[$0] != $0 } ?? -1)")
        // The four were ended, and everyone else heard it.
        for i in 0..<4 {
            let human = "-- frozen\(i) quit (Send queue exceeded)"
            if !readerSaw.contains(human) { try await reader.expect(human) }
            let irc = ":frozen\(i)!frozen\(i)@127.0.0.1 QUIT :Send queue exceeded"
            if !watcherSaw.contains(irc) { try await watcher.expect(irc) }
        }
        try await server.waitForLog("bytes behind; ending it")
        // Nobody else was dropped: the room still talks.
        try sender.line("after the storm")
        try await reader.expect("<sender> after the storm")
        try await watcher.expect("PRIVMSG #lobby :after the storm")
        #expect(!reader.closed && !watcher.closed && !sender.closed)
    }
}

@Suite(.serialized) struct BadInputTests {
    @Test func randomBinaryBytesHurtNobody() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let noise = try server.connect()
            try noise.send(bytes: (0..<65536).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try bob.line("PRIVMSG #lobby :after the noise")
        try await alice.expect("<bob> after the noise")
        #expect(server.process.isRunning)
    }

    @Test func everySendersLinesArriveInOrderExactlyOnce() async throws {
        let server = try await ServerProcess(["--flood-rate", "0"])
        var senders: [UserConnection] = [], receivers: [UserConnection] = []
        for i in 0..<3 { senders.append(try await ircUser(server, nick: "s\(i)", join: "#order")) }
        for i in 0..<2 { receivers.append(try await ircUser(server, nick: "r\(i)", join: "#order")) }
        let n = 300
        for i in 0..<n {
            for (k, s) in senders.enumerated() { try s.line("PRIVMSG #order :seq \(k) \(i)") }
        }
        // Each receiver sees each sender's lines in order, all of them, once.
        for r in receivers {
            var next = [0, 0, 0]
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while next != [n, n, n] && Date() < deadline {
                guard let t = try? await r.expect("PRIVMSG #order :seq ") else {
                    Issue.record("stopped at \(next)")
                    return
                }
                text = t
                let parts = text.split(separator: " ")
                guard parts.count >= 2, let k = Int(parts[parts.count - 2]),
                      let i = Int(parts[parts.count - 1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    Issue.record("unparsed: \(text.debugDescription)")
                    return
                }
                #expect(i == next[k], "sender \(k): expected \(next[k]), got \(i)")
                if i != next[k] { return }
                next[k] = i + 1
            }
            #expect(next == [n, n, n])
        }
    }
}
