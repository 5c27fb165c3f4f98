import ChatPOSIX

/// The hub's state on disk: one SQLite database, `DIR/state.db` under `--state-dir`, or in
/// memory without it. Opened by the hub after it dropped root. WAL journal with
/// `synchronous=NORMAL`: a committed transaction survives the hub being killed (SIGKILL); a
/// power loss may lose the last transactions before the WAL was synced, never the database's
/// integrity (docs/ACCOUNTS.md). An account change is its own transaction, committed before
/// the user is told it succeeded; channel lines (`StateStore+History`) are batched into one
/// transaction per turn of the hub's loop, committed before the turn's events go out.
final class StateStore: AccountStorage {
    let database: SQLiteDatabase
    /// Where the database is; nil in memory.
    let path: String?
    /// A transaction holds this turn's channel lines (`commitTurn` ends it).
    var turnOpen = false
    /// When old channel lines are next looked for (milliseconds since 1970).
    var nextPrune: Int64 = 0
    /// Writes and reads of channel lines that failed, and where they are reported (the log).
    var historyFailures = 0
    var reportFailure: ((String) -> Void)?

    /// The schema's versions, in order: migration `i` takes `user_version` from `i` to `i + 1`,
    /// each in its own transaction. Never edit one that shipped: add the next.
    static let migrations: [String] = [
        // 1: accounts.
        """
        CREATE TABLE account (
            folded TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            frozen INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        """,
        // 2: channel lines (issue 16), by message number; the event's fields, not its frame.
        """
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            time INTEGER NOT NULL,
            source TEXT NOT NULL,
            kind INTEGER NOT NULL,
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            tags TEXT NOT NULL,
            account TEXT NOT NULL
        ) STRICT;
        CREATE INDEX history_by_channel ON history (channel, id);
        CREATE INDEX history_by_channel_time ON history (channel, time);
        """,
        // 3: registered channels (ChanServ): the channel's own row, its access list, its
        // mask lists. A key of '' and a limit of 0 mean none.
        """
        CREATE TABLE channel (
            folded TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            founder TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            frozen INTEGER NOT NULL DEFAULT 0,
            topic TEXT NOT NULL DEFAULT '',
            topic_by TEXT NOT NULL DEFAULT '',
            topic_at INTEGER NOT NULL DEFAULT 0,
            flags INTEGER NOT NULL DEFAULT 0,
            key TEXT NOT NULL DEFAULT '',
            user_limit INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE TABLE channel_access (
            channel TEXT NOT NULL REFERENCES channel (folded) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            account TEXT NOT NULL,
            level TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (channel, position)
        ) STRICT;
        CREATE TABLE channel_mask (
            channel TEXT NOT NULL REFERENCES channel (folded) ON DELETE CASCADE,
            list TEXT NOT NULL,
            position INTEGER NOT NULL,
            mask TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_at INTEGER NOT NULL,
            PRIMARY KEY (channel, list, position)
        ) STRICT;
        """,
        // 4: TLS client certificates of accounts (NickServ CERT, SASL EXTERNAL), by SHA-256
        // fingerprint (64 lower-case hex digits); deleted with their account (`deleteAccount`).
        """
        CREATE TABLE certificate (
            fingerprint TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            added INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX certificate_by_account ON certificate (account);
        """,
        // 5: who talked privately with whom, and when last (CHATHISTORY TARGETS, issue 16): one
        // row per party and peer (`ChatState.partyKey`s), `name` as the peer is shown. Filled
        // from the private lines a version-4 database already holds (keys `@party peer`,
        // shown by their folded names).
        """
        CREATE TABLE conversation (
            party TEXT NOT NULL,
            peer TEXT NOT NULL,
            name TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (party, peer)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX conversation_by_time ON conversation (party, last);
        INSERT OR REPLACE INTO conversation (party, peer, name, last)
            SELECT a, b, substr(b, 3), last FROM (
                SELECT substr(channel, 2, instr(channel, ' ') - 2) AS a, substr(channel, instr(channel, ' ') + 1) AS b,
                       max(time) AS last FROM history WHERE channel LIKE '@% %' GROUP BY channel)
            UNION ALL
            SELECT b, a, substr(a, 3), last FROM (
                SELECT substr(channel, 2, instr(channel, ' ') - 2) AS a, substr(channel, instr(channel, ' ') + 1) AS b,
                       max(time) AS last FROM history WHERE channel LIKE '@% %' GROUP BY channel);
        """,
    ]

    static var schemaVersion: Int64 { Int64(migrations.count) }
    static let fileName = "state.db"

    /// Opens the store in `directory` (created 0700 if missing; refused if others may write
    /// it), or in memory when nil, and brings its schema up to date.
    init(directory: String?) throws(StateStoreError) {
        var path: String?
        if let directory {
            do {
                try Files.makeDirectory(directory, mode: 0o700)
            } catch {
                throw StateStoreError("cannot create the state directory \(directory): \(error)")
            }
            guard let st = Files.status(directory, followingLinks: true), st.isDirectory else {
                throw StateStoreError("the state directory \(directory) is not a directory")
            }
            if st.isSharedForWriting {
                throw StateStoreError("the state directory \(directory) may be written by others (mode \(String(st.mode, radix: 8))): make it 0700")
            }
            path = directory + "/" + Self.fileName
        }
        self.path = path
        do {
            database = try SQLiteDatabase(path: path ?? ":memory:")
            database.setBusyTimeout(ms: 100)
            try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            try migrate()
        } catch let error as SQLiteError {
            throw StateStoreError("cannot open the state database \(path ?? "in memory"): \(error)")
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw StateStoreError("cannot open the state database \(path ?? "in memory"): \(error)")
        }
    }

    /// Runs the migrations the database lacks; refuses one written by a newer version.
    private func migrate() throws {
        let version = try database.integer("PRAGMA user_version") ?? 0
        if version > Self.schemaVersion {
            throw StateStoreError("the state database \(path ?? "") has schema version \(version), newer than this server's \(Self.schemaVersion): run the newer chat-server, or restore a backup")
        }
        for v in Int(version)..<Self.migrations.count {
            try database.transaction { () throws(SQLiteError) in
                try database.execute(Self.migrations[v])
                try database.execute("PRAGMA user_version = \(v + 1)")
            }
        }
    }

    /// `PRAGMA integrity_check`'s first line: "ok" when the database is sound.
    func integrityCheck() throws(SQLiteError) -> String { try database.text("PRAGMA integrity_check") ?? "" }

    // MARK: AccountStorage

    func loadAccounts() throws -> [String: Account] {
        let s = try database.statement("SELECT folded, name, hash, registered_at, frozen FROM account")
        defer { s.reset() }
        var out: [String: Account] = [:]
        while try s.step() {
            out[s.text(0)] = Account(name: s.text(1), hash: s.text(2), registeredAt: s.int(3), frozen: s.int(4) != 0)
        }
        let c = try database.statement("SELECT fingerprint, account FROM certificate ORDER BY rowid")
        defer { c.reset() }
        while try c.step() { out[c.text(1)]?.certificates.append(c.text(0)) }
        return out
    }

    func save(account: Account, folded: String) throws {
        commitTurn()  // the turn's lines first: this change commits on its own, now
        // One statement is one transaction (autocommit): committed when `run` returns.
        try database.statement("INSERT OR REPLACE INTO account (folded, name, hash, registered_at, frozen) VALUES (?, ?, ?, ?, ?)")
            .run([.text(folded), .text(account.name), .text(account.hash), .int(account.registeredAt), .int(account.frozen ? 1 : 0)])
    }

    func deleteAccount(folded: String) throws {
        commitTurn()
        try database.transaction { () throws(SQLiteError) in
            try database.statement("DELETE FROM account WHERE folded = ?").run([.text(folded)])
            try database.statement("DELETE FROM certificate WHERE account = ?").run([.text(folded)])
        }
    }

    func addCertificate(_ fingerprint: String, folded: String) throws {
        commitTurn()
        try database.statement("INSERT INTO certificate (fingerprint, account, added) VALUES (?, ?, ?)")
            .run([.text(fingerprint), .text(folded), .int(Proc.wallMillis())])
    }

    func deleteCertificate(_ fingerprint: String) throws {
        commitTurn()
        try database.statement("DELETE FROM certificate WHERE fingerprint = ?").run([.text(fingerprint)])
    }
}
