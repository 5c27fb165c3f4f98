import ChatProtocol

// Channel lines on disk (issue 16): one INSERT per line into the turn's transaction, read
// back by channel and message number. A failure is logged, never a user's problem: the line
// was delivered; only its keeping failed.
extension StateStore: HistoryStorage {
    /// Old lines deleted per turn at most, so that the first prune after a long pause does
    /// not stall the hub's loop; the rest go in the next turns.
    static let pruneBatch: Int64 = 1000
    /// How often old lines are looked for once none are left (milliseconds).
    static let pruneInterval: Int64 = 3_600_000
    private static let columns = "id, time, source, kind, target, text, tags, account"

    func append(_ line: StoredLine, channel folded: String, retention: Int64) {
        do {
            if !turnOpen {
                try database.execute("BEGIN")
                turnOpen = true
            }
            try database.statement("INSERT OR IGNORE INTO history (id, channel, time, source, kind, target, text, tags, account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .run([.int(Int64(bitPattern: line.id)), .text(folded), .int(line.time), .text(line.source),
                      .int(Int64(line.kind.rawValue)), .text(line.target), .text(line.text), .text(line.tags), .text(line.account)])
            if line.time >= nextPrune { try prune(before: line.time - retention, now: line.time) }
        } catch {
            failed("cannot keep a line of \(folded)", error)
        }
    }

    /// Deletes at most `pruneBatch` lines older than `cutoff`; looks again next turn if there
    /// may be more, else in an hour.
    private func prune(before cutoff: Int64, now: Int64) throws {
        // Message numbers grow with time (`ChatState.nextMessageID`), so the oldest lines are
        // the lowest numbers: the table's own order, no index on time needed.
        try database.statement("DELETE FROM history WHERE id IN (SELECT id FROM (SELECT id, time FROM history ORDER BY id LIMIT ?) WHERE time < ?)")
            .run([.int(Self.pruneBatch), .int(cutoff)])
        let done = database.changes < Self.pruneBatch
        // Conversations whose lines have all gone are listed no more (a small table, swept
        // once the lines are).
        if done { try database.statement("DELETE FROM conversation WHERE last < ?").run([.int(cutoff)]) }
        nextPrune = done ? now + Self.pruneInterval : now
    }

    /// Ends the turn's transaction: its lines are on disk (in the WAL) when this returns.
    func commitTurn() {
        guard turnOpen else { return }
        turnOpen = false
        do { try database.execute("COMMIT") } catch {
            try? database.execute("ROLLBACK")
            failed("cannot commit the turn's channel lines", error)
        }
    }

    func recent(channel folded: String, limit: Int) -> [StoredLine] {
        var lines: [Int64: StoredLine] = [:]
        take("SELECT \(Self.columns) FROM history WHERE channel = ? ORDER BY id DESC LIMIT ?", [.text(folded), .int(Int64(limit))], into: &lines)
        return lines.values.sorted { $0.id < $1.id }
    }

    func window(channel folded: String, around references: [HistoryQuery.Reference], limit: Int) -> [StoredLine] {
        var lines: [Int64: StoredLine] = [:]
        let ch = SQLiteValue.text(folded), n = SQLiteValue.int(Int64(limit)), n1 = SQLiteValue.int(Int64(limit) + 1)
        take("SELECT \(Self.columns) FROM history WHERE channel = ? ORDER BY id DESC LIMIT ?", [ch, n], into: &lines)
        for r in references {
            switch r {
            case .none:
                // `*` is "the newest" to LATEST and BEFORE (read above), "the oldest" to the others.
                take("SELECT \(Self.columns) FROM history WHERE channel = ? ORDER BY id LIMIT ?", [ch, n], into: &lines)
            case .messageID(let m):
                let id = SQLiteValue.int(Int64(bitPattern: m))
                take("SELECT \(Self.columns) FROM history WHERE channel = ? AND id < ? ORDER BY id DESC LIMIT ?", [ch, id, n], into: &lines)
                take("SELECT \(Self.columns) FROM history WHERE channel = ? AND id >= ? ORDER BY id LIMIT ?", [ch, id, n1], into: &lines)
            case .time(let t):
                take("SELECT \(Self.columns) FROM history WHERE channel = ? AND time < ? ORDER BY time DESC, id DESC LIMIT ?", [ch, .int(t), n], into: &lines)
                take("SELECT \(Self.columns) FROM history WHERE channel = ? AND time >= ? ORDER BY time, id LIMIT ?", [ch, .int(t), n1], into: &lines)
            }
        }
        return lines.values.sorted { $0.id < $1.id }
    }

    /// Adds the rows of `sql` to `lines`, by message number. A row whose fields could not
    /// make a frame (a database edited by hand, a field beyond what the hub ever stores) is
    /// skipped: the frame encoder traps on an event over its size limit.
    private func take(_ sql: String, _ values: [SQLiteValue], into lines: inout [Int64: StoredLine]) {
        do {
            let s = try database.statement(sql)
            defer { s.reset() }
            try s.bind(values)
            while try s.step() {
                guard let kind = MessageKind(rawValue: UInt8(truncatingIfNeeded: s.int(3))), s.int(3) >= 0, s.int(3) <= 255 else { continue }
                let line = StoredLine(source: s.text(2), kind: kind, target: s.text(4), text: s.text(5), time: s.int(1),
                                      id: UInt64(bitPattern: s.int(0)), tags: s.text(6), account: s.text(7))
                guard line.source.utf8.count <= 1024, line.target.utf8.count <= 1024, line.text.utf8.count <= 16 * 1024,
                      line.tags.utf8.count <= 8 * 1024, line.account.utf8.count <= 1024 else { continue }
                lines[s.int(0)] = line
            }
        } catch {
            failed("cannot read channel lines", error)
        }
    }

    /// Reports the first failure and then every thousandth: a full disk must not flood the log.
    func failed(_ what: String, _ error: Error) {
        historyFailures += 1
        if historyFailures == 1 || historyFailures % 1000 == 0 {
            reportFailure?("\(what): \(error) (\(historyFailures) failures of channel history so far)")
        }
    }
}
