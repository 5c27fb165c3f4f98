import CSQLite

/// One prepared statement: bind by position (from 1), step, read columns (from 0).
final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let database: SQLiteDatabase

    init(_ raw: OpaquePointer, database: SQLiteDatabase) {
        self.raw = raw
        self.database = database
    }

    func finalize() {
        sqlite3_finalize(raw)
        raw = nil
    }

    /// Ready to run again, with no bindings.
    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    func bind(_ index: Int32, _ value: String) throws(SQLiteError) {
        let rc = sqlite3_bind_text(raw, index, value, -1, chat_sqlite_transient())
        if rc != SQLITE_OK { throw database.lastError(rc) }
    }

    func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
        let rc = sqlite3_bind_int64(raw, index, value)
        if rc != SQLITE_OK { throw database.lastError(rc) }
    }

    /// Binds `values` from position 1.
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (i, v) in values.enumerated() {
            switch v {
            case .text(let s): try bind(Int32(i + 1), s)
            case .int(let n): try bind(Int32(i + 1), n)
            }
        }
    }

    /// The next row: true while there is one, false when done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(raw)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = database.lastError(rc)
        sqlite3_reset(raw)
        throw error
    }

    /// Runs a statement that returns no rows (and resets it).
    func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(values)
        defer { reset() }
        while try step() {}
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(raw, column) else { return "" }
        let n = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}

