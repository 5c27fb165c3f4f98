import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct IRCDialectTests {
    @Test func registrationSendsWelcomeISupportAndMOTD() async throws {
        let server = try await ServerProcess()
        let c = try server.connect()
        try c.line("CAP LS 302")
        try await c.expect("CAP * LS")
        try c.line("NICK alice")
        try c.line("USER alice 0 * :Alice")
        #expect(await c.expectNothing(" 001 ", timeout: 0.5), "registration waits for CAP END")
        try c.line("CAP REQ :server-time")
        try await c.expect("ACK")
        try c.line("CAP END")
        try await c.expect(" 001 alice :Welcome")
        try await c.expect(" 002 alice ")
        try await c.expect(" 003 alice ")
        try await c.expect(" 004 alice test.server ")
        try await c.expect(" 005 alice ")
        try await c.expectAny([" 376 alice ", " 422 alice "])
        try c.line("PING :token123")
        try await c.expect("PONG test.server token123")
    }

    @Test func irssiStyleBogusJoinBeforeRegistrationGets451() async throws {
        let server = try await ServerProcess()
        let c = try server.connect()
        try c.line("CAP LS 302")
        try c.line("JOIN :")
        try await c.expect(" 451 ")
    }

    @Test func malformedLinesGetAClearErrorAndTheConnectionGoesOn() async throws {
        let server = try await ServerProcess()
        let c = try await ircUser(server, nick: "alice", join: "#lobby")
        try c.line("PRIV!MSG #lobby :hi")
        try await c.expect(" 421 alice PRIV!MSG :Unknown command")
        try c.line("@=x FOO")
        try await c.expect(" 421 alice * :Malformed line: tag without a key")
        try c.line(":")
        try await c.expect(" 421 alice * :Malformed line: empty source after ':'")
        try c.line(":alice!a@b")
        try await c.expect(" 421 alice * :Malformed line: missing command")
        try c.send(bytes: Array("PRIVMSG #lobby :a".utf8) + [0] + Array("b\r\n".utf8))
        try await c.expect(" 421 alice * :Malformed line: forbidden byte 0x00 in line")
        try c.line("PRIVMSG #lobby :" + String(repeating: "x", count: 600))
        try await c.expect(" 417 alice :Input line was too long")
        try c.line("@" + String(repeating: "k", count: 9000) + " PING x")
        try await c.expect(" 417 alice :Input line was too long")
        // A blank line is a keepalive for some clients: no answer. The connection still works.
        try c.line("")
        try c.line("PING :still-here")
        let reply = try await c.expect("PONG test.server still-here")
        #expect(!reply.contains(" 421 "), "\(reply)")
    }

    @Test func aRefusedNickIsEchoedSafely() async throws {
        let server = try await ServerProcess()
        let c = try server.connect()
        try c.line("NICK \u{1B}[2Jbob")
        try c.line("USER bob 0 * :Bob")
        let reply = try await c.expect(" 432 ")
        #expect(reply.contains(" 432 * bob :Erroneous nickname"), "\(reply)")
        #expect(!reply.contains("\u{1B}"))
        try c.line("NICK :two words")
        try await c.expect(" 432 * two_words :Erroneous nickname")
        // The reason is said: reserved, too long.
        try c.line("NICK root")
        try await c.expect(" 432 * root :Nickname is reserved")
        try c.line("NICK " + String(repeating: "a", count: 31))
        try await c.expect(" 432 * \(String(repeating: "a", count: 31)) :Nickname too long (at most 30 characters)")
        // And for a person.
        let hum = try server.connect()
        try await hum.expect("nickname")
        try hum.line("root")
        try await hum.expect("!! The nickname root is reserved, choose another.")
        try hum.line(String(repeating: "b", count: 31))
        try await hum.expect("is too long for a nickname (at most 30 characters).")
    }

    @Test func modeOnSomeoneElseOrNobody() async throws {
        let server = try await ServerProcess()
        let other = try await ircUser(server, nick: "other")
        defer { withExtendedLifetime(other) {} }
        let me = try await ircUser(server, nick: "me")
        try me.line("MODE other +i")
        try await me.expect(" 502 me :Can't change mode for other users")
        try me.line("MODE nosuch")
        try await me.expect(" 401 me nosuch :No such nick/channel")
        try me.line("MODE #nochan")
        try await me.expect(" 403 me #nochan :No such channel")
    }

    @Test func ircAndTelnetUsersShareAChannel() async throws {
        let server = try await ServerProcess()
        let irc = try await ircUser(server, nick: "ircuser", join: "#lobby")
        let human = try await humanUser(server, nick: "human")
        try await irc.expect(":human!")
        try human.line("hello irc")
        try await irc.expect("PRIVMSG #lobby :hello irc")
        try irc.line("PRIVMSG #lobby :hello human")
        try await human.expect("<ircuser> hello human")
        try irc.line("PRIVMSG #lobby :\u{1}ACTION dances\u{1}")
        try await human.expect("* ircuser dances")
        // The same NAMES for both.
        try irc.line("NAMES #lobby")
        let names = try await irc.expect(" 353 ircuser ")
        #expect(names.contains("@ircuser") && names.contains("human"))
        try human.line("/names")
        let humanNames = try await human.expect("ircuser")
        #expect(humanNames.contains("human"))
    }

    @Test func nickCollisionGets433() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice")
        defer { withExtendedLifetime(alice) {} }
        let c = try server.connect()
        try c.line("NICK Alice")
        try c.line("USER a 0 * :A")
        try await c.expect(" 433 ")
        try c.line("NICK alice2")
        try await c.expect(" 001 alice2 ")
    }

    @Test func privateMessagesWhoWhoisTopicKickAway() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice", join: "#dev")
        let b = try await ircUser(server, nick: "bob", join: "#dev")
        try await a.expect(":bob!")
        try a.line("PRIVMSG bob :secret")
        try await b.expect(":alice!alice@127.0.0.1 PRIVMSG bob :secret")
        try a.line("TOPIC #dev :the topic")
        try await b.expect("TOPIC #dev :the topic")
        try b.line("WHO #dev")
        let who = try await b.expect(" 315 bob ")
        #expect(who.contains(" 352 bob #dev alice 127.0.0.1 ") && who.contains("H@"))
        try b.line("WHOIS alice")
        try await b.expect(" 311 bob alice alice 127.0.0.1 ")
        try await b.expect(" 318 bob alice ")
        try b.line("AWAY :lunch")
        try await b.expect(" 306 bob ")
        try a.line("PRIVMSG bob :you there?")
        try await a.expect(" 301 alice bob :lunch")
        try b.line("KICK #dev alice")
        try await b.expect(" 482 bob #dev ")
        try a.line("KICK #dev bob :bye bob")
        try await b.expect("KICK #dev bob :bye bob")
        try b.line("PRIVMSG #dev :can I?")
        try await b.expect(" 404 bob #dev ")
        try a.line("MODE #dev")
        try await a.expect(" 324 alice #dev +n")
        try a.line("MODE alice")
        try await a.expect(" 221 alice :+")
        try a.line("MODE alice +i")
        try await a.expect(":alice MODE alice :+i")
        try a.line("MODE alice +x")
        try await a.expect(" 501 alice ")
        try a.line("QUIT :done")
        try await a.expect("ERROR :Closing Link")
        #expect(await a.expectClosed())
    }

    @Test func partAndQuitReachChannelMembers() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice", join: "#x")
        let b = try await ircUser(server, nick: "bob", join: "#x")
        try await a.expect("JOIN #x")
        try b.line("PART #x :later")
        try await a.expect(":bob!bob@127.0.0.1 PART #x :later")
        try b.line("JOIN #x")
        try await a.expect(":bob!bob@127.0.0.1 JOIN #x")
        try b.line("QUIT :gone")
        try await a.expect(":bob!bob@127.0.0.1 QUIT :Quit: gone")
    }

    @Test func serverTimeTagsWhenNegotiated() async throws {
        let server = try await ServerProcess()
        let a = try server.connect()
        try a.line("CAP LS 302")
        try a.line("CAP REQ :server-time")
        try a.line("NICK alice")
        try a.line("USER alice 0 * :A")
        try a.line("CAP END")
        try await a.expectAny([" 376 alice ", " 422 alice "])
        try a.line("JOIN #t")
        try await a.expect(" 366 alice #t ")
        let b = try await ircUser(server, nick: "bob", join: "#t")
        try b.line("PRIVMSG #t :timed")
        let got = try await a.expect("PRIVMSG #t :timed")
        #expect(got.contains("@time=20"))
    }
}

/// Commands real clients send on their own (irssi and WeeChat: LUSERS and VERSION after
/// connecting, ISON and USERHOST for notify lists), and numerics as modern.ircdocs.horse has them.
@Suite(.serialized) struct IRCServerQueryTests {
    @Test func lusersVersionIsonAndUserhost() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice", join: "#dev")
        let b = try await ircUser(server, nick: "Bob")
        try a.line("LUSERS")
        try await a.expect(" 251 alice :There are 2 users and 0 invisible on 1 servers")
        try await a.expect(" 254 alice 1 :channels formed")
        try await a.expect(" 255 alice :I have 2 clients and 0 servers")
        try a.line("VERSION")
        try await a.expect(" 351 alice chat-server-0.1.0 test.server :chat-server")
        let isupport = try await a.expect(" 005 alice ")
        #expect(isupport.contains(" CHANTYPES=# ") && isupport.contains(" MAXTARGETS=4 "), "ISUPPORT again after 351: \(isupport)")
        // ISON as irssi sends it (one parameter) and as the RFC has it (one each).
        try a.line("ISON :bob nobody ALICE")
        try await a.expect(" 303 alice :Bob alice")
        try a.line("ISON nobody else")
        try await a.expect(" 303 alice :")
        try a.line("ISON")
        try await a.expect(" 461 alice ISON :Not enough parameters")
        try a.line("USERHOST bob nobody")
        try await a.expect(" 302 alice :Bob=+Bob@127.0.0.1")
        try b.line("AWAY :lunch")
        try await b.expect(" 306 Bob ")
        try a.line("USERHOST alice bob")
        try await a.expect(" 302 alice :alice=+alice@127.0.0.1 Bob=-Bob@127.0.0.1")
        try a.line("USERHOST")
        try await a.expect(" 461 alice USERHOST :Not enough parameters")
    }

    @Test func passAfterRegistrationPingWithoutTokenAndNamesInNoChannel() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice")
        try a.line("PASS secret")
        try await a.expect(" 462 alice :You may not reregister")
        try a.line("PING")
        try await a.expect(" 409 alice :No origin specified")
        try a.line("PING :")
        try await a.expect(" 409 alice :No origin specified")
        try a.line("NAMES")
        try await a.expect(" 366 alice * :End of /NAMES list.")
        // Before registration PASS is accepted (there is no password) and PING answered.
        let c = try server.connect()
        try c.line("PASS whatever")
        try c.line("PING")
        try await c.expect(" 409 * :No origin specified")
        try c.line("NICK carol")
        try c.line("USER carol 0 * :C")
        try await c.expect(" 001 carol ")
    }

    @Test func moreThanMaxTargetsGets407ForTheRest() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice")
        let b = try await ircUser(server, nick: "bob")
        try a.line("PRIVMSG n1,n2,n3,bob,n5,n6 :hi all")
        try await b.expect(":alice!alice@127.0.0.1 PRIVMSG bob :hi all")
        // The hub answers in order: once it has refused "sync", it has seen all the above.
        try a.line("PRIVMSG sync :x")
        let replies = try await a.expect(" 401 alice sync ")
        for n in ["n1", "n2", "n3"] { #expect(replies.contains(" 401 alice \(n) :No such nick/channel"), "\(replies)") }
        #expect(replies.contains(" 407 alice n5 :Too many recipients"), "\(replies)")
        #expect(!replies.contains(" n5 :No such") && !replies.contains(" n6 "), "n5 and n6 were not sent: \(replies)")
    }

    /// PREFIX=(o)@ is advertised, so an operator can give and take it (irssi's /op, /deop).
    @Test func channelOperatorsGiveAndTakeOperatorStatus() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice", join: "#dev")
        let b = try await ircUser(server, nick: "bob", join: "#dev")
        let hum = try await humanUser(server, nick: "hum")
        try hum.line("/join #dev")
        try await hum.expect("You joined #dev")
        try await a.expect(":hum!")
        try b.line("MODE #dev +o bob")
        try await b.expect(" 482 bob #dev :You're not channel operator")
        try a.line("MODE #dev +o bob")
        try await a.expect(":alice!alice@127.0.0.1 MODE #dev +o bob")
        try await b.expect(":alice!alice@127.0.0.1 MODE #dev +o bob")
        try await hum.expect("-- alice made bob an operator of #dev")
        try b.line("NAMES #dev")
        let names = try await b.expect(" 353 bob = #dev ")
        #expect(names.contains("@alice") && names.contains("@bob") && names.contains(" hum"), "\(names)")
        try b.line("MODE #dev -o alice")
        try await a.expect(":bob!bob@127.0.0.1 MODE #dev -o alice")
        try await hum.expect("-- bob removed alice as an operator of #dev")
        try a.line("KICK #dev hum")
        try await a.expect(" 482 alice #dev ")
        try b.line("MODE #dev +o nobody")
        try await b.expect(" 401 bob nobody ")
    }
}

/// Commands and errors that worked before, now covered over TCP.
@Suite(.serialized) struct IRCCommandCoverageTests {
    @Test func commaListsNoticesAndANickChangeSeenByOthers() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice")
        let b = try await ircUser(server, nick: "bob", join: "#a")
        let hum = try await humanUser(server, nick: "hum")
        try hum.line("/join #a")
        try await hum.expect("You joined #a")
        try a.line("JOIN #a,#b")
        try await a.expect(" 366 alice #a ")
        try await a.expect(" 366 alice #b ")
        try await b.expect(":alice!alice@127.0.0.1 JOIN #a")
        try a.line("NOTICE #a :channel note")
        try await b.expect(":alice!alice@127.0.0.1 NOTICE #a :channel note")
        try await hum.expect("-alice:#a- channel note")
        try a.line("NOTICE bob :private note")
        try await b.expect(":alice!alice@127.0.0.1 NOTICE bob :private note")
        try a.line("NICK alicia")
        try await a.expect(":alice!alice@127.0.0.1 NICK :alicia")
        try await b.expect(":alice!alice@127.0.0.1 NICK :alicia")
        try await hum.expect("-- alice is now known as alicia")
        try a.line("PART #a,#b :bye now")
        try await a.expect(":alicia!alice@127.0.0.1 PART #a :bye now")
        try await a.expect(":alicia!alice@127.0.0.1 PART #b :bye now")
        try await b.expect(":alicia!alice@127.0.0.1 PART #a :bye now")
        try await hum.expect("-- alicia left #a (bye now)")
    }

    @Test func errorNumerics() async throws {
        let server = try await ServerProcess()
        let a = try await ircUser(server, nick: "alice")
        let b = try await ircUser(server, nick: "bob", join: "#theirs")
        try a.line("PRIVMSG nobody :hi")
        try await a.expect(" 401 alice nobody :No such nick/channel")
        try a.line("JOIN nochannel")
        try await a.expect(" 403 alice nochannel :No such channel")
        try a.line("PART #nowhere")
        try await a.expect(" 403 alice #nowhere :No such channel")
        try a.line("PRIVMSG")
        try await a.expect(" 411 alice :No recipient given (PRIVMSG)")
        try a.line("PRIVMSG bob")
        try await a.expect(" 412 alice :No text to send")
        try a.line("NICK")
        try await a.expect(" 431 alice :No nickname given")
        try a.line("PART #theirs")
        try await a.expect(" 442 alice #theirs :You're not on that channel")
        try a.line("JOIN")
        try await a.expect(" 461 alice JOIN :Not enough parameters")
        try a.line("USER again 0 * :Again")
        try await a.expect(" 462 alice :You may not reregister")
        withExtendedLifetime(b) {}
    }
}
