import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The IRC dialect in-process: registration, every command's parameter errors, and what each
/// command asks of the hub, byte for byte as the session sends it.
@Suite(.serialized, .compute) struct IRCConversationTests {
    /// A client through registration as `bob`, its output drained.
    func registered(_ nick: String = "bob") -> ConversationDriver {
        let c = ConversationDriver.irc()
        c.type(["NICK \(nick)", "USER \(nick) 0 * :Bob Example"])
        c.hub(ConversationDriver.welcome(nick))
        _ = c.received()
        _ = c.requests()
        return c
    }

    @Test func whatTheConversationSaysAboutItself() {
        let c = IRCConversation(serverName: "chat.test")
        #expect(c.dialect == .irc && !c.usesTelnet && c.pingsIdleClient && !c.isRegistered)
        #expect(c.farewell(.registrationTimeout) == "ERROR :Closing Link: Registration timeout")
        #expect(c.farewell(.pingTimeout(seconds: 60)) == "ERROR :Closing Link: Ping timeout")
        #expect(c.farewell(.serverShuttingDown) == "ERROR :Closing Link: Server shutting down")
        #expect(c.farewell(.excessFlood) == "ERROR :Closing Link: Excess flood")
        #expect(c.farewell(.hubLost("the server went away")) == "ERROR :Closing Link: Server error (the server went away)")
    }

    @Test func nickThenUserRegisters() {
        let c = ConversationDriver.irc()
        c.type("NICK bob")
        #expect(c.requests().isEmpty)
        c.type("USER bob 0 * :Bob Example")
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "Bob Example")])
        #expect(c.received().isEmpty)
        c.hub(ConversationDriver.welcome("bob"))
        #expect(c.received().first == ":chat.test 001 bob :Welcome to the Test Network, bob!bob@127.0.0.1")
        #expect(c.conversation.isRegistered)
    }

    @Test func userThenNickRegisters() {
        let c = ConversationDriver.irc()
        c.type(["USER u 0 * :Real", "NICK bob"])
        #expect(c.requests() == [.register(nick: "bob", user: "u", realName: "Real")])
    }

    /// INVITE and JOIN with keys become requests; enabled capabilities change what NAMES and
    /// another's invitation look like.
    @Test func inviteJoinKeysAndTheCapabilitiesOfChannelModes() {
        let c = registered()
        c.type(["INVITE alice #c", "JOIN #a,#b,#c k1,,k3"])
        #expect(c.requests() == [.invite(nick: "alice", channel: "#c"),
                                 .join(channels: ["#a", "#b", "#c"], keys: ["k1", "", "k3"])])
        let names = HubEvent.names(channel: "#c", members: [Member(nick: "eve", isOperator: true, isVoiced: true, source: "eve!e@h")])
        let invite = HubEvent.invite(channel: "#c", source: "eve!e@h", nick: "carol")
        c.hub(names)
        c.hub(invite)
        #expect(c.received().first == ":chat.test 353 bob = #c :@eve")
        c.type("CAP REQ :multi-prefix userhost-in-names invite-notify")
        _ = c.received()
        c.hub(names)
        c.hub(invite)
        let lines = c.received()
        #expect(lines.first == ":chat.test 353 bob = #c :@+eve!e@h")
        #expect(lines.last == ":eve!e@h INVITE carol #c")
    }

    @Test func registrationWaitsForCapEnd() {
        let c = ConversationDriver.irc()
        c.type("CAP LS 302")
        #expect(c.received() == IRCCapability.lsGroups(version: 302).map { ":chat.test CAP * LS :" + $0 }, "with values (sasl=PLAIN) from 302")
        c.type(["NICK bob", "USER bob 0 * :Bob"])
        #expect(c.requests().isEmpty, "registration waits for CAP END")
        c.type("CAP REQ :server-time")
        #expect(c.received() == [":chat.test CAP * ACK server-time"])
        c.type("CAP LIST")
        #expect(c.received() == [":chat.test CAP * LIST :server-time cap-notify"], "302 enables cap-notify")
        c.type("CAP REQ :example.org/none")
        #expect(c.received() == [":chat.test CAP * NAK example.org/none"])
        c.type("CAP END")
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "Bob")])
        c.type("CAP FOO")
        #expect(c.received() == [":chat.test 410 * FOO :Invalid CAP command"])
        c.type("CAP")
        #expect(c.received() == [":chat.test 461 * CAP :Not enough parameters"])
    }

    @Test func aRefusedNickIsRetriedWithTheSameUser() {
        let c = ConversationDriver.irc()
        c.type(["NICK bob", "USER bob 0 * :Bob"])
        _ = c.requests()
        c.hub(.error(code: .nicknameInUse, params: ["bob"], text: "Nickname is already in use"))
        #expect(c.received() == [":chat.test 433 * bob :Nickname is already in use"])
        c.type("NICK bob2")
        #expect(c.requests() == [.register(nick: "bob2", user: "bob", realName: "Bob")])
    }

    @Test func commandsBeforeRegistrationAre451() {
        let c = ConversationDriver.irc()
        c.type("JOIN #a")
        c.type("FOO bar")
        #expect(c.received() == [":chat.test 451 * :You have not registered",
                                 ":chat.test 451 * :You have not registered"])
        #expect(c.requests().isEmpty)
    }

    @Test func linesDuringRegistrationAreHeldAndRunAfterTheWelcome() {
        let c = ConversationDriver.irc()
        c.type(["NICK bob", "USER bob 0 * :Bob", "JOIN #a", "FOO", "PING :x"])
        // PING is answered at once; the JOIN and the unknown command wait for the welcome.
        #expect(c.received() == [":chat.test PONG chat.test x"])
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "Bob")])
        c.hub(ConversationDriver.welcome("bob"))
        let lines = c.received()
        #expect(lines.last == ":chat.test 421 bob FOO :Unknown command")
        #expect(lines.contains(":chat.test 001 bob :Welcome to the Test Network, bob!bob@127.0.0.1"))
        #expect(c.requests() == [.join(channels: ["#a"])])
    }

    @Test func registrationCommandsAfterRegistrationAre462() {
        let c = registered()
        c.type(["USER x 0 * :X", "PASS secret", "USER"])
        #expect(c.received() == Array(repeating: ":chat.test 462 bob :You may not reregister", count: 3))
        #expect(c.requests().isEmpty)
    }

    @Test func passBeforeRegistrationIsAcceptedAndIgnored() {
        let c = ConversationDriver.irc()
        c.type("PASS secret")
        #expect(c.received().isEmpty && c.requests().isEmpty)
        c.type("PASS")
        c.type("PASS :")
        #expect(c.received() == Array(repeating: ":chat.test 461 * PASS :Not enough parameters", count: 2))
    }

    /// Every command of the table with fewer parameters than it needs: one numeric, no request.
    @Test func everyMissingParameterIsAnsweredFromTheTable() {
        let expected: [String: String] = [
            "CAP": ":chat.test 461 bob CAP :Not enough parameters",
            "NICK": ":chat.test 431 bob :No nickname given",
            "NICK :": ":chat.test 431 bob :No nickname given",
            "PING": ":chat.test 409 bob :No origin specified",
            "PING :": ":chat.test 409 bob :No origin specified",
            "JOIN": ":chat.test 461 bob JOIN :Not enough parameters",
            "PART": ":chat.test 461 bob PART :Not enough parameters",
            "TOPIC": ":chat.test 461 bob TOPIC :Not enough parameters",
            "KICK": ":chat.test 461 bob KICK :Not enough parameters",
            "KICK #a": ":chat.test 461 bob KICK :Not enough parameters",
            "MODE": ":chat.test 461 bob MODE :Not enough parameters",
            "WHOIS": ":chat.test 461 bob WHOIS :Not enough parameters",
            "WHOIS ,": ":chat.test 431 bob :No nickname given",
            "WHOWAS": ":chat.test 431 bob :No nickname given",
            "WHOWAS :": ":chat.test 431 bob :No nickname given",
            "WHOWAS ,,": ":chat.test 431 bob :No nickname given",
            "ISON": ":chat.test 461 bob ISON :Not enough parameters",
            "ISON :": ":chat.test 461 bob ISON :Not enough parameters",
            "USERHOST": ":chat.test 461 bob USERHOST :Not enough parameters",
            "INVITE alice": ":chat.test 461 bob INVITE :Not enough parameters",
            "MONITOR": ":chat.test 461 bob MONITOR :Not enough parameters",
            "MONITOR +": ":chat.test 461 bob MONITOR :Not enough parameters",
            "OPER": ":chat.test 461 bob OPER :Not enough parameters",
            "OPER operuser": ":chat.test 461 bob OPER :Not enough parameters",
            "KILL": ":chat.test 461 bob KILL :Not enough parameters",
            "KILL :": ":chat.test 461 bob KILL :Not enough parameters",
            "WALLOPS": ":chat.test 461 bob WALLOPS :Not enough parameters",
            "WALLOPS :": ":chat.test 461 bob WALLOPS :Not enough parameters",
            "PRIVMSG": ":chat.test 411 bob :No recipient given (PRIVMSG)",
            "PRIVMSG alice": ":chat.test 412 bob :No text to send",
            "PRIVMSG alice :": ":chat.test 412 bob :No text to send",
            "NOTICE": ":chat.test 411 bob :No recipient given (NOTICE)",
            "notice alice": ":chat.test 412 bob :No text to send",
            "TAGMSG": ":chat.test 411 bob :No recipient given (TAGMSG)",
            "SETNAME": ":chat.test 461 bob SETNAME :Not enough parameters",
            "AUTHENTICATE": ":chat.test 461 bob AUTHENTICATE :Not enough parameters",
        ]
        for (line, reply) in expected {
            let c = registered()
            c.type(line)
            #expect(c.received() == [reply], "\(line)")
            #expect(c.requests().isEmpty, "\(line)")
        }
        // And the table agrees: every command that needs parameters has a case above.
        for command in IRCCommand.all where command.minParams > 0 && command.access != .beforeRegistration {
            #expect(expected[command.name] != nil, "\(command.name)")
        }
    }

    @Test func unknownAndMalformedLines() {
        let c = registered()
        c.type(["FOO bar", "", "   "])
        #expect(c.received() == [":chat.test 421 bob FOO :Unknown command"])
        c.type("@=x PRIVMSG #a :b")
        #expect(c.received() == [":chat.test 421 bob * :Malformed line: tag without a key"])
        c.type("PRIVMSG #a :" + String(repeating: "x", count: 600))
        #expect(c.received() == [":chat.test 417 bob :Input line was too long"])
        c.typeOverlong()
        #expect(c.received() == [":chat.test 417 bob :Input line was too long"])
    }

    @Test func pingPongAndTheSessionsOwnPing() {
        let c = registered()
        c.type("PING :token 123")
        #expect(c.received() == [":chat.test PONG chat.test :token 123"])
        c.type("PONG chat.test")
        #expect(c.received().isEmpty && c.requests().isEmpty)
        c.conversation.ping(output: &c.output)
        #expect(c.received() == ["PING chat.test"])
    }

    @Test func quitSaysGoodbyeAndCloses() {
        let c = registered()
        c.type("QUIT :see you")
        #expect(c.received() == ["ERROR :Closing Link: Quit: see you"])
        #expect(c.closing == "Quit: see you")
        #expect(c.requests() == [.quit(reason: "Quit: see you")])
        let d = ConversationDriver.irc()
        d.type("QUIT")
        #expect(d.received() == ["ERROR :Closing Link: Quit"])
        #expect(d.closing == "Quit")
    }

    @Test func joinZeroLeavesEveryJoinedChannel() {
        let c = registered()
        c.type("JOIN #a,#b")
        #expect(c.requests() == [.join(channels: ["#a", "#b"])])
        c.hub(.join(channel: "#a", source: "bob!bob@127.0.0.1"))
        c.hub(.join(channel: "#b", source: "bob!bob@127.0.0.1"))
        c.hub(.join(channel: "#c", source: "alice!alice@127.0.0.1"))
        c.type("JOIN 0")
        guard case .part(let channels, let reason) = c.requests().first else {
            Issue.record("no part")
            return
        }
        #expect(Set(channels) == ["#a", "#b"] && reason == "Left all channels")
    }

    @Test func privmsgGoesToAtMostFourTargets() {
        let c = registered()
        c.type("PRIVMSG a,b,#c,d,e,f :hi all")
        #expect(c.requests() == ["a", "b", "#c", "d"].map { .message(kind: .privmsg, target: $0, text: "hi all") })
        #expect(c.received() == [":chat.test 407 bob e :Too many recipients (at most 4); this one and the rest were not sent"])
    }

    @Test func ctcpActionIsAnActionAndOtherCTCPGoesOnAsIs() {
        let c = registered()
        c.type("PRIVMSG #a :\u{1}ACTION waves\u{1}")
        c.type("NOTICE #a :\u{1}ACTION waves\u{1}")
        c.type("PRIVMSG alice :\u{1}VERSION\u{1}")
        #expect(c.requests() == [
            .message(kind: .action, target: "#a", text: "waves"),
            .message(kind: .notice, target: "#a", text: "\u{1}ACTION waves\u{1}"),
            .message(kind: .privmsg, target: "alice", text: "\u{1}VERSION\u{1}"),
        ])
    }

    @Test func eachCommandAsksTheHub() {
        let c = registered()
        c.type(["PART #a,#b :bye", "PART #c", "TOPIC #a", "TOPIC #a :new topic", "NAMES", "NAMES #a,#b", "WHO",
                "WHO #a", "WHOIS alice", "WHOIS srv alice", "KICK #a alice,carol :out", "AWAY :lunch", "AWAY",
                "MODE #a +o alice", "LIST", "MOTD", "LUSERS", "ISON :alice carol", "USERHOST a b c d e f", "NICK robert"])
        #expect(c.requests() == [
            .part(channels: ["#a", "#b"], reason: "bye"), .part(channels: ["#c"], reason: ""),
            .topic(channel: "#a", text: nil), .topic(channel: "#a", text: "new topic"),
            .names(channel: nil), .names(channel: "#a"), .names(channel: "#b"), .who(mask: "*"), .who(mask: "#a"),
            .whois(nick: "alice"), .whois(nick: "alice"),
            .kick(channel: "#a", nick: "alice", reason: "out"), .kick(channel: "#a", nick: "carol", reason: "out"),
            .away(text: "lunch"), .away(text: nil), .mode(target: "#a", args: ["+o", "alice"]), .list(channels: []), .motd, .lusers,
            .ison(nicks: ["alice", "carol"]), .userhost(nicks: ["a", "b", "c", "d", "e"]), .nick("robert"),
        ])
        #expect(c.received().isEmpty)
    }

    /// WHOIS and WHOWAS of a list ask once per nick, for the first four (as PRIVMSG's
    /// targets); WHOIS of another server is answered here with 402; WHO's second parameter
    /// goes to the hub as options.
    @Test func whoWhoisAndWhowasAskTheHubPerNick() {
        let c = registered()
        c.type(["WHOIS a,B,b,c,d,e", "WHOIS chat.test alice", "WHOIS *.TEST alice", "WHOIS alice alice",
                "WHOWAS x,y 2", "WHOWAS z", "WHO #a %tn,5", "WHO * o"])
        #expect(c.requests() == ["a", "B", "c", "d"].map { .whois(nick: $0) } + [
            .whois(nick: "alice"), .whois(nick: "alice"), .whois(nick: "alice"),
            .whowas(nick: "x", count: 2), .whowas(nick: "y", count: 2), .whowas(nick: "z", count: 0),
            .who(mask: "#a", options: WhoOptions(whox: WhoxFormat(fields: [.token, .nick], token: "5"))),
            .who(mask: "*", options: WhoOptions(operatorsOnly: true)),
        ])
        #expect(c.received().isEmpty)
        c.type("WHOIS other.server alice")
        #expect(c.received() == [":chat.test 402 bob other.server :No such server"])
        #expect(c.requests().isEmpty)
    }

    /// User modes are the hub's (+i hides from WHO, +o is its decision): the session asks and
    /// renders what it says.
    @Test func userModesGoToTheHub() {
        let c = registered()
        c.type(["MODE bob", "MODE Bob +i", "MODE bob -x"])
        #expect(c.requests() == [.mode(target: "bob", args: []), .mode(target: "Bob", args: ["+i"]),
                                 .mode(target: "bob", args: ["-x"])])
        #expect(c.received().isEmpty)
        c.hub(.userModes(nick: "bob", modes: "+iw", isChange: false))
        #expect(c.received() == [":chat.test 221 bob :+iw"])
        c.hub(.userModes(nick: "bob", modes: "+i", isChange: true))
        #expect(c.received() == [":bob MODE bob :+i"])
    }

    @Test func operKillAndWallopsGoToTheHub() {
        let c = registered()
        c.type(["OPER operuser secret", "KILL alice :spam", "KILL alice", "WALLOPS :hi all"])
        #expect(c.requests() == [.oper(name: "operuser", password: "secret"), .kill(nick: "alice", reason: "spam"),
                                 .kill(nick: "alice", reason: ""), .wallops(text: "hi all")])
        c.hub(.youreOper(name: "operuser"))
        #expect(c.received() == [":chat.test 381 bob :You are now an IRC operator"])
        c.hub(.wallops(source: "carol!c@h", text: "hello"))
        #expect(c.received() == [":carol!c@h WALLOPS :hello"])
    }

    @Test func versionIsAnsweredFromTheWelcome() {
        let c = registered()
        c.type("VERSION")
        #expect(c.received().first == ":chat.test 351 bob chat-server-test chat.test :chat-server")
        #expect(c.requests().isEmpty)
    }

    @Test func theFastPathTakesMessagesOnlyOnceRegistered() {
        let message = HubEvent.message(source: "alice!alice@127.0.0.1", kind: .privmsg, target: "#a", text: "hi",
                                       time: 1_764_300_000_123)
        let c = ConversationDriver.irc()
        #expect(c.fastMessage(message) == nil)
        c.type(["CAP REQ :server-time", "NICK bob", "USER bob 0 * :Bob", "CAP END"])
        c.hub(ConversationDriver.welcome("bob"))
        _ = c.received()
        #expect(c.fastMessage(message) == ["@time=2025-11-28T03:20:00.123Z :alice!alice@127.0.0.1 PRIVMSG #a :hi"])
        c.hub(message)
        #expect(c.received() == ["@time=2025-11-28T03:20:00.123Z :alice!alice@127.0.0.1 PRIVMSG #a :hi"])
    }
}
