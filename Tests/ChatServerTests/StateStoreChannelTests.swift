import ChatProtocol
import Foundation
import Testing
@testable import ChatServerDaemon

/// Registered channels in the state store, in process: a database written by version 2 is
/// upgraded (its accounts and lines kept), and a channel's row, access list and mask lists
/// come back as written, within the turn's transaction.
@Suite(.serialized) struct StateStoreChannelTests {
    let dir = NSTemporaryDirectory() + "chat-channels-\(UUID().uuidString.prefix(8))"

    @Test func aVersionTwoDatabaseIsUpgradedAndKeepsWhatItHeld() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            // What a version-2 server wrote: its two migrations only, an account and a line.
            let old = try SQLiteDatabase(path: dir + "/" + StateStore.fileName)
            try old.execute("PRAGMA journal_mode=WAL")
            for m in StateStore.migrations.prefix(2) { try old.execute(m) }
            try old.execute("PRAGMA user_version = 2")
            try old.execute("INSERT INTO account (folded, name, hash, registered_at) VALUES ('alice', 'Alice', 'H', 7)")
            try old.execute("INSERT INTO history (id, channel, time, source, kind, target, text, tags, account) VALUES (1, '#a', 5, 'a!a@h', 0, '#a', 'hi', '', '')")
            old.close()
        }
        let store = try StateStore(directory: dir)
        #expect(try store.database.integer("PRAGMA user_version") == StateStore.schemaVersion)
        #expect(StateStore.schemaVersion >= 3)
        #expect(try store.loadAccounts()["alice"]?.name == "Alice")
        #expect(store.recent(channel: "#a", limit: 5).map(\.text) == ["hi"])
        #expect(try store.loadChannels().isEmpty)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func aChannelComesBackAsWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var modes = ChannelModes()
        modes.flags = [.topicLock, .inviteOnly]
        modes.key = "sekrit"
        modes.limit = 30
        _ = modes.add("b", mask: "*!*@bad.example", by: "alice!a@h", at: 11, casemapping: .ascii)
        _ = modes.add("b", mask: "mallory!*@*", by: "alice!a@h", at: 12, casemapping: .ascii)
        _ = modes.add("e", mask: "*!*@good.example", by: "alice!a@h", at: 13, casemapping: .ascii)
        _ = modes.add("I", mask: "friend!*@*", by: "alice!a@h", at: 14, casemapping: .ascii)
        var reg = ChannelRegistration(founder: "alice", registeredAt: 100)
        reg.access = [ChannelAccess(account: "bob", level: .op, addedBy: "alice", addedAt: 101),
                      ChannelAccess(account: "carol", level: .voice, addedBy: "alice", addedAt: 102)]
        let record = RegisteredChannel(name: "#Lobby", registration: reg, topic: "Welcome", topicBy: "alice", topicAt: 103, modes: modes)
        do {
            let store = try StateStore(directory: dir)
            try store.save(channel: record, folded: "#lobby", parts: .all)
            try store.save(channel: RegisteredChannel(name: "#gone", registration: reg), folded: "#gone", parts: .all)
            #expect(store.turnOpen, "written in the turn's transaction")
            store.commitTurn()
            try store.deleteChannel(folded: "#gone")
            store.commitTurn()
            #expect(try store.database.integer("SELECT count(*) FROM channel_access") == 2, "a dropped channel's rows go with it")
            // A later write of one part leaves the others.
            var changed = record
            changed.topic = "Changed"
            try store.save(channel: changed, folded: "#lobby", parts: .row)
            store.commitTurn()
        }
        let again = try StateStore(directory: dir)
        var expected = record
        expected.topic = "Changed"
        #expect(try again.loadChannels() == ["#lobby": expected])
    }

    @Test func rowsEditedBeyondWhatTheServerWritesAreSkipped() throws {
        let store = try StateStore(directory: nil)
        try store.database.execute("""
            INSERT INTO channel (folded, name, founder, registered_at, key, user_limit, flags) VALUES ('#x', '#x', 'a', 1, 'bad key', -4, 255);
            INSERT INTO channel_access VALUES ('#x', 0, 'bob', 'owner', 'a', 1);
            INSERT INTO channel_mask VALUES ('#x', 'q', 0, 'a!b@c', 'a', 1);
            INSERT INTO channel_mask VALUES ('#x', 'b', 1, 'has space!b@c', 'a', 1);
            """)
        let row = try #require(try store.loadChannels()["#x"])
        #expect(row.modes.key == nil && row.modes.limit == nil && row.modes.flags.rawValue == 0x1F)
        #expect(row.registration.access.isEmpty && row.modes.bans.isEmpty)
    }
}
