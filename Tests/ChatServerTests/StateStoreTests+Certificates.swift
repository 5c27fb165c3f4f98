import ChatPOSIX
import Foundation
import Testing
@testable import ChatServerDaemon

/// Client certificate fingerprints on disk: kept across reopening, in the order added,
/// gone with their account, one account each.
extension StateStoreTests {
    @Test func certificatesAreKeptAcrossReopeningAndGoWithTheirAccount() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
        do {
            let store = try StateStore(directory: dir)
            try store.save(account: Account(name: "Alice", hash: "H", registeredAt: 42), folded: "alice")
            try store.save(account: Account(name: "bob", hash: "B", registeredAt: 43), folded: "bob")
            try store.addCertificate(b, folded: "alice")
            try store.addCertificate(a, folded: "alice")
            try store.addCertificate(c, folded: "bob")
            // One account per fingerprint: the database refuses a second.
            #expect(throws: SQLiteError.self) { try store.addCertificate(c, folded: "alice") }
            // A password change (the account row replaced) keeps them.
            try store.save(account: Account(name: "Alice", hash: "H2", registeredAt: 42), folded: "alice")
            try store.deleteCertificate(a)
            try store.addCertificate(a, folded: "alice")
            try store.deleteAccount(folded: "bob")
            #expect(try store.integrityCheck() == "ok")
        }
        let again = try StateStore(directory: dir)
        #expect(try again.loadAccounts() == ["alice": Account(name: "Alice", hash: "H2", registeredAt: 42, certificates: [b, a])])
        #expect(try again.database.integer("SELECT count(*) FROM certificate") == 2)
    }
}
