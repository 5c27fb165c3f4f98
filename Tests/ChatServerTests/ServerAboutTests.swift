import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// What the server says about itself: LINKS (364, 365), ADMIN (256-259) and WHOIS's 312 from
/// `--description` and the config file's `description`, `admin-location`, `admin-email`.
@Suite(.serialized, .compute) struct ServerAboutTests {
    static func registered(_ about: ServerAbout = ServerAbout()) -> ConversationDriver {
        ConversationDriver.registeredIRC(IRCConversation(serverName: "chat.test", about: about))
    }

    @Test func linksListsThisServerWhenTheMaskMatches() {
        let c = Self.registered(ServerAbout(description: "the test server"))
        c.type("LINKS")
        #expect(c.received() == [":chat.test 364 foo chat.test chat.test :0 the test server",
                                 ":chat.test 365 foo * :End of /LINKS list"])
        c.type("LINKS *.TEST")
        #expect(c.received() == [":chat.test 364 foo chat.test chat.test :0 the test server",
                                 ":chat.test 365 foo *.TEST :End of /LINKS list"])
        c.type("LINKS other.*")
        #expect(c.received() == [":chat.test 365 foo other.* :End of /LINKS list"])
        c.type("LINKS chat.test *")
        #expect(c.received().count == 2)
        c.type("LINKS elsewhere.net *")
        #expect(c.received() == [":chat.test 402 foo elsewhere.net :No such server"])
        c.type("LINKS :a b\u{7}c")
        #expect(c.received() == [":chat.test 365 foo a_bc :End of /LINKS list"])
        c.type("LINKS :")
        #expect(c.received().last == ":chat.test 365 foo * :End of /LINKS list")
        #expect(c.requests().isEmpty, "answered by the session")
    }

    @Test func adminSaysWhatIsConfigured() {
        let plain = Self.registered()
        plain.type("ADMIN")
        #expect(plain.received() == [":chat.test 256 foo chat.test :Administrative info", ":chat.test 257 foo :chat.test",
                                     ":chat.test 258 foo :chat-server-test", ":chat.test 259 foo :No contact address is configured"])
        let c = Self.registered(ServerAbout(adminLocation: "Leipzig, Saxony", adminEmail: "ops@chat.test"))
        c.type("ADMIN chat.test")
        let lines = c.received()
        #expect(lines.count == 4)
        #expect(lines.dropFirst().first == ":chat.test 257 foo :Leipzig, Saxony")
        #expect(lines.last == ":chat.test 259 foo :ops@chat.test")
        c.type("ADMIN foo")  // a nick asks its server: this one
        #expect(c.received().count == 4)
        c.type("ADMIN other.server")
        #expect(c.received() == [":chat.test 402 foo other.server :No such server"])
    }

    @Test func whoisShowsTheDescription() {
        let c = Self.registered(ServerAbout(description: "a quiet place"))
        #expect((c.conversation as! IRCConversation).renderContext.serverInfo == "a quiet place")
    }

    @Test func theSettingsAreCheckedWhenTheConfigIsRead() throws {
        let dir = NSTemporaryDirectory() + "chat-about-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var limits = Limits(maxClients: 10, maxPerIP: 2, history: 5, floodRate: 5, floodBurst: 20, motdFile: nil)
        try "description = Chat for the street # not this\nadmin-location = Leipzig\nadmin-email = ops@example.org\n"
            .write(toFile: dir + "/ok.conf", atomically: true, encoding: .utf8)
        try limits.apply(configFile: dir + "/ok.conf")
        #expect(limits.about == ServerAbout(description: "Chat for the street", adminLocation: "Leipzig", adminEmail: "ops@example.org"))
        try expectConfigRefused([
            ("description =", "line 1: description must not be empty"),
            ("admin-email = \(String(repeating: "x", count: 201))", "admin-email must be at most 200 bytes"),
            ("admin-location = a\u{7}b", "admin-location must be printable text"),
        ], in: dir)
    }
}

/// The same, from the real server: `--description` on the command line, the config file over it.
@Suite(.serialized) struct ServerAboutDialectTests {
    @Test func linksWhoisAndAdminOverTCP() async throws {
        let dir = NSTemporaryDirectory() + "chat-about-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "admin-email = ops@example.org\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--description", "Chat for the street", "--config", dir + "/chat.conf"])
        let c = try await ircUser(server, nick: "alice")
        try c.line("LINKS")
        try await c.expect(":test.server 364 alice test.server test.server :0 Chat for the street")
        try await c.expect(":test.server 365 alice * :End of /LINKS list")
        try c.line("WHOIS alice")
        try await c.expect(":test.server 312 alice alice test.server :Chat for the street")
        try c.line("ADMIN")
        try await c.expect(":test.server 257 alice :test.server")
        try await c.expect(":test.server 259 alice :ops@example.org")
        await server.stop()
        let bad = try await runToExit(productPath("chat-server"), ["--description", "", "--listen", "127.0.0.1:0",
                                                                   "--control-socket", "none", "--no-console"])
        #expect(bad.status != 0 && bad.output.contains("--description must not be empty"), "\(bad.output)")
    }
}
