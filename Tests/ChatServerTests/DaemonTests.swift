import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `--daemon`: the command returns once the daemon is ready (or fails, saying why), and the
/// daemon is a server like any other: it handles its signals, reaps its sessions, reloads,
/// rotates its log and stops cleanly.
@Suite(.serialized) struct DaemonTests {
    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "chat-daemon-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try shareWithServerUser(dir)
        return dir
    }

    private func waitFor(_ text: String, inFile path: String, timeout: Double = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let content = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if content.contains(text) { return content }
            if Date() > deadline {
                Issue.record("expected '\(text)' in \(path), got:\n\(content)")
                throw TestFailure("expected '\(text)'")
            }
            await pause(.milliseconds(20))
        }
    }

    @Test func aDaemonHandlesItsSignalsAndStopsCleanly() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/server.log", pidfile = dir + "/server.pid", motd = dir + "/motd.txt"
        try "The first message of the day\n".write(toFile: motd, atomically: true, encoding: .utf8)
        let start = try await runToExit(productPath("chat-server"), [
            "--daemon", "--log-file", log, "--pidfile", pidfile, "--motd-file", motd, "--listen", "127.0.0.1:0",
            "--name", "test.server", "--control-socket", dir + "/control.sock",
        ])
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output.isEmpty, "\(start.output)")
        // The command returned once the daemon was ready: its pidfile and its port are there.
        let pidText = try String(contentsOfFile: pidfile, encoding: .utf8)
        let pid = try #require(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        let logged = try await waitFor("listening on 127.0.0.1:", inFile: log)
        let portText = try #require(logged.components(separatedBy: "listening on 127.0.0.1:").last?.prefix { $0.isNumber })
        let port = try #require(Int(portText))
        let stat = try #require(ProcessStat(pid: pid))
        #expect(stat.session != getsid(0), "a session of its own, away from the terminal")
        #expect(stat.parent != getpid(), "adopted: the process that started it has exited")

        let alice = try UserConnection(port: port)
        try await alice.expect("nickname")
        try alice.line("alice")
        try await alice.expect("The first message of the day")
        try await alice.expect("You joined #lobby")
        // A session killed is reaped and announced as killed (SIGCHLD reaches the daemon).
        let sessions = Set(((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? "")
            .split(separator: " ").compactMap { pid_t($0) })
        let bob = try UserConnection(port: port)
        try await bob.expect("nickname")
        try bob.line("bob")
        try await bob.expect("You joined #lobby")
        let now = Set(((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? "")
            .split(separator: " ").compactMap { pid_t($0) })
        let bobPID = try #require(now.subtracting(sessions).first)
        kill(bobPID, SIGKILL)
        try await alice.expect("bob quit (Session killed)")
        // SIGUSR1: a statistics line. SIGHUP: a new MOTD, and the log reopened after a rotation.
        kill(pid, SIGUSR1)
        _ = try await waitFor("stats: uptime", inFile: log)
        try "The second message of the day\n".write(toFile: motd, atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        kill(pid, SIGHUP)
        _ = try await waitFor("reopened the log", inFile: log)
        let carol = try UserConnection(port: port)
        try await carol.expect("nickname")
        try carol.line("carol")
        try await carol.expect("The second message of the day")
        // A reload that fails (the MOTD has gone) still reopens the log, and keeps the old MOTD.
        try FileManager.default.removeItem(atPath: motd)
        try FileManager.default.moveItem(atPath: log, toPath: log + ".2")
        kill(pid, SIGHUP)
        _ = try await waitFor("reload failed, keeping the old settings: cannot read the MOTD file", inFile: log)
        // SIGTERM: everyone is told, the daemon exits and removes its pidfile.
        kill(pid, SIGTERM)
        try await alice.expect("shutting down")
        #expect(await alice.expectClosed())
        _ = try await waitFor("stopped", inFile: log)
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0 && ProcessStat(pid: pid).map({ !$0.isZombie }) == true && Date() < deadline { await pause(.milliseconds(20)) }
        #expect(!FileManager.default.fileExists(atPath: pidfile))
        #expect(!FileManager.default.fileExists(atPath: dir + "/control.sock"))
        withExtendedLifetime(carol) {}
    }

    @Test func aDaemonThatCannotStartSaysWhyAndFails() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The pidfile is written after the daemon detached: its failure still reaches the
        // terminal, with a non-zero status, and leaves no control socket behind.
        let r = try await runToExit(productPath("chat-server"), [
            "--daemon", "--log-file", dir + "/server.log", "--pidfile", dir + "/missing/server.pid",
            "--listen", "127.0.0.1:0", "--control-socket", dir + "/control.sock",
        ])
        #expect(r.status == 1)
        #expect(r.output.hasPrefix("chat-server: error: cannot write the pidfile"), "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1, "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/control.sock"))
        #expect(try String(contentsOfFile: dir + "/server.log", encoding: .utf8).contains("cannot write the pidfile"))
    }
}
