import ChatPOSIX
import Foundation
import Testing
@testable import ChatServerDaemon

/// The state store in process: migrations, a newer schema refused, reopening, the directory's
/// rules.
@Suite(.serialized) struct StateStoreTests {
    let dir = NSTemporaryDirectory() + "chat-state-\(UUID().uuidString.prefix(8))"

    @Test func aNewDatabaseGetsEverySchemaVersionAndKeepsAccountsAcrossReopening() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try StateStore(directory: dir)
            #expect(try store.database.integer("PRAGMA user_version") == StateStore.schemaVersion)
            #expect(try store.database.text("PRAGMA journal_mode") == "wal")
            #expect(try store.database.integer("PRAGMA foreign_keys") == 1)
            try store.save(account: Account(name: "Alice", hash: "H", registeredAt: 42), folded: "alice")
            try store.save(account: Account(name: "bob", hash: "B", registeredAt: 43, frozen: true), folded: "bob")
            try store.deleteAccount(folded: "bob")
            try store.save(account: Account(name: "carol", hash: "C", registeredAt: 44), folded: "carol")
            #expect(try store.integrityCheck() == "ok")
        }
        let st = try #require(Files.status(dir))
        #expect(st.isDirectory && st.mode == 0o700)
        let again = try StateStore(directory: dir)
        #expect(try again.loadAccounts() == ["alice": Account(name: "Alice", hash: "H", registeredAt: 42),
                                             "carol": Account(name: "carol", hash: "C", registeredAt: 44)])
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try StateStore(directory: dir)
            try store.database.execute("PRAGMA user_version = \(StateStore.schemaVersion + 1)")
        }
        #expect {
            _ = try StateStore(directory: dir)
        } throws: { error in
            "\(error)".contains("newer than this server's")
        }
    }

    @Test func aDirectoryOthersMayWriteIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o777)
        #expect {
            _ = try StateStore(directory: dir)
        } throws: { error in
            "\(error)".contains("may be written by others")
        }
    }

    @Test func strictTablesRefuseValuesOfTheWrongType() throws {
        let store = try StateStore(directory: nil)
        #expect(store.path == nil)
        #expect(throws: SQLiteError.self) {
            try store.database.statement("INSERT INTO account (folded, name, hash, registered_at) VALUES ('a', 'a', 'h', ?)")
                .run([.text("not a number")])
        }
        #expect(throws: SQLiteError.self) { try store.database.execute("SELECT nonsense FROM nowhere") }
    }
}
