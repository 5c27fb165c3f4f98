import Foundation
import Testing

/// What an attacker types, in both dialects: it reaches nobody's terminal as anything but text,
/// and nobody can pass for someone else.
@Suite struct HostileInputTests {
    static let escapes = "\u{1B}]0;owned\u{7}\u{1B}[2J\u{1B}P+q\u{1B}\\\u{9B}6n\u{202E}"

    @Test func ircClientCannotInjectEscapesIntoATelnetUsersTerminal() throws {
        let server = try ServerProcess()
        let human = try humanUser(server, nick: "human")
        let irc = try ircUser(server, nick: "mallory", join: "#lobby")
        try human.expect("mallory joined")
        try irc.line("PRIVMSG #lobby :a\(Self.escapes)z")
        try irc.line("TOPIC #lobby :t\(Self.escapes)t")
        try irc.line("PART #lobby :bye\(Self.escapes)")
        let got = try human.expect("mallory left")
        for bad in ["\u{1B}", "\u{7}", "\u{9B}", "\u{202E}"] { #expect(!got.contains(bad)) }
        #expect(got.contains("<mallory> az"))
    }

    @Test func telnetUserCannotInjectEscapesOrIRCLinesIntoAnIRCClient() throws {
        let server = try ServerProcess()
        let irc = try ircUser(server, nick: "ircuser", join: "#lobby")
        let mallory = try humanUser(server, nick: "mallory")
        try irc.expect("JOIN #lobby")
        // A CR in the middle ends the line for telnet: the rest is a second message, never a
        // second IRC command in the same line.
        try mallory.send(bytes: Array("x\(Self.escapes)y\rPRIVMSG #lobby :fake\r\n".utf8))
        let got = try irc.expect(":fake")
        for bad in ["\u{1B}", "\u{7}", "\u{9B}", "\u{202E}"] { #expect(!got.contains(bad)) }
        #expect(got.contains(":mallory!mallory@127.0.0.1 PRIVMSG #lobby :xy"))
        #expect(got.contains(":mallory!mallory@127.0.0.1 PRIVMSG #lobby :PRIVMSG #lobby :fake"))
    }

    @Test func nobodyPosesAsAnotherUserOrTheServer() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        withExtendedLifetime(alice) {}
        for fake in ["ALICE", "a1ice", "AL1CE", "alIce", "test.server", "Server", "root"] {
            let c = try server.connect()
            try c.line("NICK \(fake)")
            try c.line("USER x 0 * :x")
            try c.expectAny([" 433 ", " 432 "])
        }
        // A look-alike is told what it looks like; a person is told in words.
        let irc = try server.connect()
        try irc.line("NICK a1ice")
        try irc.line("USER x 0 * :x")
        try irc.expect(" 433 * a1ice :Nickname is too similar to alice, which is in use")
        let person = try server.connect()
        try person.expect("nickname")
        try person.line("AL1CE")
        try person.expect("!! The nickname AL1CE is too close to alice's, choose another.")
        // Invalid UTF-8 does not make a different nick either: it is refused.
        let c = try server.connect()
        try c.expect("nickname")
        try c.send(bytes: Array("alice".utf8) + [0xC0, 0xAF] + [13, 10])
        try c.expect("nickname")
        #expect(!c.text.contains("You joined"))
    }

    @Test func linesThatDifferOnlyInInvalidUTF8ArriveRepairedNotRaw() throws {
        let server = try ServerProcess()
        let a = try ircUser(server, nick: "a", join: "#lobby")
        let b = try ircUser(server, nick: "b", join: "#lobby")
        try a.expect("JOIN #lobby")
        // An overlong encoding of '/' and a lone continuation byte.
        try b.send(bytes: Array("PRIVMSG #lobby :x".utf8) + [0xC0, 0xAF, 0x80] + Array("y\r\n".utf8))
        let got = try a.expect("PRIVMSG #lobby :x")
        #expect(got.contains("x\u{FFFD}\u{FFFD}\u{FFFD}y"))
        #expect(!got.contains("/"))
    }

    @Test func slowlorisConnectionsThatNeverRegisterAreDropped() throws {
        let server = try ServerProcess(["--registration-timeout", "2"])
        let alice = try humanUser(server, nick: "alice")
        // One byte every half second, never a whole line.
        let slow = try server.connect()
        for _ in 0..<3 {
            try slow.send("N")
            usleep(500_000)
        }
        let dropped = slow.expectClosed(timeout: 5)
        #expect(dropped)
        try alice.line("still here")
        #expect(alice.expectNothing("quit"))
    }
}
