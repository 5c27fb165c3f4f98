import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The order a client can trust, over TCP against the real server (docs/PROTOCOL.md,
/// "Ordering"): what a line means does not depend on how fast the hub answers the lines before
/// it, and replies come in the order of the commands. Each test sends everything in one write,
/// the timing that broke it, and asserts orders, not timings.
@Suite(.serialized) struct OrderingTests {
    /// Where `needles` are in `text`, in order; a failure names the first one out of place.
    static func expectInOrder(_ text: String, _ needles: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var from = text.startIndex
        for needle in needles {
            guard let r = text.range(of: needle, range: from..<text.endIndex) else {
                Issue.record("'\(needle)' missing or out of order in:\n\(text)", sourceLocation: sourceLocation)
                return
            }
            from = r.upperBound
        }
    }

    @Test func aLineAfterAJoinInTheSameWriteGoesToTheNewChannelNeverTheOld() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#private")
        let dave = try await ircUser(server, nick: "dave", join: "#lobby")
        let bob = try await humanUser(server, nick: "bob")
        try bob.send("/join #private\r\nsecret line\r\n/join #lobby\r\nafter\r\n")
        try await alice.expect("PRIVMSG #private :secret line")
        // Bob's lines reach #lobby in the order he sent them: had the secret gone there, dave
        // would have it before "after".
        let lobby = try await dave.expect("PRIVMSG #lobby :after")
        #expect(!lobby.contains("secret"), "leaked to #lobby:\n\(lobby)")
    }

    @Test func topicAfterAJoinSetsTheNewChannelsTopic() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        try alice.line("JOIN #new")
        try await alice.expect(" 366 alice #new ")
        let bob = try await humanUser(server, nick: "bob")
        try bob.send("/join #new\r\n/topic fresh\r\n")
        let topic = try await alice.expectAny(["TOPIC #new :fresh", "TOPIC #lobby :fresh"])
        #expect(topic.contains("TOPIC #new :fresh"), "the topic went elsewhere:\n\(topic)")
    }

    @Test func aPastedConversationKeepsItsOrderAcrossChannels() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#a")
        try alice.line("JOIN #b,#lobby")
        try await alice.expect(" 366 alice #lobby ")
        let bob = try await humanUser(server, nick: "bob")
        try bob.send("/join #a\r\none\r\n/join #b\r\ntwo\r\n/part\r\nthree\r\n/topic four\r\n")
        let seen = try await alice.expect("TOPIC #a :four")
        Self.expectInOrder(seen, ["PRIVMSG #a :one", "PRIVMSG #b :two", "PART #b", "PRIVMSG #a :three"])
        #expect(!seen.contains("PRIVMSG #lobby"))
    }

    @Test func floodControlAndWaitingLoseAndReorderNothing() async throws {
        let server = try await ServerProcess(["--flood-burst", "3", "--flood-rate", "40"])
        let alice = try await ircUser(server, nick: "alice", join: "#a")
        try alice.line("JOIN #lobby")
        try await alice.expect(" 366 alice #lobby ")
        let bob = try await humanUser(server, nick: "bob")
        let first = (1...6).map { "line \($0)" }, second = (7...12).map { "line \($0)" }
        try bob.send((["/join #a"] + first + ["/part"] + second).map { $0 + "\r\n" }.joined())
        let seen = try await alice.expect("PRIVMSG #lobby :line 12")
        Self.expectInOrder(seen, first.map { "PRIVMSG #a :\($0)" } + ["PART #a"] + second.map { "PRIVMSG #lobby :\($0)" })
    }

    @Test func repliesComeInTheOrderOfTheCommandsPingIncluded() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        try alice.send("NAMES #lobby\r\nWHOIS alice\r\nPING :tok\r\n")
        Self.expectInOrder(try await alice.expect("PONG"), [" 353 ", " 366 ", " 311 ", " 318 "])
        try alice.send("JOIN #b\r\nTOPIC #b\r\nWHO #b\r\nLIST\r\nLUSERS\r\nMOTD\r\nPART #b\r\nVERSION\r\nPING :two\r\n")
        Self.expectInOrder(try await alice.expect("PONG test.server two"),
                           [" 366 alice #b ", " 331 ", " 315 ", " 323 ", " 251 ", " 422 ", "PART #b", " 351 "])
        // Errors the session finds itself come in their place too.
        try alice.send("NAMES #lobby\r\nFROB\r\nJOIN\r\nPING :three\r\n")
        Self.expectInOrder(try await alice.expect("PONG test.server three"), [" 366 alice #lobby ", " 421 ", " 461 "])
    }

    @Test func theQuitIsAnnouncedBeforeTheQuitterIsToldGoodbye() async throws {
        let server = try await ServerProcess()
        let member = try await ircUser(server, nick: "member", join: "#lobby")
        let quitter = try await ircUser(server, nick: "quitter", join: "#lobby")
        let person = try await humanUser(server, nick: "person")
        try await member.expect("person!")
        // With the hub stopped nobody can have heard of the quits: neither quitter may be told
        // goodbye yet (before the fix the session said it at once).
        kill(server.pid, SIGSTOP)
        var stopped = true
        defer { if stopped { kill(server.pid, SIGCONT) } }
        try quitter.line("QUIT :bye")
        try person.line("/quit gone")
        let early = await quitter.waitFor("ERROR", timeout: 1.5)
        let earlyPerson = await person.waitFor("Goodbye", timeout: 0.2)
        kill(server.pid, SIGCONT)
        stopped = false
        #expect(!early, "ERROR came before the hub had the quit")
        #expect(!earlyPerson, "the goodbye came before the hub had the quit")
        try await quitter.expect("ERROR :Closing Link: Quit: bye")
        try await person.expect("*** Goodbye!")
        // Told goodbye, so the hub has announced both quits: they are ahead of any answer the
        // member gets from now on.
        try member.line("ISON quitter person")
        let seen = try await member.expect(" 303 member :")
        #expect(seen.contains(":quitter!") && seen.contains("QUIT :Quit: bye"))
        #expect(seen.contains(":person!") && seen.contains("QUIT :Quit: gone"))
        #expect(seen.hasSuffix(" 303 member :\r\n"), "still online after their goodbye:\n\(seen)")
    }

    @Test func aSessionWaitingForTheHubStillTimesOut() async throws {
        let server = try await ServerProcess(["--registration-timeout", "2"])
        let before = server.sessionPIDs().count
        let client = try server.connect()
        try client.send("NICK slow\r\n")  // an IRC client, whenever its session starts
        #expect(await waitUntil(timeout: 10) { server.sessionPIDs().count > before })
        // The hub stopped, the PING waits for the registration's answer, which cannot come;
        // the registration timeout still ends the session.
        kill(server.pid, SIGSTOP)
        defer { kill(server.pid, SIGCONT) }
        try client.send("USER slow 0 * :Slow\r\nPING :x\r\n")
        let said = try await client.expect("Registration timeout")
        #expect(!said.contains("PONG"))
    }

    @Test func aSessionWaitingForTheHubStillEndsWhenItsClientHangsUp() async throws {
        let server = try await ServerProcess()
        let before = Set(server.sessionPIDs())
        let bob = try await humanUser(server, nick: "bob")
        let session = try #require(Set(server.sessionPIDs()).subtracting(before).first { Proc.name(of: $0) == "chat-session" })
        // The hub stopped, bob's line after /join waits for an answer that cannot come; his
        // hang-up still ends the session (it exits and waits, a zombie, for the hub to reap it).
        kill(server.pid, SIGSTOP)
        defer { kill(server.pid, SIGCONT) }
        try bob.send("/join #x\r\nhello\r\n")
        bob.close()
        let ended = await waitUntil(timeout: 10) {
            let stat = (try? String(contentsOfFile: "/proc/\(session)/stat", encoding: .utf8)) ?? ""
            return stat.isEmpty || stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
        #expect(ended, "the session of a client that hung up is still running")
    }
}
