import Foundation
import Testing
import TestSupport

/// WHO with WHOX, WHOIS and WHOWAS over the real server, for IRC clients and for people.
@Suite(.serialized) struct WhoDialectTests {
    @Test func whoxRepliesWithTheFieldsAskedAndTheServerSaysItSpeaksWhox() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try bob.line("AWAY :out")
        try await bob.expect(" 306 bob ")
        try alice.line("VERSION")
        try await alice.expect(" WHOX ")
        try alice.line("WHO bob %tcuihsnfdlaor,123")
        try await alice.expect(" 354 alice 123 * bob 127.0.0.1 127.0.0.1 test.server bob G 0 ")
        try await alice.expect(" 315 alice bob :End of /WHO list.")
        try alice.line("WHO #LOBBY %nf")
        try await alice.expect(" 354 alice alice :H@")
        try await alice.expect(" 354 alice bob :G")
        try await alice.expect(" 315 alice #LOBBY :")
        // The classic reply as before, and the `o` flag (no server operators yet).
        try alice.line("WHO bob")
        try await alice.expect(" 352 alice * bob 127.0.0.1 test.server bob G :0 Test User")
        try alice.line("WHO * o")
        let end = try await alice.expect(" 315 alice * :")
        #expect(!end.contains(" 352 "), "\(end)")
        try alice.line("WHO *User")
        try await alice.expect(" 352 alice * ")
        try await alice.expect(" 315 alice *User :")
    }

    @Test func whoisOfSeveralNicksEndsEachEvenAMissingOne() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#side")
        defer { withExtendedLifetime(bob) {} }
        try alice.line("WHOIS bob,nobody,BOB")
        try alice.line("PING :done")
        let replies = try await alice.expect("PONG test.server done")
        let codes = replies.split(separator: "\r\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count > 3 ? words[1] + " " + words[3] : nil
        }
        #expect(codes == ["311 bob", "319 bob", "312 bob", "317 bob", "318 bob", "401 nobody", "318 nobody", "PONG done"],
                "\(replies)")
        try alice.line("WHOIS test.server bob")
        try await alice.expect(" 311 alice bob bob 127.0.0.1 * :Test User")
        try alice.line("WHOIS elsewhere.net bob")
        try await alice.expect(" 402 alice elsewhere.net :No such server")
    }

    @Test func whowasTellsWhoLeftOrChangedNickToBothDialects() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob")
        try bob.line("QUIT :bye")
        #expect(await bob.expectClosed())
        let carol = try await ircUser(server, nick: "carol")
        try carol.line("NICK bob")
        try await carol.expect("NICK :bob")
        try carol.line("NICK dave")
        try await carol.expect("NICK :dave")
        try alice.line("WHOWAS bob")
        try await alice.expect(" 314 alice bob carol 127.0.0.1 * :Test User")
        try await alice.expect(" 312 alice bob test.server :")
        try await alice.expect(" 314 alice bob bob 127.0.0.1 * :Test User")
        try await alice.expect(" 312 alice bob test.server :")
        try await alice.expect(" 369 alice bob :End of WHOWAS")
        try alice.line("WHOWAS bob 1")
        let one = try await alice.expect(" 369 alice bob :")
        #expect(one.components(separatedBy: " 314 ").count == 2, "\(one)")
        try alice.line("WHOWAS zed")
        try await alice.expect(" 406 alice zed :There was no such nickname")
        try await alice.expect(" 369 alice zed :End of WHOWAS")
        try alice.line("WHOWAS")
        try await alice.expect(" 431 alice :No nickname given")

        let erin = try await humanUser(server, nick: "erin")
        try erin.line("/whowas bob")
        try await erin.expect("-- bob was carol@127.0.0.1 (Test User), until ")
        try await erin.expect("-- bob was bob@127.0.0.1 (Test User), until ")
        try erin.line("/whowas zed")
        try await erin.expect("-- Nobody called zed has been here lately")
        try erin.line("/whowas")
        try await erin.expect("!! Usage: /whowas NICK")
        try erin.line("/whois zed")
        try await erin.expect("!! There is nobody called zed here.")
        try erin.line("/help")
        try await erin.expect("/whowas NICK")
    }
}
