import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// The hub ↔ spawner messages, without processes.
@Suite struct SpawnerMessageTests {
    @Test func aRequestCarriesEverySessionSettingExactly() throws {
        let config = SessionConfig(serverName: "chat.example", floodRate: 2.75, floodBurst: 9, queueLimit: 1 << 20,
                                   maxLineLength: 4096, registrationTimeout: 60, pingInterval: 120, pingTimeout: 240,
                                   quietPeriodMS: 300)
        let bytes = Spawner.request(spawn: 0xFFFF_FFFE, config: config)
        let parsed = try #require(bytes.withUnsafeBytes { Spawner.parseRequest($0) })
        #expect(parsed.spawn == 0xFFFF_FFFE)
        let c = parsed.config
        #expect(c.serverName == "chat.example" && c.floodRate == 2.75 && c.floodBurst == 9 && c.queueLimit == 1 << 20)
        #expect(c.maxLineLength == 4096 && c.registrationTimeout == 60 && c.pingInterval == 120 && c.pingTimeout == 240)
        #expect(c.quietPeriodMS == 300)
        // Truncated or padded requests are refused, not misread.
        #expect(bytes.dropLast().withUnsafeBytes { Spawner.parseRequest($0) } == nil)
        #expect((bytes + [0]).withUnsafeBytes { Spawner.parseRequest($0) } == nil)
    }

    @Test func repliesRoundTrip() {
        for r in [Spawner.Reply(spawn: 1, pid: 4242, errno: 0), Spawner.Reply(spawn: .max, pid: 0, errno: 11)] {
            #expect(r.bytes.withUnsafeBytes { Spawner.Reply($0) } == r)
        }
        #expect([UInt8](repeating: 0, count: 5).withUnsafeBytes { Spawner.Reply($0) } == nil)
    }
}
