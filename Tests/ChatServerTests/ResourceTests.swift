import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Running out of processes, descriptors and patience: the server refuses or waits, and the
/// users already chatting do not notice.
@Suite(.serialized) struct ResourceTests {
    @Test func forkFailureRefusesTheConnectionWithAMessage() async throws {
        // RLIMIT_NPROC does not bind root, so as root the server runs as another user with a
        // limit of 5 processes: the hub, its password worker (always there, for accounts), its
        // session spawner and two sessions (the spawner forks each session as the hub's child,
        // with no process in between).
        guard Proc.isRoot else {
            Issue.record("needs root (CI runs as root): RLIMIT_NPROC cannot be tested precisely as an ordinary user")
            return
        }
        // RLIMIT_NPROC counts every process of the user, so a user of its own for this test.
        let user = "chatnproc"
        if getpwnam(user) == nil {
            let add = try await runToExit("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
            try #require(add.status == 0, "useradd \(user) failed")
        }
        // Leftovers of earlier runs (zombies nobody reaped) count too.
        let uid = getpwnam(user)!.pointee.pw_uid
        let existing = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).filter { entry in
            guard Int(entry) != nil, let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8)
            else { return false }
            return status.split(separator: "\n").contains { $0.hasPrefix("Uid:\t\(uid)\t") }
        }.count
        let limit = existing + 5
        let server = try await ServerProcess(["--user", user], limits: ["--nproc=\(limit):\(limit)"])
        let a = try await humanUser(server, nick: "a")
        let b = try await humanUser(server, nick: "b")
        let c = try server.connect()
        try await c.expect("cannot start a session right now")
        #expect(await c.expectClosed())
        try await server.waitForLog("fork for")
        try a.line("still fine")
        try await b.expect("<a> still fine")
        // Once a session has ended (and been reaped), a new one can start again.
        withExtendedLifetime(a) {}
        try b.line("/quit")
        #expect(await b.expectClosed())
        let deadline = Date().addingTimeInterval(10)
        var served = false
        while !served && Date() < deadline {
            let d = try server.connect()
            served = await d.waitFor("nickname", timeout: 2)
            if !served { await pause(.milliseconds(100)) }
        }
        #expect(served)
    }

    @Test func descriptorExhaustionBacksOffWithoutSpinning() async throws {
        // Room for the hub's own descriptors and a few sessions (one socket-pair end each).
        let server = try await ServerProcess([], limits: ["--nofile=24:24"])
        // Fill the descriptor table.
        var clients: [UserConnection] = []
        for _ in 0..<24 { clients.append(try server.connect()) }
        try await server.waitForLog("pausing accepts", timeout: 10)
        let before = server.hubCPUSeconds()
        await pause(.seconds(2))
        let used = server.hubCPUSeconds() - before
        #expect(used < 0.5, "the hub used \(used) s of CPU in 2 s while out of descriptors")
        // Free some: new connections are served again.
        clients.removeAll()
        let deadline = Date().addingTimeInterval(10)
        var served = false
        while !served && Date() < deadline {
            let c = try server.connect()
            if await c.waitFor("nickname", timeout: 2) { served = true } else { await pause(.milliseconds(200)) }
        }
        #expect(served)
    }

    @Test func aConnectFloodDoesNotStopEstablishedUsers() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        // 5,000 connections that say nothing: the first 32 from this address get sessions,
        // the rest are refused at once.
        var flood: [Int32] = []
        defer { for fd in flood { FD.close(fd) } }
        let address = SocketAddress.parse(numeric: "127.0.0.1:\(server.port)")!
        for i in 0..<5000 {
            guard let fd = try? Socket.connect([address]) else { continue }
            flood.append(fd)
            if i % 1000 == 999 {
                try alice.line("during the flood \(i)")
                try await bob.expect("during the flood \(i)", timeout: 20)
            }
        }
        #expect(flood.count > 4000, "only \(flood.count) connections were made")
        try bob.line("PRIVMSG #lobby :after the flood")
        try await alice.expect("<bob> after the flood", timeout: 20)
        #expect(server.process.isRunning)
    }

    @Test func aBurstLargerThanTheSpawnersQueueIsServedInFull() async throws {
        // The spawner's channel buffers a few hundred requests; 800 connections waiting at once
        // (made while the hub is stopped) make the hub keep the rest and stop accepting until
        // the spawner catches up. Nobody is lost.
        let server = try await ServerProcess(["--max-per-ip", "0", "--log-level", "debug"])
        kill(server.pid, SIGSTOP)
        var clients: [UserConnection] = []
        for _ in 0..<800 { clients.append(try UserConnection(port: server.port)) }
        kill(server.pid, SIGCONT)
        try await server.waitForLog("spawner behind")
        var greeted = 0
        for c in clients where await c.waitFor("nickname", timeout: 30) { greeted += 1 }
        #expect(greeted == 800)
        #expect(!server.log.contains("spawner unavailable"))
        let last = clients[799]
        try last.line("last")
        try await last.expect("You joined #lobby")
    }
}
