import Foundation
import Testing
import TestSupport

/// What an attacker types, in both dialects: it reaches nobody's terminal as anything but text,
/// and nobody can pass for someone else.
@Suite(.serialized) struct HostileInputTests {
    static let escapes = "\u{1B}]0;owned\u{7}\u{1B}[2J\u{1B}P+q\u{1B}\\\u{9B}6n\u{202E}"

    @Test func ircClientCannotInjectEscapesIntoATelnetUsersTerminal() async throws {
        let server = try await ServerProcess()
        let human = try await humanUser(server, nick: "human")
        let irc = try await ircUser(server, nick: "mallory", join: "#lobby")
        try await human.expect("mallory joined")
        try irc.line("PRIVMSG #lobby :a\(Self.escapes)z")
        try irc.line("TOPIC #lobby :t\(Self.escapes)t")
        try irc.line("PART #lobby :bye\(Self.escapes)")
        let got = try await human.expect("mallory left")
        for bad in ["\u{1B}", "\u{7}", "\u{9B}", "\u{202E}"] { #expect(!got.contains(bad)) }
        #expect(got.contains("<mallory> az"))
    }

    @Test func telnetUserCannotInjectEscapesOrIRCLinesIntoAnIRCClient() async throws {
        let server = try await ServerProcess()
        let irc = try await ircUser(server, nick: "ircuser", join: "#lobby")
        let mallory = try await humanUser(server, nick: "mallory")
        try await irc.expect("JOIN #lobby")
        // A CR in the middle ends the line for telnet: the rest is a second message, never a
        // second IRC command in the same line.
        try mallory.send(bytes: Array("x\(Self.escapes)y\rPRIVMSG #lobby :fake\r\n".utf8))
        let got = try await irc.expect(":fake")
        for bad in ["\u{1B}", "\u{7}", "\u{9B}", "\u{202E}"] { #expect(!got.contains(bad)) }
        #expect(got.contains(":mallory!mallory@127.0.0.1 PRIVMSG #lobby :xy"))
        #expect(got.contains(":mallory!mallory@127.0.0.1 PRIVMSG #lobby :PRIVMSG #lobby :fake"))
    }

    @Test func nobodyPosesAsAnotherUserOrTheServer() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        withExtendedLifetime(alice) {}
        for fake in ["ALICE", "a1ice", "AL1CE", "alIce", "test.server", "Server", "root"] {
            let c = try server.connect()
            try c.line("NICK \(fake)")
            try c.line("USER x 0 * :x")
            try await c.expectAny([" 433 ", " 432 "])
        }
        // A look-alike is told what it looks like; a person is told in words.
        let irc = try server.connect()
        try irc.line("NICK a1ice")
        try irc.line("USER x 0 * :x")
        try await irc.expect(" 433 * a1ice :Nickname is too similar to alice, which is in use")
        let person = try server.connect()
        try await person.expect("nickname")
        try person.line("AL1CE")
        try await person.expect("!! The nickname AL1CE is too close to alice's, choose another.")
        // Invalid UTF-8 does not make a different nick either: it is refused.
        let c = try server.connect()
        try await c.expect("nickname")
        try c.send(bytes: Array("alice".utf8) + [0xC0, 0xAF] + [13, 10])
        try await c.expect("nickname")
        #expect(!c.text.contains("You joined"))
    }

    @Test func linesThatDifferOnlyInInvalidUTF8ArriveRepairedNotRaw() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "a", join: "#lobby")
        let b = try await ircUser(server, nick: "b", join: "#lobby")
        try await a.expect("JOIN #lobby")
        // An overlong encoding of '/' and a lone continuation byte.
        try b.send(bytes: Array("PRIVMSG #lobby :x".utf8) + [0xC0, 0xAF, 0x80] + Array("y\r\n".utf8))
        let got = try await a.expect("PRIVMSG #lobby :x")
        #expect(got.contains("x\u{FFFD}\u{FFFD}\u{FFFD}y"))
        #expect(!got.contains("/"))
    }

    @Test func slowlorisConnectionsThatNeverRegisterAreDropped() async throws {
        let server = try await ServerProcess(["--registration-timeout", "2"])
        let alice = try await humanUser(server, nick: "alice")
        // One byte every half second, never a whole line.
        let slow = try server.connect()
        for _ in 0..<3 {
            try slow.send("N")
            await pause(.milliseconds(500))
        }
        let dropped = await slow.expectClosed(timeout: 5)
        #expect(dropped)
        try alice.line("still here")
        #expect(await alice.expectNothing("quit"))
    }
}
