import ChatPOSIX
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct HumanDialectTests {
    @Test func twoTelnetUsersChat() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined #lobby")
        try alice.line("hello bob")
        let got = try bob.expect("<alice> hello bob")
        #expect(got.contains("["), "messages carry a [HH:MM] timestamp: \(got)")
        try bob.line("hi alice")
        try alice.expect("<bob> hi alice")
        // No echo of one's own line.
        #expect(alice.expectNothing("<alice> hello bob"))
    }

    @Test func greetingAsksForANicknameAndReasksWhenTakenOrInvalid() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        defer { withExtendedLifetime(alice) {} }
        let c = try server.connect()
        try c.expect("nickname")
        try c.line("bad nick!")
        try c.expect("nickname")
        try c.line("ALICE")
        try c.expect("taken")
        try c.expect("nickname")
        try c.line("carol")
        try c.expect("You joined #lobby")
    }

    @Test func linesTypedAheadOfTheGreetingAreNotLost() throws {
        let server = try ServerProcess()
        let bob = try humanUser(server, nick: "bob")
        let eager = try server.connect()
        try eager.send("carol\r\nhello early\r\n/me is quick\r\n")
        try bob.expect("<carol> hello early")
        try bob.expect("* carol is quick")
        withExtendedLifetime(eager) {}
    }

    @Test func commandsPrivateMessageActionAndNickChange() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined")
        try alice.line("/msg bob psst")
        try bob.expect("*alice* psst")
        try alice.line("/me waves")
        try bob.expect("* alice waves")
        try alice.line("/nick alicia")
        try bob.expect("alice is now known as alicia")
        // Alice is told in the first person (she was shown "alice is now known as alicia").
        try alice.expect("-- You are now known as alicia")
        try alice.line("//slash is literal")
        try bob.expect("<alicia> /slash is literal")
        try alice.line("/frobnicate")
        try alice.expect("/help")
        try alice.line("/help")
        try alice.expect("/join")
        try bob.line("/who")
        try bob.expect("alicia")
    }

    @Test func joinPartQuitNoticesAndTopic() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined #lobby")
        try bob.line("/join #rust")
        try bob.expect("You joined #rust")
        try bob.line("/topic Rust and Swift")
        try bob.expect("Rust and Swift")
        try alice.line("/join rust")
        try alice.expect("Rust and Swift")
        try bob.expect("alice joined #rust")
        try alice.line("/part #rust")
        try bob.expect("alice left #rust")
        try alice.line("/quit see you")
        try alice.expect("Goodbye")
        #expect(alice.expectClosed())
        try bob.expect("alice quit")
    }

    @Test func historyIsReplayedToNewcomers() throws {
        let server = try ServerProcess(["--history", "3"])
        let alice = try humanUser(server, nick: "alice")
        for i in 1...5 { try alice.line("message \(i)") }
        // Wait until the hub has them: a second user sees the last three only.
        usleep(300_000)
        let bob = try server.connect()
        try bob.expect("nickname")
        try bob.line("bob")
        try bob.expect("<alice> message 5")
        #expect(bob.text.isEmpty || !bob.text.contains("message 2"))
    }

    /// `/join` of a channel one is already in makes it current again (docs/SERVER.md, /help).
    @Test func joiningAChannelAgainMakesItCurrent() throws {
        let server = try ServerProcess()
        let watcher = try ircUser(server, nick: "watcher", join: "#lobby")
        try watcher.line("JOIN #rust")
        try watcher.expect(" 366 watcher #rust ")
        let alice = try humanUser(server, nick: "alice")
        try alice.line("/join #rust")
        try alice.expect("-- You joined #rust")
        try alice.line("/join #lobby")
        try alice.expect("-- #lobby is now your current channel")
        try alice.line("back in the lobby")
        try watcher.expect(":alice!alice@127.0.0.1 PRIVMSG #lobby :back in the lobby")
        try alice.line("/join RUST")
        try alice.expect("-- #rust is now your current channel")
        try alice.line("rust again")
        try watcher.expect(":alice!alice@127.0.0.1 PRIVMSG #rust :rust again")
    }

    /// CTCP queries from IRC clients (irssi's /ping, /ctcp VERSION) are for a client a person
    /// does not have: one line says what was asked; replies are not shown. IRC recipients get
    /// the CTCP as it was sent.
    @Test func ctcpReachesAPersonAsOneLineAndAnIRCClientAsItIs() throws {
        let server = try ServerProcess()
        let opp = try ircUser(server, nick: "opp")
        let other = try ircUser(server, nick: "other")
        let hum = try humanUser(server, nick: "hum")
        try opp.line("PRIVMSG hum :\u{1}VERSION\u{1}")
        let version = try hum.expect("-- opp sent you a CTCP VERSION request")
        #expect(!version.contains("*opp*"), "\(version)")
        try opp.line("PRIVMSG hum :\u{1}PING 1764333296 123\u{1}")
        try hum.expect("-- opp sent you a CTCP PING request")
        try opp.line("NOTICE hum :\u{1}VERSION irssi 1.4\u{1}")
        try opp.line("PRIVMSG hum :after")
        let between = try hum.expect("*opp* after")
        #expect(!between.contains("VERSION") && !between.contains("irssi"), "a CTCP reply is not shown: \(between)")
        try opp.line("PRIVMSG other :\u{1}VERSION\u{1}")
        try other.expect(":opp!opp@127.0.0.1 PRIVMSG other :\u{1}VERSION\u{1}")
    }

    @Test func controlCharactersAndEscapesNeverReachAnotherTerminal() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined")
        try alice.send(bytes: Array("evil \u{1B}[2J\u{1B}]0;pwned\u{07} bell\u{07} c1\u{9B}31m end\r\n".utf8))
        let got = try bob.expect("end")
        #expect(!got.contains("\u{1B}"))
        #expect(!got.contains("\u{07}"))
        #expect(!got.unicodeScalars.contains { $0.value == 0x9B })
        #expect(got.contains("evil"))
    }

    @Test func invalidUTF8IsRepaired() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined")
        try alice.send(bytes: Array("bad ".utf8) + [0xC3, 0x28, 0xFF] + Array(" bytes\r\n".utf8))
        let got = try bob.expect("bytes")
        #expect(got.contains("\u{FFFD}"))
    }

    @Test func telnetNegotiationIsAnsweredAndStripped() throws {
        let server = try ServerProcess()
        let bob = try humanUser(server, nick: "bob")
        let putty = try server.connect()
        // PuTTY's opening burst: WILL NAWS, WILL TSPEED, WILL TTYPE, WILL NEW-ENVIRON, DO ECHO, WILL SGA, DO SGA.
        try putty.send(bytes: [255, 251, 31, 255, 251, 32, 255, 251, 24, 255, 251, 39, 255, 253, 1, 255, 251, 3, 255, 253, 3])
        try putty.expect("nickname", timeout: 5)
        #expect(putty.text.isEmpty || true)
        // Character mode with a typo fixed by backspace, ended by CR NUL.
        try putty.send(bytes: Array("carox".utf8) + [8] + Array("l".utf8) + [13, 0])
        try putty.expect("You joined #lobby")
        try putty.send(bytes: Array("hi ".utf8) + [255, 241] + Array("there".utf8) + [13, 10])
        try bob.expect("<carol> hi there")
    }

    @Test func overlongLineIsRefusedAndTheUserStays() throws {
        let server = try ServerProcess()
        let alice = try humanUser(server, nick: "alice")
        let bob = try humanUser(server, nick: "bob")
        try alice.expect("bob joined")
        // 10 MB without a newline, then a normal line.
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<10 { try alice.send(bytes: chunk) }
        try alice.send("\r\nstill here\r\n")
        try alice.expect("too long", timeout: 20)
        try bob.expect("<alice> still here", timeout: 20)
        #expect(!bob.text.contains("xxxxxxxxxx"))
    }
}
