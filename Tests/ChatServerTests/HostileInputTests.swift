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

    /// Invalid UTF-8 never reaches anyone raw. From an IRC client it is refused with
    /// `FAIL PRIVMSG INVALID_UTF8` (the server advertises UTF8ONLY); from a person's terminal
    /// (Latin-1 and the like) it arrives repaired.
    @Test func invalidUTF8IsRefusedFromIRCAndRepairedFromTelnet() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "a", join: "#lobby")
        let b = try await ircUser(server, nick: "b", join: "#lobby")
        try await a.expect("JOIN #lobby")
        // An overlong encoding of '/' and a lone continuation byte.
        try b.send(bytes: Array("PRIVMSG #lobby :x".utf8) + [0xC0, 0xAF, 0x80] + Array("y\r\n".utf8))
        try await b.expect(":test.server FAIL PRIVMSG INVALID_UTF8 :")
        try b.line("PRIVMSG #lobby :after")
        let got = try await a.expect("PRIVMSG #lobby :after")
        #expect(!got.contains(":x"), "the refused line was not relayed")
        let person = try await humanUser(server, nick: "carol")
        try await a.expect("JOIN #lobby")
        try person.send(bytes: Array("x".utf8) + [0xC0, 0xAF, 0x80] + Array("y\r\n".utf8))
        let repaired = try await a.expect("PRIVMSG #lobby :x")
        #expect(repaired.contains("x\u{FFFD}\u{FFFD}\u{FFFD}y"))
        #expect(!repaired.contains("/"))
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

    /// Hostile text in every request either dialect can make (messages, CTCP, actions,
    /// notices, topics, away messages, nicks, user and real names, channel names, WHO and
    /// WHOIS masks, mode arguments, part, kick and quit reasons): nothing another user
    /// receives in either dialect, nothing the operator's console shows (`who`, `channels`,
    /// `stats`) and no line of the server's log carries a control, format (bidi, zero-width)
    /// or separator character, whatever the attacker's own replies are.
    @Test func hostileTextInEveryRequestReachesNobodyUnsafe() async throws {
        // Flood control off: the attackers send a few hundred lines at once.
        let server = try await ServerProcess(["--log-level", "debug", "--flood-rate", "0"], logFile: true)
        let console = try await ControlClient(server)
        let watcher = try await ircUser(server, nick: "watcher", join: "#lobby")
        let person = try await humanUser(server, nick: "person")
        let victim = try await ircUser(server, nick: "victim", join: "#lobby")
        watcher.transcript = []
        person.transcript = []
        victim.transcript = []

        let hostile = [
            "\u{1B}[2J\u{1B}[H", "\u{1B}]0;owned\u{7}", "\u{1B}]52;c;aGk=\u{7}", "\u{9B}31m", "\u{202E}desrever",
            "line\u{2028}sep", "para\u{2029}sep", "zero\u{200B}width", "bom\u{FEFF}", "bell\u{7}", "nul\u{0}del\u{7F}",
            "\u{85}nel\u{9D}0;t\u{9C}", "nb\u{A0}sp\u{3000}", "\u{2066}iso\u{2069}\u{200E}",
        ]
        let all = hostile.joined()

        // The IRC attacker registers with hostile user and real names, then tries everything.
        let evil = try UserConnection(port: server.port)
        // (An IRC line with a NUL is refused whole, so the names carry everything else.)
        let allButNUL = hostile.filter { !$0.contains("\u{0}") }.joined()
        try evil.line("USER e\(allButNUL) 0 * :real \(allButNUL)")
        for h in hostile { try evil.line("NICK evil\(h)") }
        try evil.line("NICK evil")
        try await evil.expect(" 001 evil ")
        try evil.line("JOIN #lobby")
        try await evil.expect(" 366 evil #lobby ")
        for h in hostile {
            for line in [
                "PRIVMSG #lobby :say \(h)", "NOTICE #lobby :note \(h)", "PRIVMSG #lobby :\u{1}ACTION acts \(h)\u{1}",
                "PRIVMSG watcher :private \(h)", "PRIVMSG watcher :\u{1}VERSION \(h)\u{1}", "PRIVMSG person :private \(h)",
                "TOPIC #lobby :topic \(h)", "AWAY :away \(h)", "JOIN #x\(h)", "JOIN #ok", "PART #ok :part \(h)",
                "PART #x\(h) :part \(h)", "NAMES #x\(h)", "WHO x\(h)*", "WHO #x\(h)", "WHOIS x\(h)", "WHOIS watcher",
                "MODE #lobby +o x\(h)", "MODE #lobby +\(h)", "MODE x\(h)", "MODE #x\(h)", "TOPIC #x\(h)", "KICK #x\(h) victim :\(h)",
                "KICK #lobby x\(h) :\(h)", "ISON x\(h) watcher", "USERHOST x\(h) watcher", "PRIVMSG #x\(h) :lost \(h)",
                "PRIVMSG x\(h) :lost \(h)", "LIST",
            ] { try evil.line(line) }
            // Read the replies, as a client does, so that its send queue never overflows.
            try await evil.expect(" 323 evil ")
        }
        try evil.line("WHOIS evil")
        try evil.line("WHO #lobby")
        try evil.line("KICK #lobby victim :kicked \(allButNUL)")
        try evil.line("PRIVMSG #lobby :irc attacker done")
        try await watcher.expect("irc attacker done")

        // The telnet attacker, with the commands a person has.
        let mallory = try server.connect()
        try await mallory.expect("nickname")
        for h in hostile { try mallory.line("mal\(h)") }
        try mallory.line("mallory")
        try await mallory.expect("You joined #lobby")
        for h in hostile {
            for line in [
                "say \(h)", "/me acts \(h)", "/msg watcher private \(h)", "/notice watcher note \(h)", "/topic topic \(h)",
                "/away away \(h)", "/back", "/nick mal\(h)", "/join #x\(h)", "/whois x\(h)", "/who x\(h)", "/msg x\(h) lost",
                "/join #ok", "/part #ok part \(h)", "/part #x\(h) part \(h)", "/names", "/list",
            ] { try mallory.line(line) }
        }
        try mallory.line("/msg #lobby telnet attacker done")
        try await watcher.expect("telnet attacker done")

        // What the operator sees of them.
        var shown: [String] = []
        for command in ["who", "channels", "stats", "who evil", "who *"] { shown.append(try await console.ok(command)) }

        try mallory.line("/quit bye \(all)")
        try evil.line("QUIT :bye \(allButNUL)")
        // Both quits, in whichever order the hub took them.
        let quits = try await watcher.expect(" QUIT :") + watcher.expect(" QUIT :")
        #expect(quits.contains(":mallory!") && quits.contains(":evil!"), "\(quits)")
        #expect(await mallory.expectClosed())
        #expect(await evil.expectClosed())
        try watcher.line("PRIVMSG #lobby :the end")
        try watcher.line("PRIVMSG victim :the end")
        try await person.expect("the end")
        try await victim.expect("the end")
        await watcher.drain()
        try await server.waitForLog("ended")

        func check(_ name: String, _ bytes: [UInt8]?, irc: Bool) {
            #expect(!(bytes ?? []).isEmpty, "\(name) received nothing")
            // Lines by their bytes: as Characters, CR LF is one and U+2028 would end a line.
            for line in (bytes ?? []).split(separator: 0x0A) {
                let l = String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
                let found = UnsafeText.findings(in: l, allowingIRCFormatting: irc)
                #expect(found.isEmpty, "\(name) received \(found): \(l.debugDescription)")
            }
        }
        check("the IRC watcher", watcher.transcript, irc: true)
        check("the IRC victim", victim.transcript, irc: true)
        check("the telnet user", person.transcript, irc: false)
        for (i, text) in shown.enumerated() {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !UnsafeText.isSafe(String(line)) {
                Issue.record("the console shows \(UnsafeText.findings(in: String(line))) (command \(i)): \(line.debugDescription)")
            }
        }
        let log = Array(server.log.utf8)
        #expect(!log.isEmpty)
        for bytes in log.split(separator: 0x0A) {
            let line = String(decoding: bytes, as: UTF8.self)
            guard !UnsafeText.isSafe(line) else { continue }
            Issue.record("the log has \(UnsafeText.findings(in: line)): \(line.debugDescription)")
        }
    }
}
