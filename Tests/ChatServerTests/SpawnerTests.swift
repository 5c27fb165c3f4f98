import ChatProtocol
import ChatTLS
import Foundation
import Glibc
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The hub ↔ spawner messages, without processes.
@Suite(.serialized, .compute) struct SpawnerMessageTests {
    @Test func aRequestCarriesEverySessionSettingExactly() throws {
        var config = SessionConfig(serverName: "chat.example", floodRate: 2.75, floodBurst: 9, queueLimit: 1 << 20,
                                   maxLineLength: 4096, registrationTimeout: 60, pingInterval: 120, pingTimeout: 240,
                                   quietPeriodMS: 300)
        config.about = ServerAbout(description: "Die Kälte", adminLocation: nil, adminEmail: "ops@chat.example")
        config.tlsPort = 6697
        config.stsPort = 6698
        config.stsDuration = 86_400
        let bytes = Spawner.request(spawn: 0xFFFF_FFFE, config: config)
        let parsed = try #require(bytes.withUnsafeBytes { Spawner.parseRequest($0) })
        #expect(parsed.spawn == 0xFFFF_FFFE)
        let c = parsed.config
        #expect(c.serverName == "chat.example" && c.floodRate == 2.75 && c.floodBurst == 9 && c.queueLimit == 1 << 20)
        #expect(c.maxLineLength == 4096 && c.registrationTimeout == 60 && c.pingInterval == 120 && c.pingTimeout == 240)
        #expect(c.quietPeriodMS == 300 && c.about == config.about)
        #expect(c.tlsPort == 6697 && c.stsPort == 6698 && c.stsDuration == 86_400)
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

    /// Requests and replies are hub frames of their own types, one to a packet: a frame of
    /// another type, two frames in one packet or a flipped bit are refused.
    @Test func theyAreHubFramesOfTheirOwnTypes() {
        let reply = Spawner.Reply(spawn: 3, pid: 99, errno: 0).bytes
        let config = SessionConfig(serverName: "s", floodRate: 1, floodBurst: 1, queueLimit: 1, maxLineLength: 512,
                                   registrationTimeout: 1, pingInterval: 1, pingTimeout: 1, quietPeriodMS: 0)
        let request = Spawner.request(spawn: 3, config: config)
        #expect(reply.count > HubFrame.headerSize && reply[3] == HubMessageType.spawnerReply.rawValue)
        #expect(request[3] == HubMessageType.spawnerRequest.rawValue)
        #expect(request.withUnsafeBytes { Spawner.Reply($0) } == nil)
        #expect(reply.withUnsafeBytes { Spawner.parseRequest($0) } == nil)
        #expect((reply + reply).withUnsafeBytes { Spawner.Reply($0) } == nil)
        var flipped = reply
        flipped[flipped.count - 1] ^= 1
        #expect(flipped.withUnsafeBytes { Spawner.Reply($0) } == nil)
    }
}

/// The spawner's warm-up (`SessionRehearsal`): it must really play a person and an IRC client
/// through registration, talk and nick changes, or it warms nothing.
@Suite(.serialized, .compute) struct SessionRehearsalTests {
    @Test func bothPlayersGoThroughTheirDialects() throws {
        let t = try #require(SessionRehearsal.perform())
        // The person: greeted, asked for a nickname, joined, sees bob's lines in both forms.
        #expect(t.human.contains("nickname"))
        #expect(t.human.contains("You joined #lobby"))
        #expect(t.human.contains("<bob> hi zed, welcome"))
        #expect(t.human.contains("* bob waves"))
        #expect(t.human.contains("bob is now known as bobby"))
        #expect(t.human.contains("You are now known as zed2"))
        // The IRC client: registered, joined, got zed's lines, the PING, its own nick change.
        #expect(t.irc.contains(" 001 bob :"))
        #expect(t.irc.contains("JOIN #lobby"))
        #expect(t.irc.contains("PRIVMSG #lobby :hello everyone"))
        #expect(t.irc.contains("PRIVMSG #lobby :ça va? 😀"))
        #expect(t.irc.contains("PRIVMSG #lobby :\u{1}ACTION waves back\u{1}"))
        #expect(t.irc.contains("PING rehearsal"))
        #expect(t.irc.contains("NICK :bobby") || t.irc.contains("NICK bobby"))
        #expect(t.irc.contains("zed2"))
        #expect(t.irc.contains("TOPIC #lobby :the topic"))
        // Both waited for a sync: the PONG after the NAMES reply, the farewell after the quit.
        #expect(t.irc.range(of: " 366 ")!.lowerBound < t.irc.range(of: "PONG")!.lowerBound)
        #expect(t.irc.contains("ERROR :Closing Link: Quit: bye"))
        #expect(t.human.contains("You joined #stage"))
        // The character-mode person: the editor's rows, bob's lines printed above the half
        // line "half", the quit asked for and done with Ctrl-D twice.
        #expect(t.characterMode.contains("\rChoose a nickname: \u{1B}[K"))
        // Its own line as the hub echoes it, everything in colour (its terminal is an xterm).
        #expect(t.characterMode.contains("> héllo 世界\r\n"))
        #expect(t.characterMode.contains("\u{1B}[2m["))
        #expect(t.characterMode.contains("> hi zed, welcome"))
        #expect(t.characterMode.contains("\r[#lobby] half\u{1B}[K"))
        #expect(t.characterMode.contains("Press Ctrl-D again to quit."))
        #expect(t.irc.contains("PRIVMSG #lobby :héllo 世界"))
    }

    /// The TLS part, with a context that has no key (as the spawner's): the handshake goes as
    /// far as the server's signature, which is refused, and can be played again.
    @Test func theTLSRehearsalGoesAsFarAsTheSignature() async throws {
        let dir = NSTemporaryDirectory() + "rehearsal-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir)
        let chain = Array(try Data(contentsOf: URL(fileURLWithPath: cert.certificatePath)))
        let context = try TLSContext.server(chainPEM: chain)
        #expect(SessionRehearsal.performTLS(context: context))
        #expect(SessionRehearsal.performTLS(context: context))
    }

    @Test func itCanBePlayedAgainAndLeavesNoDescriptorsOpen() throws {
        // The count is the whole test process's, and suites running beside this one open and
        // close descriptors of their own meanwhile, so one attempt can end a few higher or
        // lower than it began. Three rehearsals open 24 descriptors: one that leaked even
        // one of them would leave every attempt at least three higher. An attempt that ends
        // less than three higher than it began shows there is no leak.
        var counts: [(before: Int, after: Int)] = []
        for _ in 0..<20 {
            let before = try FDCount.current()
            for _ in 0..<3 { _ = try #require(SessionRehearsal.perform()) }
            counts.append((before, try FDCount.current()))
            if counts.last!.after < before + 3 { break }
        }
        #expect(counts.contains { $0.after < $0.before + 3 }, "descriptors before and after each attempt: \(counts)")
    }
}

private enum FDCount {
    static func current() throws -> Int {
        var n = 0
        for fd in 0..<Int32(4096) where fcntl(fd, F_GETFD) >= 0 { n += 1 }
        return n
    }
}
