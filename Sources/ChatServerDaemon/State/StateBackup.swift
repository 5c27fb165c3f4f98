import CSQLite
import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

/// A copy of the state database being written while the hub runs, with SQLite's online
/// backup API: `step` copies a bounded number of pages, once per turn of the hub's loop, so a
/// large database never stalls the chat. A write the hub makes meanwhile (through the same
/// connection) is applied to the copy by SQLite; a write through another connection (an
/// operator's sqlite3) makes the copy start over. The file is created new (never an existing
/// one), mode 0600 (it holds the password hashes), and removed if the copy fails.
final class StateBackup {
    let path: String
    private var destination: OpaquePointer?
    private var backup: OpaquePointer?
    /// Steps taken, and the pages of the database as of the last one.
    private(set) var steps = 0
    private(set) var pages: Int32 = 0
    /// Bytes per page of the database.
    let pageSize: Int
    /// Steps in a row the source or the copy was locked by another connection.
    private var busySteps = 0
    /// The copy is whole and closed: nothing is removed any more.
    private var finished = false
    /// The file is ours (created here): only then may a failure remove it.
    private var created = false

    /// Pages copied per step (4 KiB each: 128 KiB a turn, about a millisecond; docs/BENCHMARKS.md).
    static let pagesPerStep: Int32 = 32
    /// Steps in a row a lock may hold the copy up before it is given up (tried again every
    /// `busyRetryNanos`: half a minute).
    static let maxBusySteps = 3000
    static let busyRetryNanos: UInt64 = 10_000_000

    enum Progress: Equatable {
        case more
        /// Another connection holds a lock: try again a little later.
        case busy
        case done
        case failed(String)
    }

    /// Creates `path` and starts copying `source` into it; an error says why not, in words
    /// for the operator.
    init(from source: SQLiteDatabase, to path: String) throws(StateStoreError) {
        self.path = path
        guard let from = source.handle else { throw StateStoreError("the state database is closed") }
        pageSize = Int((try? source.integer("PRAGMA page_size")) ?? 4096)
        guard path.hasPrefix("/") else {
            throw StateStoreError("\(path) is not an absolute path (the server's working directory is not yours)")
        }
        do {
            FD.close(try FD.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600))
            created = true
        } catch {
            if error.errno == EEXIST { throw StateStoreError("\(path) already exists: a backup never overwrites a file") }
            throw StateStoreError("cannot create \(path): \(error)")
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            abandon()
            throw StateStoreError("cannot open \(path) as a database: \(message)")
        }
        destination = db
        guard let b = sqlite3_backup_init(db, "main", from, "main") else {
            let message = String(cString: sqlite3_errmsg(db))
            abandon()
            throw StateStoreError("cannot start the backup to \(path): \(message)")
        }
        backup = b
    }

    deinit { abandon() }

    /// Copies the next pages; `.done` once the copy is whole and closed, `.failed` (the file
    /// removed) when it cannot be finished.
    func step() -> Progress {
        guard let backup else { return .failed("the backup was abandoned") }
        steps += 1
        let rc = sqlite3_backup_step(backup, Self.pagesPerStep)
        pages = sqlite3_backup_pagecount(backup)
        switch rc {
        case SQLITE_OK:
            busySteps = 0
            return .more
        case SQLITE_BUSY, SQLITE_LOCKED:
            busySteps += 1
            if busySteps < Self.maxBusySteps { return .busy }
            let message = "the database stayed locked by another connection"
            abandon()
            return .failed(message)
        case SQLITE_DONE:
            sqlite3_backup_finish(backup)
            self.backup = nil
            let rc = sqlite3_close_v2(destination)
            destination = nil
            finished = true
            if rc != SQLITE_OK {
                FD.unlink(path)
                return .failed("cannot close \(path): \(String(cString: sqlite3_errstr(rc)))")
            }
            return .done
        default:
            let message = destination.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            abandon()
            return .failed("\(message) (SQLite error \(rc))")
        }
    }

    /// Stops copying, closes the copy and removes its file (and its journal).
    func abandon() {
        guard !finished else { return }
        finished = true
        if let backup { sqlite3_backup_finish(backup) }
        backup = nil
        if let destination { sqlite3_close_v2(destination) }
        destination = nil
        guard created else { return }
        FD.unlink(path)
        FD.unlink(path + "-journal")
    }
}
