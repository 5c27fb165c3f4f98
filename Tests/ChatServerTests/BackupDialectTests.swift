import ChatPOSIX
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The console's `backup` on the real server, through its control socket: a copy made while
/// lines are being said passes `integrity_check`, holds every line said before it was asked
/// for, and a fresh server started on it serves them; the console's next command waits for
/// the answer; bad paths get a clear error; without `--state-dir` there is nothing to copy.
@Suite(.serialized) struct BackupDialectTests {
    @Test func aBackupWhileLinesAreSentIsWholeAndAFreshServerOpensIt() async throws {
        let parent = try AccountDialectTests.stateParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let state = parent + "/state", copyDir = parent + "/copy"
        // A database of some megabytes, so that the copy takes many turns of the hub's loop.
        do {
            let store = try StateStore(directory: state)
            for i in 0..<20_000 {
                store.append(StoredLine(source: "old!o@h", kind: .privmsg, target: "#c", text: "old \(i) " + String(repeating: "x", count: 200),
                                        time: Proc.wallMillis() - 60_000, id: UInt64(1000 + i), tags: ""),
                             channel: "#c", retention: 86_400_000)
            }
            store.commitTurn()
        }
        try FileManager.default.createDirectory(atPath: copyDir, withIntermediateDirectories: true)
        for path in [state, state + "/state.db", copyDir] { try shareWithServerUser(path) }

        let server = try await ServerProcess(["--state-dir", state, "--history", "3", "--log-level", "info"])
        let alice = try await ircUser(server, nick: "alice", join: "#c")
        let bob = try await ircUser(server, nick: "bob", join: "#c")
        for i in 0..<5 {
            try alice.line("PRIVMSG #c :before \(i)")
            try await bob.expect("before \(i)\r\n")
        }
        let console = try await ControlClient(server)
        // The backup and a command after it in one write: the answers come in their order.
        try FD.writeAll(console.fd, "backup \(copyDir)/state.db\nlog-level\n")
        for i in 0..<20 {
            try alice.line("PRIVMSG #c :during \(i)")
            try await bob.expect("during \(i)\r\n")  // the chat goes on
        }
        let done = try await console.reply()
        #expect(done.error == nil, "\(done)")
        let steps = try #require(done.text.firstMatch(of: /in [0-9]+ ms, ([0-9]+) steps$/).map { Int($0.1)! }, "\(done.text)")
        #expect(steps > 10, "a few pages a turn: \(done.text)")
        #expect(try await console.reply().text.hasPrefix("log level: "))
        // A second backup to the same path is refused: the copy is kept.
        let again = try await console.run("backup \(copyDir)/state.db")
        #expect(again.error == "\(copyDir)/state.db already exists: a backup never overwrites a file")
        _ = try await server.waitForLog("backup to \(copyDir)/state.db written")
        await server.stop()

        // A fresh server on the copy: the channel's last lines come back with it.
        let fresh = try await ServerProcess(["--state-dir", copyDir, "--history", "3", "--log-level", "info"])
        try await fresh.waitForLog("state in \(copyDir)/state.db")
        let carol = try await ircUser(fresh, nick: "carol")
        try carol.line("JOIN #c")
        try carol.line("PING :replayed")
        let replay = try await carol.expect("PONG")
        #expect(replay.contains("PRIVMSG #c :before 4") || replay.contains("PRIVMSG #c :during"), "\(replay)")
        await fresh.stop()
        let copy = try StateStore(directory: copyDir)
        #expect(try copy.integrityCheck() == "ok")
        let texts = try Set(copy.database.integer("SELECT count(*) FROM history WHERE text LIKE 'before %'").map { [$0] } ?? [])
        #expect(texts == [5], "every line said before the backup was asked for")
        #expect(try copy.database.integer("SELECT count(*) FROM history WHERE text LIKE 'old %'") == 20_000)
    }

    @Test func badPathsAndNoStateDirGetClearErrors() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let memory = try await console.run("backup /tmp/never.db")
        #expect(memory.error == "the state is kept in memory: there is no database to back up" && memory.hint == "start the server with --state-dir DIR")
        await server.stop()

        let parent = try AccountDialectTests.stateParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let kept = try await ServerProcess(["--state-dir", parent + "/state"])
        let c = try await ControlClient(kept)
        #expect(try await c.run("backup").error == "backup needs the path of the copy to write")
        #expect(try await c.run("backup relative.db").error == "relative.db is not an absolute path (the server's working directory is not yours)")
        let missing = try await c.run("backup \(parent)/no/such/x.db")
        #expect(missing.error?.hasPrefix("cannot create \(parent)/no/such/x.db: ") == true, "\(missing)")
        #expect(try await c.run("help backup").text.hasPrefix("usage: backup PATH"))
        await kept.stop()
    }
}
