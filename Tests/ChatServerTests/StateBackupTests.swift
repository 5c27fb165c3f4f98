import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
@testable import ChatServerDaemon

/// The console's `backup` in process, against a real state database: the copy is made a step
/// at a time, lines written between the steps are in it, it passes `integrity_check` and opens
/// as a state store; one backup at a time; bad paths are refused, and an existing file is
/// never touched.
@Suite(.serialized) struct StateBackupTests {
    let dir = NSTemporaryDirectory() + "chat-backup-\(UUID().uuidString.prefix(8))"

    /// A store in `dir/state` holding `lines` lines of #c.
    func store(lines: Int) throws -> StateStore {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try StateStore(directory: dir + "/state")
        for i in 0..<lines { store.append(line(i), channel: "#c", retention: 86_400_000 * 365) }
        store.commitTurn()
        return store
    }

    func line(_ i: Int) -> StoredLine {
        StoredLine(source: "alice!a@h", kind: .privmsg, target: "#c", text: "line \(i) " + String(repeating: "x", count: 200),
                   time: 1_700_000_000_000 + Int64(i), id: UInt64(1000 + i), tags: "")
    }

    @Test func aBackupIsMadeAStepATimeAndHoldsWhatWasWrittenMeanwhile() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = StandInConsoleHost()
        host.stateDatabase = try store(lines: 5000)
        let actions = ConsoleActions()
        try FileManager.default.createDirectory(atPath: dir + "/copy", withIntermediateDirectories: true)
        var answers: [ConsoleReply] = []
        let reply = actions.run("backup \(dir)/copy/state.db", by: "test", host: host) { answers.append($0) }
        #expect(reply.isPending && reply.error == nil)
        // One at a time.
        let second = actions.run("backup \(dir)/other.db", by: "test", host: host) { answers.append($0) }
        #expect(second.error?.message == "a backup to \(dir)/copy/state.db is being written")
        #expect(actions.nextDeadline() == 0, "a backup steps at every turn")
        var turns = 0
        while answers.isEmpty && turns < 100_000 {
            actions.tick(now: Proc.monotonicNanos(), host: host)
            // Lines said while the copy is made, through the same connection: SQLite puts them in.
            host.stateDatabase!.append(line(5000 + turns), channel: "#c", retention: 86_400_000 * 365)
            host.stateDatabase!.commitTurn()
            turns += 1
        }
        try #require(answers.count == 1)
        #expect(answers[0].error == nil && answers[0].lines[0].hasPrefix("backup written to \(dir)/copy/state.db: "), "\(answers[0])")
        #expect(turns > 1, "a step per turn")
        let copy = try StateStore(directory: dir + "/copy")
        #expect(try copy.integrityCheck() == "ok")
        let kept = try copy.database.integer("SELECT count(*) FROM history")
        // Every line up to the last step's turn (the last one was written after it).
        #expect(kept == Int64(5000 + turns - 1))
        #expect(copy.recent(channel: "#c", limit: 1).first?.text.hasPrefix("line \(5000 + turns - 2) ") == true)
        #expect(Files.status(dir + "/copy/state.db")?.mode == 0o600, "it holds the password hashes")
        #expect(actions.nextDeadline() == nil)
    }

    @Test func badPathsAreRefusedAndAnExistingFileIsNeverTouched() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = StandInConsoleHost()
        let actions = ConsoleActions()
        func run(_ line: String) -> ConsoleReply { actions.run(line, by: "test", host: host) { _ in Issue.record("no late answer expected") } }
        #expect(run("backup \(dir)/x.db").error?.message == "the state is kept in memory: there is no database to back up")
        host.stateDatabase = try store(lines: 10)
        #expect(run("backup").error?.message == "backup needs the path of the copy to write")
        #expect(run("backup copy.db").error?.message == "copy.db is not an absolute path (the server's working directory is not yours)")
        let existing = dir + "/existing.db"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(run("backup \(existing)").error?.message == "\(existing) already exists: a backup never overwrites a file")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "precious")
        let missing = run("backup \(dir)/no/such/folder/x.db")
        #expect(missing.error?.message.hasPrefix("cannot create \(dir)/no/such/folder/x.db: ") == true, "\(missing)")
        #expect(run("backup \(dir)/a\u{7}b.db").error?.message.contains("control characters") == true)
        // A console that cannot wait for the answer is told so.
        #expect(actions.run("backup \(dir)/y.db", by: "test", host: host).error?.message == "this console cannot wait for a backup")
        #expect(actions.backupJob == nil && !FileManager.default.fileExists(atPath: dir + "/y.db"))
    }

    @Test func aBackupAbandonedAtShutdownLeavesNoFile() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = StandInConsoleHost()
        host.stateDatabase = try store(lines: 2000)
        let actions = ConsoleActions()
        var answers: [ConsoleReply] = []
        #expect(actions.run("backup \(dir)/gone.db", by: "test", host: host) { answers.append($0) }.isPending)
        actions.tick(now: Proc.monotonicNanos(), host: host)
        #expect(answers.isEmpty, "2000 lines take more than one step")
        actions.abandonBackup(host: host)
        #expect(answers.first?.error?.message == "the backup to \(dir)/gone.db was abandoned: the server is shutting down")
        #expect(!FileManager.default.fileExists(atPath: dir + "/gone.db"))
    }
}
