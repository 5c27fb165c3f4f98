import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct HumanDialectTests {
    @Test func twoTelnetUsersChat() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined #lobby")
        try alice.line("hello bob")
        let got = try await bob.expect("<alice> hello bob")
        #expect(got.contains("["), "messages carry a [HH:MM] timestamp: \(got)")
        try bob.line("hi alice")
        // No echo of one's own line: an echo would come before bob's answer, so everything
        // alice received since bob joined is bob's line alone.
        let aliceSaw = try await alice.expect("<bob> hi alice")
        #expect(!aliceSaw.contains("hello bob"), "\(aliceSaw)")
        #expect(aliceSaw.hasPrefix("[") && aliceSaw.hasSuffix("] <bob> hi alice\r\n")
                && aliceSaw.utf8.filter { $0 == 0x0A }.count == 1, "\(aliceSaw)")
    }

    @Test func greetingAsksForANicknameAndReasksWhenTakenOrInvalid() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        defer { withExtendedLifetime(alice) {} }
        let c = try server.connect()
        try await c.expect("nickname")
        try c.line("bad nick!")
        try await c.expect("nickname")
        try c.line("ALICE")
        try await c.expect("taken")
        try await c.expect("nickname")
        try c.line("carol")
        try await c.expect("You joined #lobby")
    }

    @Test func linesTypedAheadOfTheGreetingAreNotLost() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let eager = try server.connect()
        try eager.send("carol\r\nhello early\r\n/me is quick\r\n")
        try await bob.expect("<carol> hello early")
        try await bob.expect("* carol is quick")
        withExtendedLifetime(eager) {}
    }

    @Test func commandsPrivateMessageActionAndNickChange() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        try alice.line("/msg bob psst")
        try await bob.expect("*alice* psst")
        try alice.line("/me waves")
        try await bob.expect("* alice waves")
        try alice.line("/nick alicia")
        try await bob.expect("alice is now known as alicia")
        // Alice is told in the first person (she was shown "alice is now known as alicia").
        try await alice.expect("-- You are now known as alicia")
        try alice.line("//slash is literal")
        try await bob.expect("<alicia> /slash is literal")
        try alice.line("/frobnicate")
        try await alice.expect("/help")
        try alice.line("/help")
        try await alice.expect("/join")
        try bob.line("/who")
        try await bob.expect("alicia")
    }

    @Test func joinPartQuitNoticesAndTopic() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined #lobby")
        try bob.line("/join #rust")
        try await bob.expect("You joined #rust")
        try bob.line("/topic Rust and Swift")
        try await bob.expect("Rust and Swift")
        try alice.line("/join rust")
        try await alice.expect("Rust and Swift")
        try await bob.expect("alice joined #rust")
        try alice.line("/part #rust")
        try await bob.expect("alice left #rust")
        try alice.line("/quit see you")
        try await alice.expect("Goodbye")
        #expect(await alice.expectClosed())
        try await bob.expect("alice quit")
    }

    @Test func historyIsReplayedToNewcomers() async throws {
        let server = try await ServerProcess(["--history", "3"])
        let alice = try await humanUser(server, nick: "alice")
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined #lobby")
        for i in 1...5 { try alice.line("message \(i)") }
        // Once carol has the last one, the hub has stored all five.
        try await carol.expect("<alice> message 5")
        let bob = try server.connect()
        try await bob.expect("nickname")
        try bob.line("bob")
        // Everything bob received up to the last message: exactly the last three, in order.
        let arrival = try await bob.expect("<alice> message 5")
        let replayed = arrival.split(separator: "\r\n").compactMap { line in
            line.range(of: "] <alice> ").map { String(line[$0.upperBound...]) }
        }
        #expect(replayed == ["message 3", "message 4", "message 5"], "\(arrival)")
        let joined = try #require(arrival.range(of: "You joined #lobby"))
        let first = try #require(arrival.range(of: "<alice> message 3"), "\(arrival)")
        #expect(first.lowerBound > joined.upperBound, "history comes after the join")
    }

    /// `/join` of a channel one is already in makes it current again (docs/SERVER.md, /help).
    @Test func joiningAChannelAgainMakesItCurrent() async throws {
        let server = try await ServerProcess()
        let watcher = try await ircUser(server, nick: "watcher", join: "#lobby")
        try watcher.line("JOIN #rust")
        try await watcher.expect(" 366 watcher #rust ")
        let alice = try await humanUser(server, nick: "alice")
        try alice.line("/join #rust")
        try await alice.expect("-- You joined #rust")
        try alice.line("/join #lobby")
        try await alice.expect("-- #lobby is now your current channel")
        try alice.line("back in the lobby")
        try await watcher.expect(":alice!alice@127.0.0.1 PRIVMSG #lobby :back in the lobby")
        try alice.line("/join RUST")
        try await alice.expect("-- #rust is now your current channel")
        try alice.line("rust again")
        try await watcher.expect(":alice!alice@127.0.0.1 PRIVMSG #rust :rust again")
    }

    /// Kicked from (or leaving) the current channel, a person is told where their next line
    /// goes: it never lands in another channel unannounced.
    @Test func leavingTheCurrentChannelSaysWhereLinesGoNow() async throws {
        let server = try await ServerProcess()
        let opp = try await ircUser(server, nick: "opp", join: "#room")
        let lobby = try await ircUser(server, nick: "lobw", join: "#lobby")
        let hum = try await humanUser(server, nick: "hum")
        try hum.line("/join #room")
        try await hum.expect("-- You joined #room")
        try opp.line("KICK #room hum :out")
        try await hum.expect("You were kicked from #room by opp (out)")
        try await hum.expect("-- #lobby is now your current channel")
        try hum.line("where am I")
        try await lobby.expect(":hum!hum@127.0.0.1 PRIVMSG #lobby :where am I")
        try hum.line("/part")
        try await hum.expect("-- You are in no channel now; /join #channel to talk again.")
        try hum.line("anyone?")
        try await hum.expect("!! You are not in a channel.")
        #expect(await lobby.expectNothing("anyone?", timeout: 0.3))
    }

    /// CTCP queries from IRC clients (irssi's /ping, /ctcp VERSION) are for a client a person
    /// does not have: one line says what was asked; replies are not shown. IRC recipients get
    /// the CTCP as it was sent.
    @Test func ctcpReachesAPersonAsOneLineAndAnIRCClientAsItIs() async throws {
        let server = try await ServerProcess()
        let opp = try await ircUser(server, nick: "opp")
        let other = try await ircUser(server, nick: "other")
        let hum = try await humanUser(server, nick: "hum")
        try opp.line("PRIVMSG hum :\u{1}VERSION\u{1}")
        let version = try await hum.expect("-- opp sent you a CTCP VERSION request")
        #expect(!version.contains("*opp*"), "\(version)")
        try opp.line("PRIVMSG hum :\u{1}PING 1764333296 123\u{1}")
        try await hum.expect("-- opp sent you a CTCP PING request")
        try opp.line("NOTICE hum :\u{1}VERSION irssi 1.4\u{1}")
        try opp.line("PRIVMSG hum :after")
        let between = try await hum.expect("*opp* after")
        #expect(!between.contains("VERSION") && !between.contains("irssi"), "a CTCP reply is not shown: \(between)")
        try opp.line("PRIVMSG other :\u{1}VERSION\u{1}")
        try await other.expect(":opp!opp@127.0.0.1 PRIVMSG other :\u{1}VERSION\u{1}")
    }

    /// Telnet wants CR LF: every line a person receives ends so, none with a bare LF or CR,
    /// whatever produced it (banner, help, answers, errors, others' messages and notices).
    @Test func everyLineAPersonReceivesEndsInCRLF() async throws {
        let server = try await ServerProcess()
        let alice = try server.connect()
        alice.transcript = []
        try await alice.expect("nickname")
        try alice.line("bad nick!")
        try await alice.expect("can't be a nickname")
        try alice.line("alice")
        try await alice.expect("You joined #lobby")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try await alice.expect("bob joined #lobby")
        for (command, answer) in [("/help", "/help COMMAND"), ("/help join", "/join #channel:"), ("/frobnicate", "Unknown command"),
                                  ("/join #rust", "You joined #rust"), ("/join #lobby", "now your current channel"),
                                  ("/names", "In #lobby"), ("/who", "Who is in #lobby"), ("/whois bob", "bob has been idle"),
                                  ("/list", "#rust (1 user)"), ("/topic a topic", "You set the topic"), ("/topic", "The topic of #lobby"),
                                  ("/motd", "There is no message of the day"), ("/away brb", "marked as away"), ("/away", "no longer marked"),
                                  ("/msg nobody hi", "nobody called nobody"), ("/me waves", ""), ("/part #rust", "You left #rust"),
                                  ("/nick alicia", "You are now known as alicia"), ("/msg", "Usage: /msg")] {
            try alice.line(command)
            if !answer.isEmpty { try await alice.expect(answer) }
        }
        try alice.send(String(repeating: "x", count: 9000) + "\r\n")
        try await alice.expect("too long")
        try bob.line("PRIVMSG #lobby :hello")
        try await alice.expect("<bob> hello")
        try bob.line("PRIVMSG #lobby :\u{1}ACTION dances\u{1}")
        try await alice.expect("* bob dances")
        try bob.line("NOTICE alicia :a notice")
        try await alice.expect("-bob- a notice")
        try bob.line("PRIVMSG alicia :\u{1}VERSION\u{1}")
        try await alice.expect("CTCP VERSION request")
        try bob.line("PRIVMSG alicia :psst \u{2}bold\u{2}")
        try await alice.expect("*bob* psst bold")
        try bob.line("NICK robert")
        try await alice.expect("bob is now known as robert")
        try bob.line("QUIT :later")
        try await alice.expect("robert quit")
        try alice.line("/quit bye")
        #expect(await alice.expectClosed())
        let bytes = try #require(alice.transcript)
        #expect(bytes.count > 2000)
        for (i, b) in bytes.enumerated() {
            if b == 0x0A && (i == 0 || bytes[i - 1] != 0x0D) {
                Issue.record("bare LF at \(i): \(String(decoding: bytes[max(0, i - 60)...i], as: UTF8.self))")
                break
            }
            if b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A) {
                Issue.record("CR without LF at \(i): \(String(decoding: bytes[max(0, i - 60)...i], as: UTF8.self))")
                break
            }
        }
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("*** Goodbye!\r\n"))
    }

    @Test func controlCharactersAndEscapesNeverReachAnotherTerminal() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        try alice.send(bytes: Array("evil \u{1B}[2J\u{1B}]0;pwned\u{07} bell\u{07} c1\u{9B}31m end\r\n".utf8))
        let got = try await bob.expect("end")
        #expect(!got.contains("\u{1B}"))
        #expect(!got.contains("\u{07}"))
        #expect(!got.unicodeScalars.contains { $0.value == 0x9B })
        #expect(got.contains("evil"))
    }

    @Test func invalidUTF8IsRepaired() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        try alice.send(bytes: Array("bad ".utf8) + [0xC3, 0x28, 0xFF] + Array(" bytes\r\n".utf8))
        let got = try await bob.expect("bytes")
        #expect(got.contains("\u{FFFD}"))
    }

    @Test func telnetNegotiationIsAnsweredAndStripped() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let putty = try server.connect()
        putty.transcript = []
        // PuTTY's opening burst: WILL NAWS, WILL TSPEED, WILL TTYPE, WILL NEW-ENVIRON, DO ECHO, WILL SGA, DO SGA.
        try putty.send(bytes: [255, 251, 31, 255, 251, 32, 255, 251, 24, 255, 251, 39, 255, 253, 1, 255, 251, 3, 255, 253, 3])
        try await putty.expect("nickname", timeout: 5)
        // A telnet client (it negotiated before sending data) is offered character mode
        // first: WILL ECHO, WILL SGA, DO NAWS, DO TTYPE. Then its burst is answered in order:
        // TSPEED and NEW-ENVIRON refused once each, SB TTYPE SEND for its WILL TTYPE, DO SGA
        // for its WILL SGA; its WILL NAWS, DO ECHO and DO SGA answer our offer (no reply).
        // (Before issue 17 every option was refused and PuTTY stayed in line mode.)
        let received = try #require(putty.transcript)
        let expected: [UInt8] = [255, 251, 1, 255, 251, 3, 255, 253, 31, 255, 253, 24,
                                 255, 254, 32, 255, 250, 24, 1, 255, 240, 255, 254, 39, 255, 253, 3]
        #expect(Array(received.prefix(expected.count)) == expected, "\(received)")
        #expect(!received.dropFirst(expected.count).contains(255), "nothing else is telnet: \(received)")
        // Character mode with a typo fixed by backspace, ended by CR NUL.
        try putty.send(bytes: Array("carox".utf8) + [8] + Array("l".utf8) + [13, 0])
        try await putty.expect("You joined #lobby")
        try putty.send(bytes: Array("hi ".utf8) + [255, 241] + Array("there".utf8) + [13, 10])
        try await bob.expect("<carol> hi there")
    }

    @Test func overlongLineIsRefusedAndTheUserStays() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try await alice.expect("bob joined")
        // 10 MB without a newline, then a normal line.
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<10 { try alice.send(bytes: chunk) }
        try alice.send("\r\nstill here\r\n")
        try await alice.expect("too long", timeout: 20)
        try await bob.expect("<alice> still here", timeout: 20)
        #expect(!bob.text.contains("xxxxxxxxxx"))
    }
}
