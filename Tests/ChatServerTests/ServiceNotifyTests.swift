@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// systemd's notifications (`sd_notify`), from the real server to a socket standing in for
/// systemd: ready once it accepts, a status line, reloading and ready again on SIGHUP, stopping
/// on SIGTERM, the watchdog's pings; and a bad `NOTIFY_SOCKET` breaks nothing.
@Suite(.serialized) struct ServiceNotifyTests {
    @Test func readyStatusReloadAndStopArriveInOrder() async throws {
        let systemd = try NotifySocket()
        let server = try await ServerProcess(environment: ["NOTIFY_SOCKET": systemd.path])
        let ready = try await systemd.waitFor("READY=1")
        // READY=1 comes once the port accepts.
        let early = try server.connect()
        early.close()
        #expect(systemd.fields(of: ready).contains("STATUS=0 users, 0 channels, 0 connections"), "\(systemd.messages)")
        #expect(!systemd.fields(of: ready).contains("WATCHDOG=1"), "no watchdog asked for: \(systemd.messages)")

        let alice = try await humanUser(server, nick: "alice")
        try await systemd.waitFor("STATUS=1 user, 1 channel, 1 connection", after: ready)

        kill(server.pid, SIGHUP)
        let (reloading, monotonic) = try await systemd.waitForLine(startingWith: "MONOTONIC_USEC=", after: ready)
        #expect(systemd.fields(of: reloading).contains("RELOADING=1"), "\(systemd.messages)")
        #expect(UInt64(monotonic.dropFirst("MONOTONIC_USEC=".count)) != nil, "\(monotonic)")
        let readyAgain = try await systemd.waitFor("READY=1", after: reloading + 1)
        #expect(systemd.fields(of: readyAgain).contains("STATUS=1 user, 1 channel, 1 connection"), "\(systemd.messages)")

        kill(server.pid, SIGTERM)
        let stopping = try await systemd.waitFor("STOPPING=1", after: readyAgain + 1)
        #expect(await server.waitForExit(timeout: 20) == 0)
        systemd.drain()
        // Nothing claims a status after STOPPING=1.
        #expect(systemd.messages[(stopping + 1)...].allSatisfy { !$0.contains("STATUS=") }, "\(systemd.messages)")
        #expect(!server.log.contains("cannot notify"), "\(server.log)")
        alice.close()
    }

    @Test func aFailedReloadSaysWhyInItsStatus() async throws {
        let systemd = try NotifySocket()
        let conf = systemd.dir + "/chat.conf"
        try "history = 10\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--config", conf], environment: ["NOTIFY_SOCKET": systemd.path])
        let ready = try await systemd.waitFor("READY=1")
        try "history = lots\n".write(toFile: conf, atomically: true, encoding: .utf8)
        kill(server.pid, SIGHUP)
        let reloading = try await systemd.waitFor("RELOADING=1", after: ready + 1)
        let readyAgain = try await systemd.waitFor("READY=1", after: reloading + 1)
        let status = systemd.fields(of: readyAgain).first { $0.hasPrefix("STATUS=") } ?? ""
        #expect(status.hasPrefix("STATUS=reload failed, the old settings stay: config file \(conf), line 1: history"), "\(status)")
        #expect(status.hasSuffix("0 users, 0 channels, 0 connections"), "\(status)")
        await server.stop()
    }

    @Test func theWatchdogIsPingedFromTheLoop() async throws {
        let systemd = try NotifySocket()
        // 400 ms: a ping every 200 ms.
        let server = try await ServerProcess(environment: ["NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "400000"])
        let ready = try await systemd.waitFor("READY=1")
        #expect(systemd.fields(of: ready).contains("WATCHDOG=1"), "\(systemd.messages)")
        var last = ready
        for _ in 0..<3 { last = try await systemd.waitFor("WATCHDOG=1", after: last + 1) }
        await server.stop()
    }

    @Test func aWatchdogForAnotherProcessIsNotPinged() async throws {
        let systemd = try NotifySocket()
        let server = try await ServerProcess(environment: ["NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "400000",
                                                          "WATCHDOG_PID": "1"])
        let ready = try await systemd.waitFor("READY=1")
        #expect(!systemd.fields(of: ready).contains("WATCHDOG=1"), "\(systemd.messages)")
        await server.stop()
        systemd.drain()
        #expect(!systemd.messages.contains { $0.contains("WATCHDOG=1") }, "\(systemd.messages)")
    }

    @Test func withoutNotifySocketNothingIsTried() async throws {
        // A watchdog's variables alone ask for nothing: there is nowhere to send to.
        let server = try await ServerProcess(environment: ["WATCHDOG_USEC": "400000"])
        let alice = try await humanUser(server, nick: "alice")
        kill(server.pid, SIGHUP)
        try await server.waitForLog("reload:")
        await server.stop()
        #expect(!server.log.contains("service manager"), "\(server.log)")
        alice.close()
    }

    @Test(arguments: ["/nonexistent-dir/notify.sock", "/" + String(repeating: "x", count: 200), "@chat-test-nobody-listens",
                      "relative/notify.sock"])
    func aBadNotifySocketBreaksNothing(_ socket: String) async throws {
        let server = try await ServerProcess(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "400000"])
        try await server.waitForLog("cannot notify the service manager")
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try alice.line("still here")
        try await bob.expect("<alice> still here")
        kill(server.pid, SIGHUP)
        try await server.waitForLog("reload:")
        try alice.line("after the reload")
        try await bob.expect("<alice> after the reload")
        kill(server.pid, SIGTERM)
        #expect(await server.waitForExit(timeout: 20) == 0)
        // Said once, not at every ping.
        #expect(server.log.components(separatedBy: "cannot notify the service manager").count == 2, "\(server.log)")
        alice.close()
        bob.close()
    }
}
