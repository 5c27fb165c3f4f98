import ChatProtocol
import Foundation
import Testing
import TestSupport

/// IRCv3 through the real server over TCP: capabilities negotiated, then echo-message,
/// message-tags (msgid, client-only tags, TAGMSG), labeled-response, away-notify,
/// extended-join and setname, between IRC clients with and without them and a telnet user.
@Suite(.serialized) struct IRCv3Tests {
    /// The last line of what `expect` returned (it returns everything up to the match).
    func lastLine(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
    }

    /// An IRC user that enabled `caps` before registering, in `#v3`.
    func capUser(_ server: ServerProcess, nick: String, caps: String) async throws -> UserConnection {
        let c = try UserConnection(port: server.port)
        try c.line("CAP LS 302")
        try await c.expect("CAP * LS :")
        try c.line("CAP REQ :\(caps)")
        try await c.expect("CAP * ACK")
        try c.line("NICK \(nick)")
        try c.line("USER \(nick) 0 * :Real \(nick)")
        try c.line("CAP END")
        try await c.expectAny([" 376 \(nick) ", " 422 \(nick) "])
        try c.line("JOIN #v3")
        try await c.expect(" 366 \(nick) #v3 ")
        return c
    }

    @Test func tagsEchoAndTagmsgReachThoseWhoAskedAndNobodyElse() async throws {
        let server = try await ServerProcess()
        let alice = try await capUser(server, nick: "alice", caps: "message-tags echo-message server-time")
        let bob = try await capUser(server, nick: "bob", caps: "message-tags extended-join")
        let carol = try await ircUser(server, nick: "carol", join: "#v3")
        try await bob.expect(":carol!carol@127.0.0.1 JOIN #v3 * :Test User")
        try await alice.expect(":carol!carol@127.0.0.1 JOIN #v3\r\n")
        let telnet = try await humanUser(server, nick: "tina")
        try telnet.line("/join #v3")
        try await telnet.expect("You joined #v3")
        try alice.line("@+draft/reply=abc;+typing=done;fizz=buzz PRIVMSG #v3 :hello")
        let echo = lastLine(try await alice.expect("PRIVMSG #v3 :hello"))
        let relayed = lastLine(try await bob.expect("PRIVMSG #v3 :hello"))
        let msgid = try #require(relayed.firstMatch(of: /msgid=([0-9a-f]+)/)?.1)
        #expect(relayed.hasPrefix("@msgid=\(msgid);+draft/reply=abc;+typing=done :alice!"), "\(relayed)")
        #expect(echo.contains("msgid=\(msgid)") && echo.contains("+draft/reply=abc") && echo.contains("time="), "\(echo)")
        #expect(!relayed.contains("fizz"))
        let plain = lastLine(try await carol.expect("PRIVMSG #v3 :hello"))
        #expect(plain.hasPrefix(":alice!"), "no tags for a client without message-tags: \(plain)")
        try await telnet.expect("<alice> hello")
        // TAGMSG: to bob and back to alice; carol and the telnet user see nothing of it.
        try alice.line("@+typing=active TAGMSG #v3")
        try await bob.expect("+typing=active :alice!alice@127.0.0.1 TAGMSG #v3")
        try await alice.expect("TAGMSG #v3")
        try alice.line("PRIVMSG #v3 :after the tagmsg")
        try await carol.expect("PRIVMSG #v3 :after the tagmsg")
        try await telnet.expect("<alice> after the tagmsg")
        #expect(!carol.text.contains("TAGMSG") && !telnet.text.contains("typing"))
        // A telnet user's message reaches IRC clients with an id and no echo for the others.
        try telnet.line("from the terminal")
        let fromTelnet = lastLine(try await bob.expect("PRIVMSG #v3 :from the terminal"))
        #expect(fromTelnet.hasPrefix("@msgid="), "\(fromTelnet)")
        try await carol.expect(":tina!")
        #expect(await bob.expectNothing("PRIVMSG #v3 :hello"))
    }

    @Test func labeledResponseAwayNotifyAndSetname() async throws {
        let server = try await ServerProcess()
        let alice = try await capUser(server, nick: "alice", caps: "batch labeled-response away-notify setname")
        let bob = try await capUser(server, nick: "bob", caps: "setname")
        try alice.line("@label=w1 WHOIS bob")
        #expect(lastLine(try await alice.expect("BATCH +")).hasPrefix("@label=w1 :"))
        #expect(lastLine(try await alice.expect(" 318 alice bob ")).hasPrefix("@batch="))
        try await alice.expect("BATCH -")
        try alice.line("@label=p1 PING tok")
        #expect(lastLine(try await alice.expect(" PONG ")).hasPrefix("@label=p1 :"))
        try bob.line("AWAY :lunch")
        try await alice.expect(":bob!bob@127.0.0.1 AWAY :lunch")
        try bob.line("SETNAME :Robert Tables")
        try await bob.expect(":bob!bob@127.0.0.1 SETNAME :Robert Tables")
        try await alice.expect(":bob!bob@127.0.0.1 SETNAME :Robert Tables")
        try bob.line("SETNAME :")
        try await bob.expect("FAIL SETNAME INVALID_REALNAME :")
        try alice.line("WHOIS bob")
        try await alice.expect(" 311 alice bob bob 127.0.0.1 * :Robert Tables")
    }
}
