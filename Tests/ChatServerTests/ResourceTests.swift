import ChatPOSIX
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Running out of processes, descriptors and patience: the server refuses or waits, and the
/// users already chatting do not notice.
@Suite struct ResourceTests {
    @Test func forkFailureRefusesTheConnectionWithAMessage() throws {
        // RLIMIT_NPROC does not bind root, so as root the server runs as another user with a
        // limit of 5 processes: the hub, its session spawner, two sessions, and the short-lived
        // process through which the spawner forks each session.
        guard Proc.isRoot else {
            Issue.record("needs root (CI runs as root): RLIMIT_NPROC cannot be tested precisely as an ordinary user")
            return
        }
        // RLIMIT_NPROC counts every process of the user, so a user of its own for this test.
        let user = "chatnproc"
        if getpwnam(user) == nil {
            let add = Process()
            add.executableURL = URL(fileURLWithPath: "/usr/sbin/useradd")
            add.arguments = ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user]
            try add.run()
            add.waitUntilExit()
            try #require(add.terminationStatus == 0, "useradd \(user) failed")
        }
        // Leftovers of earlier runs (zombies nobody reaped) count too.
        let uid = getpwnam(user)!.pointee.pw_uid
        let existing = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).filter { entry in
            guard Int(entry) != nil, let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8)
            else { return false }
            return status.split(separator: "\n").contains { $0.hasPrefix("Uid:\t\(uid)\t") }
        }.count
        let limit = existing + 5
        let server = try ServerProcess(["--user", user], limits: ["--nproc=\(limit):\(limit)"])
        let a = try humanUser(server, nick: "a")
        let b = try humanUser(server, nick: "b")
        let c = try server.connect()
        try c.expect("cannot start a session right now")
        #expect(c.expectClosed())
        try server.waitForLog("fork for")
        try a.line("still fine")
        try b.expect("<a> still fine")
        // Once a session has ended (and been reaped), a new one can start again.
        withExtendedLifetime(a) {}
        try b.line("/quit")
        #expect(b.expectClosed())
        let deadline = Date().addingTimeInterval(10)
        var served = false
        while !served && Date() < deadline {
            let d = try server.connect()
            served = d.waitFor("nickname", timeout: 2)
            if !served { usleep(100_000) }
        }
        #expect(served)
    }

    @Test func descriptorExhaustionBacksOffWithoutSpinning() throws {
        // Room for the hub's own descriptors and a few sessions (one socket-pair end each).
        let server = try ServerProcess([], limits: ["--nofile=24:24"])
        // Fill the descriptor table.
        var clients: [TestClient] = []
        for _ in 0..<24 { clients.append(try server.connect()) }
        try server.waitForLog("pausing accepts", timeout: 10)
        let before = server.hubCPUSeconds()
        usleep(2_000_000)
        let used = server.hubCPUSeconds() - before
        #expect(used < 0.5, "the hub used \(used) s of CPU in 2 s while out of descriptors")
        // Free some: new connections are served again.
        clients.removeAll()
        let deadline = Date().addingTimeInterval(10)
        var served = false
        while !served && Date() < deadline {
            let c = try server.connect()
            if c.waitFor("nickname", timeout: 2) { served = true } else { usleep(200_000) }
        }
        #expect(served)
    }

    @Test func aConnectFloodDoesNotStopEstablishedUsers() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try ircUser(server, nick: "bob", join: "#lobby")
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
                try bob.expect("during the flood \(i)", timeout: 20)
            }
        }
        #expect(flood.count > 4000, "only \(flood.count) connections were made")
        try bob.line("PRIVMSG #lobby :after the flood")
        try alice.expect("<bob> after the flood", timeout: 20)
        #expect(server.process.isRunning)
    }

    @Test func aBurstLargerThanTheSpawnersQueueIsServedInFull() throws {
        // The spawner's channel buffers a few hundred requests; 800 connections waiting at once
        // (made while the hub is stopped) make the hub keep the rest and stop accepting until
        // the spawner catches up. Nobody is lost.
        let server = try ServerProcess(["--max-per-ip", "0", "--log-level", "debug"])
        kill(server.pid, SIGSTOP)
        var clients: [TestClient] = []
        for _ in 0..<800 { clients.append(try TestClient(port: server.port)) }
        kill(server.pid, SIGCONT)
        try server.waitForLog("spawner behind")
        var greeted = 0
        for c in clients where c.waitFor("nickname", timeout: 30) { greeted += 1 }
        #expect(greeted == 800)
        #expect(!server.log.contains("spawner unavailable"))
        let last = clients[799]
        try last.line("last")
        try last.expect("You joined #lobby")
    }
}
