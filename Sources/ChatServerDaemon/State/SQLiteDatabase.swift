import CSQLite

/// A thin wrapper over one SQLite connection: open, execute, prepared statements kept by
/// their text, transactions. Errors come back as `SQLiteError` with SQLite's message. Used by
/// the hub alone (the `StateStore`), on its thread; SQLite starts no thread of its own.
final class SQLiteDatabase {
    /// The connection; nil once closed (read by `StateBackup`, which copies from it).
    private(set) var handle: OpaquePointer?
    /// Statements by their SQL, prepared once and reset after each use.
    private var prepared: [String: SQLiteStatement] = [:]

    /// Opens (creating it if missing) the database at `path`; ":memory:" for one in memory.
    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
    }

    deinit { close() }

    /// Finalizes the statements and closes the connection (a WAL database is checkpointed).
    func close() {
        for s in prepared.values { s.finalize() }
        prepared.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The last error on this connection.
    func lastError(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database closed")
    }

    /// Runs `sql` (one or more statements, no parameters, rows ignored).
    func execute(_ sql: String) throws(SQLiteError) {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "database closed") }
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text)
        }
    }

    /// The statement for `sql`, prepared on first use and kept; reset, its bindings cleared.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let s = prepared[sql] {
            s.reset()
            return s
        }
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "database closed") }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw lastError(rc) }
        let s = SQLiteStatement(raw, database: self)
        prepared[sql] = s
        return s
    }

    /// The first column of the first row of `sql` as an integer (a PRAGMA's answer); nil for no row.
    func integer(_ sql: String) throws(SQLiteError) -> Int64? {
        let s = try statement(sql)
        defer { s.reset() }
        return try s.step() ? s.int(0) : nil
    }

    /// The first column of the first row of `sql` as text; nil for no row.
    func text(_ sql: String) throws(SQLiteError) -> String? {
        let s = try statement(sql)
        defer { s.reset() }
        return try s.step() ? s.text(0) : nil
    }

    /// Runs `body` in one transaction (BEGIN IMMEDIATE): committed when it returns, rolled
    /// back when it throws.
    func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// SQLite waits up to `ms` for a lock another connection holds (a backup being taken).
    func setBusyTimeout(ms: Int32) { if let handle { sqlite3_busy_timeout(handle, ms) } }
}
