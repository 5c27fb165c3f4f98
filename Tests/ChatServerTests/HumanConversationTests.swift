import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The human (telnet) dialect in-process: its stages from greeting to chatting, and what
/// each typed line asks of the hub or shows.
@Suite(.serialized, .compute) struct HumanConversationTests {
    static let me = "bob!bob@127.0.0.1"

    /// A person chatting in #lobby as `bob`, output drained.
    func chatting() -> ConversationDriver {
        let c = ConversationDriver.human()
        c.type("bob")
        c.hub(ConversationDriver.welcome("bob"))
        c.hub(.join(channel: "#lobby", source: Self.me))
        _ = c.received()
        _ = c.requests()
        return c
    }

    @Test func whatTheConversationSaysAboutItself() {
        let c = HumanConversation(serverName: "chat.test", maxLineLength: 100, utcOffset: 0)
        #expect(c.dialect == .human && c.usesTelnet && !c.pingsIdleClient && !c.isRegistered)
        #expect(c.farewell(.registrationTimeout) == "*** Disconnected: you did not choose a nickname in time.")
        #expect(c.farewell(.serverShuttingDown) == "*** The server is shutting down. Goodbye!")
        #expect(c.farewell(.excessFlood) == "*** Disconnected: you sent too much too fast (excess flood).")
        #expect(c.farewell(.hubLost("the server went away")) == "*** Disconnected: the server went away. Sorry!")
    }

    @Test func greetingThenTheNicknameQuestion() {
        let c = ConversationDriver.human()
        #expect(c.received() == HumanText.greeting(serverName: "chat.test") + [HumanText.askNick])
        #expect(c.requests().isEmpty)
        #expect(!c.conversation.isRegistered)
    }

    @Test func aLineTypedBeforeTheGreetingIsTheNickname() {
        let c = ConversationDriver.human(start: false)
        c.type("bob")
        #expect(c.received() == HumanText.greeting(serverName: "chat.test") + [HumanText.askNick])
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "telnet user")])
    }

    @Test func aNicknameIsAskedUntilOneWorks() {
        let c = ConversationDriver.human()
        _ = c.received()
        c.type("   ")
        #expect(c.received() == [HumanText.askNick])
        c.type("two words")
        #expect(c.received() == [HumanText.nickInvalid("two words"), HumanText.askNick])
        c.type("  bob\t")
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "telnet user")])
        c.hub(.error(code: .nicknameInUse, params: ["bob"], text: "Nickname is already in use"))
        #expect(c.received().last == HumanText.askNick)
        c.type("bob2")
        #expect(c.requests() == [.register(nick: "bob2", user: "bob2", realName: "telnet user")])
    }

    @Test func welcomedThenJoinedToTheLobbyWithLinesTypedAheadSaidThere() {
        let c = ConversationDriver.human()
        c.type("bob")
        _ = c.requests()
        c.type("hello early")
        c.hub(ConversationDriver.welcome("bob"))
        #expect(c.conversation.isRegistered)
        #expect(c.requests() == [.join(channels: ["#lobby"])])
        c.type("/me is quick")
        #expect(c.requests().isEmpty, "held until the join")
        c.hub(.join(channel: "#lobby", source: Self.me))
        #expect(c.requests() == [.message(kind: .privmsg, target: "#lobby", text: "hello early"),
                                 .message(kind: .action, target: "#lobby", text: "is quick")])
        #expect(c.received().contains("-- You joined #lobby"))
    }

    @Test func linesAndCommandsWhileChatting() {
        let c = chatting()
        c.type(["hello all", "/me waves", "/msg alice psst", "//slash", "/nick robert", "/topic new", "/who",
                "/names", "/list", "/away lunch", "/whois alice", "/motd", "/join rust", "/part"])
        #expect(c.requests() == [
            .message(kind: .privmsg, target: "#lobby", text: "hello all"),
            .message(kind: .action, target: "#lobby", text: "waves"),
            .message(kind: .privmsg, target: "alice", text: "psst"),
            .message(kind: .privmsg, target: "#lobby", text: "/slash"),
            .nick("robert"), .topic(channel: "#lobby", text: "new"), .who(mask: "#lobby"), .names(channel: "#lobby"),
            .list(channels: []), .away(text: "lunch"), .whois(nick: "alice"), .motd, .join(channels: ["#rust"]),
            .part(channels: ["#lobby"], reason: ""),
        ])
        // Only the private message is confirmed (since issue 17; before, nothing was shown).
        #expect(c.received() == ["-> *alice* psst"])
    }

    @Test func longLinesGoOutInPiecesIRCUsersCanReceive() {
        let c = chatting()
        c.type(String(repeating: "word ", count: 200))
        let parts = c.requests()
        #expect(parts.count > 1)
        for case .message(_, let target, let text) in parts { #expect(target == "#lobby" && text.utf8.count <= 400) }
    }

    @Test func commandsAnsweredWithoutTheHub() {
        let c = chatting()
        c.type("/help")
        #expect(c.received() == HumanText.help)
        c.type("/foo")
        #expect(c.received() == ["!! Unknown command /foo. Type /help for the list of commands."])
        c.type("/nick")
        #expect(c.received() == ["!! Usage: /nick NAME"])
        c.type("/join #LOBBY")
        #expect(c.received() == [HumanText.nowCurrent("#lobby")])
        c.type("")
        #expect(c.received().isEmpty && c.requests().isEmpty)
    }

    /// `/join #chan KEY` asks the hub with the key; for a channel one is in, it only makes it current.
    @Test func joiningWithAKey() {
        let c = chatting()
        c.type("/join #club sesame")
        #expect(c.requests() == [.join(channels: ["#club"], keys: ["sesame"])])
        c.type("/join #lobby sesame")
        #expect(c.received() == [HumanText.nowCurrent("#lobby")])
        #expect(c.requests().isEmpty)
    }

    @Test func leavingTheCurrentChannelSaysWhereLinesGoNow() {
        let c = chatting()
        c.hub(.join(channel: "#rust", source: Self.me))
        _ = c.received()
        c.hub(.part(channel: "#rust", source: Self.me, reason: ""))
        #expect(c.received().last == HumanText.nowCurrent("#lobby"))
        c.hub(.kick(channel: "#lobby", source: "op!op@127.0.0.1", nick: "bob", reason: "out"))
        #expect(c.received().last == HumanText.inNoChannelNow)
        c.type("anyone?")
        #expect(c.received() == [HumanText.notInChannel])
        #expect(c.requests().isEmpty)
    }

    @Test func quitSaysGoodbyeAndCloses() {
        let c = chatting()
        c.type("/quit bye now")
        #expect(c.received() == ["*** Goodbye!"])
        #expect(c.closing == "Quit: bye now")
        #expect(c.requests() == [.quit(reason: "Quit: bye now")])
    }

    @Test func anOverlongLineIsReported() {
        let c = ConversationDriver.human(start: false)
        c.typeOverlong()
        let lines = c.received()
        #expect(lines.first == HumanText.greeting(serverName: "chat.test").first, "greets first")
        // The prompt has no line end: the notice follows it on the same line, as a terminal shows it.
        #expect(lines.last == HumanText.askNick + "!! Your line was too long (over 100 bytes) and was dropped.")
    }

    @Test func theFastPathTakesMessagesOnlyOnceRegistered() {
        let message = HubEvent.message(source: "alice!alice@127.0.0.1", kind: .privmsg, target: "#lobby", text: "hi",
                                       time: 1_764_300_000_123)
        let c = ConversationDriver.human()
        #expect(c.fastMessage(message) == nil)
        let d = chatting()
        let fast = d.fastMessage(message)
        d.hub(message)
        #expect(fast != nil && fast == d.received())
    }

    /// In character mode the password's row is left as the editor leaves it: no empty line
    /// after it (line mode's stands for the Enter the client did not echo).
    @Test func aPasswordInCharacterModeLeavesNoEmptyLine() {
        let c = chatting()
        let human = c.conversation as! HumanConversation
        human.terminalChanged(characterMode: true, colour: false, output: &c.output)
        _ = c.requests()
        c.type("/oper boss")
        #expect(c.received() == ["Password for boss (not shown): "])
        _ = c.output.takeHideInput()
        c.type("sesame")
        #expect(c.requests() == [.oper(name: "boss", password: "sesame")])
        #expect(c.received().isEmpty)
    }

    /// `/oper NAME` asks for the password with the client's echo off; the next line is the
    /// password, never said to a channel; `/oper NAME PASSWORD` goes at once.
    @Test func operAsksForThePasswordUnseen() {
        let c = chatting()
        c.type("/oper boss")
        #expect(c.received() == ["Password for boss (not shown): "])
        #expect(c.output.hideInput == true && c.requests().isEmpty)
        _ = c.output.takeHideInput()
        c.type("  sesame ")
        #expect(c.requests() == [.oper(name: "boss", password: "sesame")])
        #expect(c.output.hideInput == false)
        #expect(c.received() == [""])
        c.type("/oper boss")
        _ = c.received()
        c.type("")
        #expect(c.received() == ["", HumanText.noPassword] && c.requests().isEmpty)
        c.type("/oper boss sesame")
        #expect(c.requests() == [.oper(name: "boss", password: "sesame")])
        c.type(["/kill alice spamming again", "/wallops hi all"])
        #expect(c.requests() == [.kill(nick: "alice", reason: "spamming again"), .wallops(text: "hi all")])
        c.type(["/oper", "/kill", "/wallops", "/oper a b c"])
        #expect(c.received() == ["!! Usage: /oper NAME [PASSWORD]", "!! Usage: /kill NICK [reason]", "!! Usage: /wallops TEXT",
                                 "!! Usage: /oper NAME [PASSWORD]"])
    }
}
