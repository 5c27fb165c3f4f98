import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

@Suite(.serialized, .compute) struct RegistrationTests {
    @Test func registersAndJoinsChannelsAfterWelcome() {
        var t = ScriptedClient(nick: "me", channels: ["#a", "#b"])
        t.apply(.connected)
        #expect(t.sent() == ["CAP LS 302", "NICK me", "USER me 0 * :chat-tui user"])
        t.recv(":srv CAP * LS :multi-prefix sasl server-time")
        #expect(t.sent() == ["CAP REQ :multi-prefix server-time"])
        t.recv(":srv CAP * ACK :multi-prefix server-time")
        #expect(t.sent() == ["CAP END"])
        t.recv(":srv 001 me :Welcome")
        let s = t.sent()
        #expect(s.first == "JOIN #a,#b")
        #expect(s.last?.hasPrefix("PING :chat-tui-") == true)
        #expect(t.state.connection == .connected)
    }

    @Test func nickInUseTriesUnderscores() {
        var t = ScriptedClient(nick: "me")
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 433 * me :Nickname is already in use")
        #expect(t.sent() == ["NICK me_"])
        t.recv(":srv 433 * me_ :Nickname is already in use")
        #expect(t.sent() == ["NICK me__"])
        t.recv(":srv 001 me__ :Welcome")
        #expect(t.state.nick == "me__")
    }

    /// Only the server's NICK makes a nick ours: a refused /nick is not asked for again
    /// on the next connection, a confirmed one is.
    @Test func aRefusedNickChangeIsNotKeptForTheNextConnection() {
        var t = ScriptedClient.registered(nick: "me")
        t.enter("/nick taken")
        #expect(t.sent() == ["NICK taken"])
        t.recv(":srv 433 me taken :Nickname is already in use")
        t.enter("/nick bad*nick")
        t.recv(":srv 432 me bad*nick :Erroneous nickname")
        #expect(t.sent() == ["NICK bad*nick"])   // no registration-time retry with underscores
        #expect(t.state.nick == "me")
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        #expect(t.sent().contains("NICK me"))
        t.recv(":srv 001 me :Welcome back")
        t.enter("/nick newer")
        t.recv(":me!u@h NICK newer")
        #expect(t.state.nick == "newer")
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        #expect(t.sent().contains("NICK newer"))
    }

    @Test func pingPongAndLag() {
        var t = ScriptedClient.registered()
        t.recv("PING :abc")
        #expect(t.sent() == ["PONG :abc"])
        // The probe sent at registration is answered, and the next one is due 30 s later.
        let first = t.state.irc.pingSentAt!
        t.now += 40
        t.recv(":srv PONG srv :chat-tui-\(first)")
        #expect(t.state.lagMillis == 40)
        t.now += 30_000
        t.apply(.tick)
        let ping = t.sent()
        #expect(ping.count == 1 && ping[0].hasPrefix("PING :chat-tui-"))
        t.now += 250
        t.recv(":srv PONG srv :\(ping[0].dropFirst(6))")
        #expect(t.state.lagMillis == 250)
        #expect(t.state.nextDeadline == t.now + 30_000)
    }

    @Test func silentServerIsDroppedAfterTheTimeout() {
        var t = ScriptedClient.registered()
        t.now += 89_000
        t.apply(.tick)
        #expect(t.state.takeEffects().isEmpty)
        t.now += 1_000
        t.apply(.tick)
        #expect(t.state.takeEffects().contains(.reconnect))
    }

    /// The status bar counts the seconds to the next attempt down: the model asks for a
    /// tick whenever the number shown changes.
    @Test func reconnectCountdownMovesEachSecond() {
        var t = ScriptedClient.registered(channels: ["#a"])
        let at = t.now + 4_000
        t.apply(.disconnected(reason: "connection reset", retryAt: at))
        var shown: [Int] = []
        while let d = t.state.nextDeadline, d <= at {
            let status = t.screen()[22]
            shown.append((0...9).first { status.contains("disconnected, retry in \($0) s") } ?? -1)
            #expect(d > t.now)
            t.now = d
            t.apply(.tick)
            if d == at { break }
        }
        #expect(shown == [4, 3, 2, 1])
        // Connected again: no more ticks for it, only the registration deadline.
        t.apply(.connected)
        #expect(t.state.nextDeadline == t.now + IRCLinkState.registrationTimeout)
    }

    @Test func backoffDoublesToAMinuteAndStartsAgainAfterAStableConnection() {
        var b = ReconnectBackoff()
        var waits: [Int64] = []
        for _ in 0..<9 {
            b.connectionEnded(lasted: nil)
            waits.append(b.next())
        }
        #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { $0 * 1000 })
        b.connectionEnded(lasted: 9_999)     // not long enough to count as working
        #expect(b.next() == 60_000)
        b.connectionEnded(lasted: 10_000)
        #expect(b.next() == 1_000)
        #expect(b.next() == 2_000)
    }

    @Test func aRefusedNickAtRegistrationGetsUnderscoresFirst() {
        // "root" is reserved on chat-server (432): root_ is what a user would pick next.
        var t = ScriptedClient(nick: "root")
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 432 * root :Erroneous nickname")
        #expect(t.sent().contains("NICK root_"))
        #expect(t.state.windows[t.state.active].scrollback.lines.last?.text.contains("trying root_") == true)
        t.recv(":srv 433 * root_ :Nickname is already in use")
        #expect(t.sent().contains("NICK root__"))
        // A nick no underscore can mend gets a generated one at once.
        var bad = ScriptedClient(nick: "a-very-long-nick-of-exactly-30")
        bad.apply(.connected)
        _ = bad.sent()
        bad.recv(":srv 432 * a-very-long-nick-of-exactly-30 :Erroneous nickname")
        #expect(bad.sent().contains { $0.hasPrefix("NICK chattui") })
    }

    @Test func theServersVersionLineIsReadable() {
        var t = ScriptedClient.registered()
        t.recv(":srv 004 me srv chat-server-0.1.0 i no")
        #expect(t.state.windows[0].scrollback.lines.last?.text == "srv runs chat-server-0.1.0")
    }

    @Test func inNoChannelAfterTheMOTDTheServerWindowSaysWhatToDo() {
        var t = ScriptedClient.registered()
        t.recv(":srv 422 me :MOTD File is missing")
        #expect(t.state.windows[0].scrollback.lines.last?.text.contains("/join #channel") == true)
        var joined = ScriptedClient.registered(channels: ["#a"])
        joined.recv(":srv 376 me :End of /MOTD command.")
        #expect(joined.state.windows[0].scrollback.lines.last?.text.contains("/join #channel") == false)
    }

    /// A server that accepts the connection and never answers (`ncat -l`) left the client
    /// "registering…" forever: after 30 s without 001 it is dropped as a failed attempt.
    @Test func aServerThatNeverWelcomesIsDroppedAfterThirtySeconds() {
        var t = ScriptedClient(nick: "me")
        t.apply(.connected)
        _ = t.sent()
        #expect(t.state.nextDeadline == t.now + 30_000)
        t.now += 29_999
        t.apply(.tick)
        #expect(t.state.takeEffects().isEmpty)
        t.now += 1
        t.apply(.tick)
        #expect(t.state.takeEffects() == [.dropConnection(reason: "no welcome from the server within 30 s")])
        #expect(t.state.windows[0].scrollback.lines.last?.text == "The server did not let us in within 30 s.")
        t.apply(.disconnected(reason: "no welcome from the server within 30 s", retryAt: t.now + 2_000))
        // Welcomed in time: no deadline any more.
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.now += 60_000
        t.apply(.tick)
        #expect(!t.state.takeEffects().contains { if case .dropConnection = $0 { true } else { false } })
    }

    @Test func reconnectRejoinsChannels() {
        var t = ScriptedClient.registered(channels: ["#a"])
        t.recv(":me!u@h JOIN #a")
        t.enter("/join #b")
        t.recv(":me!u@h JOIN #b")
        _ = t.sent()
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        #expect(t.window("#a")?.nicks.count == 0)
        #expect(t.texts("#a").last?.contains("Reconnecting in 1 s") == true)
        // A failed retry is told in the server window only.
        t.apply(.connecting("test:6667"))
        t.apply(.disconnected(reason: "connection refused", retryAt: t.now + 2000))
        #expect(t.texts("#a").last?.contains("connection refused") == false)
        #expect(t.state.windows[0].scrollback.lines.last?.text.contains("connection refused") == true)
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 001 me :Welcome back")
        #expect(t.sent().first == "JOIN #a,#b")
    }
}

@Suite(.serialized, .compute) struct ChannelTests {
    func joined() -> ScriptedClient {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 353 me = #c :@me bob +carol")
        t.recv(":srv 366 me #c :End of /NAMES list")
        return t
    }

    @Test func nickListFollowsJoinsPartsQuitsNicksAndKicks() {
        var t = joined()
        #expect(t.window("#c")!.nicks.displayOrder().map(\.nick) == ["me", "carol", "bob"])
        t.recv(":dave!d@h JOIN #c")
        #expect(t.window("#c")!.nicks.contains("dave"))
        t.recv(":bob!b@h PART #c :bye")
        #expect(!t.window("#c")!.nicks.contains("bob"))
        t.recv(":carol!c@h NICK caroline")
        #expect(t.window("#c")!.nicks.member("caroline")?.prefixes == "+")
        t.recv(":me!u@h MODE #c +o-v dave caroline")
        #expect(t.window("#c")!.nicks.member("dave")?.prefixes == "@")
        #expect(t.window("#c")!.nicks.member("caroline")?.prefixes == "")
        t.recv(":me!u@h KICK #c dave :behave")
        #expect(!t.window("#c")!.nicks.contains("dave"))
        t.recv(":caroline!c@h QUIT :gone")
        #expect(t.window("#c")!.nicks.displayOrder().map(\.nick) == ["me"])
        let log = t.texts("#c").joined(separator: "\n")
        for s in ["dave (d@h) joined #c", "bob left #c (bye)", "carol is now known as caroline",
                  "me sets mode +o-v dave caroline", "dave was kicked from #c by me (behave)", "caroline quit (gone)"] {
            #expect(log.contains(s), "missing: \(s)")
        }
    }

    @Test func messagesActionsAndTopics() {
        var t = joined()
        t.recv(":bob!b@h PRIVMSG #c :hello there")
        t.recv(":bob!b@h PRIVMSG #c :\u{1}ACTION waves\u{1}")
        t.recv(":bob!b@h TOPIC #c :new topic")
        let lines = t.window("#c")!.scrollback.lines.suffix(3)
        #expect(lines.map(\.kind) == [.message, .action, .event])
        #expect(lines.first?.nick == "bob")
        #expect(t.window("#c")!.topic == "new topic")
        #expect(t.screen()[0].hasPrefix("#c: new topic"))
    }

    @Test func sayingSomethingSendsAndEchoes() {
        var t = joined()
        t.enter("hello world")
        #expect(t.sent() == ["PRIVMSG #c :hello world"])
        let last = t.window("#c")!.scrollback.lines.last!
        #expect(last.own && last.nick == "me" && last.text == "hello world")
        t.enter("//not a command")
        #expect(t.sent() == ["PRIVMSG #c :/not a command"])
    }

    @Test func longMessagesAreSplitToFitTheLineLimit() {
        var t = joined()
        t.enter(String(repeating: "word ", count: 200))
        let s = t.sent()
        #expect(s.count >= 2)
        #expect(s.allSatisfy { $0.utf8.count + 2 + t.state.irc.sourceAllowance(nick: "me") <= 512 })
        #expect(s.map { $0.dropFirst("PRIVMSG #c :".count) }.joined() == String(repeating: "word ", count: 200))
    }

    @Test func mentionsAreHighlightedAndMarkOtherWindows() {
        var t = joined()
        t.enter("/join #other")
        t.recv(":me!u@h JOIN #other")
        #expect(t.state.activeWindow.name == "#other")
        t.recv(":bob!b@h PRIVMSG #c :hey me, look")
        t.recv(":bob!b@h PRIVMSG #c :nothing for meme here")
        let lines = t.window("#c")!.scrollback.lines.suffix(2)
        #expect(lines.map(\.highlight) == [true, false])
        #expect(t.window("#c")!.activity == .mention)
        #expect(t.window("#c")!.unread == 2)
        #expect(t.screen()[22].contains("act: 1,2!"))
        t.key(.alt("a"))
        #expect(t.state.activeWindow.name == "#c")
        #expect(t.window("#c")!.activity == .none)
    }

    @Test func privateMessagesOpenAQueryWindow() {
        var t = joined()
        t.recv(":zoe!z@h PRIVMSG me :psst")
        let q = t.window("zoe")
        #expect(q?.kind == .query)
        #expect(q?.activity == .mention)
        t.recv(":zoe!z@h NICK zoey")
        #expect(t.window("zoey") != nil && t.window("zoe") == nil)
    }

    @Test func ctcpVersionIsAnswered() {
        var t = joined()
        t.recv(":zoe!z@h PRIVMSG me :\u{1}VERSION\u{1}")
        #expect(t.sent() == ["NOTICE zoe :\u{1}VERSION chat-tui\u{1}"])
        t.recv(":zoe!z@h PRIVMSG me :\u{1}PING 1234 5\u{1}")
        #expect(t.sent() == ["NOTICE zoe :\u{1}PING 1234 5\u{1}"])
    }

    /// A CTCP request whose source is no nick to answer (empty, a server name, starting with
    /// ':' or a channel prefix, holding a space or comma): no reply, only a line in the
    /// server window. An answer would have been `NOTICE  :…` (malformed) or gone to a channel.
    @Test func ctcpRequestsFromOddSourcesAreNotAnswered() {
        var t = joined()
        let sources = [":!u@h", ":@h", ":irc.example.net", "::x!u@h", ":#c!u@h", ":a,b!u@h", ":\u{1}!u@h",
                       ":" + String(repeating: "n", count: 65) + "!u@h"]
        for src in sources {
            for request in ["\u{1}VERSION\u{1}", "\u{1}PING 1\u{1}"] {
                t.recv("\(src) PRIVMSG me :\(request)")
                #expect(t.sent() == [], "\(src) \(request.debugDescription)")
            }
        }
        // A nick with a space can only come from a hand-built source (the parser splits at
        // spaces): the reply target check refuses it too.
        #expect(t.state.irc.ctcpReplyTarget(IRCSource(nick: "a b", user: "u", host: "h")) == nil)
        #expect(t.state.irc.ctcpReplyTarget(IRCSource(nick: "zoe", user: "u", host: "h")) == "zoe")
        #expect(t.state.irc.ctcpReplyTarget(IRCSource(nick: "zoe")) == "zoe", "a bare nick without a dot is a user")
        #expect(t.state.irc.ctcpReplyTarget(nil) == nil)
        // A server that says CHANTYPES=e still gets no answer sent to "#c".
        t.recv(":srv 005 me CHANTYPES=e :are supported")
        t.recv(":#c!u@h PRIVMSG me :\u{1}VERSION\u{1}")
        t.recv(":&c!u@h PRIVMSG me :\u{1}PING 1\u{1}")
        #expect(t.sent() == [])
        // Still shown, so the user knows someone asked.
        let server = t.state.windows[0].scrollback.lines.map(\.text)
        #expect(server.contains { $0.hasPrefix("CTCP VERSION from") }, "\(server)")
    }

    /// A PING token so long that the echo would exceed an IRC line is not echoed.
    @Test func overlongCTCPPingIsNotEchoed() {
        var t = joined()
        t.recv(":zoe!z@h PRIVMSG me :\u{1}PING \(String(repeating: "9", count: 480))\u{1}")
        #expect(t.sent().count == 1)
        t.recv(":zoe!z@h PRIVMSG me :\u{1}PING \(String(repeating: "9", count: 500))\u{1}")
        #expect(t.sent() == [])
    }

    @Test func escapeSequencesFromTheNetworkAreRemoved() {
        var t = joined()
        t.recv(":bob!b@h PRIVMSG #c :a\u{1b}[2J\u{1b}]0;pwned\u{7}b\u{9b}31mc\u{2}bold\u{3}4red")
        t.recv(":b\u{1b}[31mx!b@h PRIVMSG #c :x")
        t.recv(":bob!b@h TOPIC #c :\u{1b}[5mblink")
        let all = t.window("#c")!.scrollback.lines.flatMap { [$0.text, $0.nick ?? ""] } + [t.window("#c")!.topic]
        // mIRC formatting (here ^B and ^C4) is kept for the layout to show as attributes
        // (issue 18); every other control is gone, and the screen has none at all.
        let formatting: Set<UInt32> = [0x02, 0x03, 0x0F, 0x16, 0x1D, 0x1F]
        for s in all {
            #expect(!s.unicodeScalars.contains { ($0.value < 0x20 && !formatting.contains($0.value)) || (0x7F...0x9F).contains($0.value) }, "\(s.debugDescription)")
        }
        #expect(t.window("#c")!.scrollback.lines.suffix(3).first?.text == "abc\u{2}bold\u{3}4red")
        for row in t.screen() {
            #expect(!row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    @Test func namesOnRequestAreListed() {
        var t = joined()
        t.enter("/names")
        #expect(t.sent() == ["NAMES #c"])
        t.recv(":srv 353 me = #c :@me bob")
        t.recv(":srv 366 me #c :End")
        #expect(t.texts("#c").last == "Users on #c (2): @me bob")
        #expect(t.window("#c")!.nicks.count == 2)
        // In the nick list's order, whatever order the server sends them in.
        t.enter("/names")
        t.recv(":srv 353 me = #c :zed +Carol @me bob +alice")
        t.recv(":srv 353 me = #c :@Dave")
        t.recv(":srv 366 me #c :End")
        #expect(t.texts("#c").last == "Users on #c (6): @Dave @me +alice +Carol bob zed")
    }

    /// A CTCP PING token was echoed with the control characters it came with.
    @Test func ctcpPingTokenIsEchoedWithoutControls() {
        var t = ScriptedClient.registered()
        t.recv(":bob!b@h PRIVMSG me :\u{1}PING 123\u{1b}[2J\u{7}\u{2}x\u{1}")
        #expect(t.sent() == ["NOTICE bob :\u{1}PING 123x\u{1}"])
    }
}

@Suite(.serialized, .compute) struct CommandTests {
    @Test func eachCommandSendsItsLine() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        let cases: [(String, [String])] = [
            ("/join d", ["JOIN #d"]),
            ("/part", ["PART #d"]),
            ("/msg bob hi there", ["PRIVMSG bob :hi there"]),
            ("/me dances", ["PRIVMSG #d :\u{1}ACTION dances\u{1}"]),
            ("/nick newme", ["NICK newme"]),
            ("/topic fresh topic", ["TOPIC #d :fresh topic"]),
            ("/topic", ["TOPIC #d"]),
            ("/whois bob", ["WHOIS bob"]),
            ("/raw PRIVMSG #x :raw", ["PRIVMSG #x :raw"]),
            ("/notice bob psst", ["NOTICE bob :psst"]),
        ]
        for (input, expected) in cases {
            t.enter(input)
            #expect(t.sent() == expected, "\(input)")
        }
    }

    @Test func queryCloseClearAndQuit() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.enter("/query bob hello")
        #expect(t.state.activeWindow.name == "bob")
        #expect(t.sent() == ["PRIVMSG bob :hello"])
        t.enter("/close")
        #expect(t.window("bob") == nil)
        t.enter("/clear")
        #expect(t.state.activeWindow.scrollback.isEmpty)
        t.enter("/close")
        #expect(t.sent() == ["PART #c"])
        #expect(t.state.activeIndex == 0)
        t.enter("/quit see you")
        #expect(t.state.takeEffects() == [.send("QUIT :see you"), .quit])
        #expect(t.state.quitting)
    }

    @Test func signalsQuitThroughAnAction() {
        var t = ScriptedClient.registered()
        t.apply(.failure("Not connected: not sent.", inServerWindow: false))
        #expect(t.texts().last == "Not connected: not sent.")
        t.apply(.quit(reason: "Caught SIGTERM; leaving."))
        #expect(t.state.takeEffects() == [.send("QUIT :chat-tui"), .quit])
        #expect(t.state.windows[0].scrollback.lines.last?.text == "Caught SIGTERM; leaving.")
    }

    @Test func helpAndUnknownCommands() {
        var t = ScriptedClient.registered()
        t.enter("/help")
        #expect(t.texts().contains { $0.contains("/join #channel") })
        t.enter("/frobnicate")
        #expect(t.texts().last?.contains("Unknown command /frobnicate") == true)
        t.enter("just text")
        #expect(t.sent().isEmpty)
        #expect(t.texts().last?.contains("server window") == true)
    }

    @Test func windowSwitchingKeys() {
        var t = ScriptedClient.registered(channels: ["#a", "#b", "#c"])
        #expect(t.state.activeIndex == 1)
        t.key(.alt("4"))
        #expect(t.state.activeWindow.name == "#c")
        t.key(.ctrl("n"))
        #expect(t.state.activeIndex == 0)
        t.key(.ctrl("p"))
        #expect(t.state.activeWindow.name == "#c")
        t.enter("/window 2")
        #expect(t.state.activeWindow.name == "#a")
        t.key(.alt("9"))
        #expect(t.state.activeWindow.name == "#a")
    }

    @Test func helpForAnUnknownCommandAndAWindowThatIsNotThere() {
        var t = ScriptedClient.registered(channels: ["#a"])
        t.enter("/help nosuch")
        #expect(t.texts().last == "There is no command /nosuch. /help lists them.")
        t.enter("/help /join")
        #expect(t.texts().last?.hasPrefix("/join #channel") == true)
        t.enter("/window 99")
        #expect(t.texts().last == "There is no window 99: windows 1 to 2 are open.")
        t.enter("/window")
        #expect(t.texts().last == "Usage: /window N|list|close|move N")   // list, close and move: issue 18
    }

    @Test func reconnectSaysNow() {
        var t = ScriptedClient.registered(channels: ["#a"])
        t.apply(.disconnected(reason: "reconnecting", retryAt: t.now))
        #expect(t.texts().last == "Disconnected: reconnecting. Reconnecting now.")
    }
}

@Suite(.serialized, .compute) struct RawModeTests {
    @Test func linesGoOutAsTypedAndComeInAsPlainText() {
        var t = ScriptedClient(mode: .raw)
        t.apply(.connected)
        #expect(t.sent().isEmpty)
        t.enter("hello")
        t.enter("/nick bob")
        #expect(t.sent() == ["hello", "/nick bob"])
        t.enter("//literal slash")
        #expect(t.sent() == ["//literal slash"])
        t.enter("/help")
        #expect(t.sent() == ["/help"])
        #expect(t.texts().contains { $0.contains("/raw LINE") })   // in the one line about the client's commands
        #expect(!t.texts().contains { $0.contains("/join #channel") })
        t.recv("[12:00] <alice> hi \u{1b}[31mthere")
        #expect(t.texts().last == "[12:00] <alice> hi there")
        #expect(t.state.geometry.nickListLeft == nil)
        t.enter("/quit")
        #expect(t.state.takeEffects() == [.quit])
    }

    @Test func aPromptWithoutLineEndBecomesTheInputPrompt() {
        var t = ScriptedClient(mode: .raw)
        t.apply(.connected)
        t.apply(.receivedPartial(Array("Choose a nickname: ".utf8)))
        #expect(t.state.prompt.hasPrefix("["))           // not yet: it may be half a line
        #expect(t.state.nextDeadline == t.now + ClientState.promptDelay)
        t.now += ClientState.promptDelay
        t.apply(.tick)
        #expect(t.state.prompt == "Choose a nickname: ")
        t.enter("tom")
        #expect(t.state.takeEffects() == [.send("tom"), .discardPartialLine])
        #expect(t.texts().last == "Choose a nickname: tom")
        #expect(t.state.prompt.hasPrefix("["))
        // A line cut by a read and completed at once never shows as a prompt.
        t.apply(.receivedPartial(Array("half a li".utf8)))
        t.recv("half a line")
        t.apply(.receivedPartial([]))
        t.now += 1000
        t.apply(.tick)
        #expect(t.state.prompt.hasPrefix("["))
    }

    @Test func invalidUTF8IsRepaired() {
        var t = ScriptedClient(mode: .raw)
        t.apply(.received([0x61, 0xFF, 0x62]))
        #expect(t.texts().last == "a\u{FFFD}b")
    }

}

@Suite(.serialized, .compute) struct PasteTests {
    func channel() -> ScriptedClient {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        return t
    }

    @Test func singleLinePasteGoesIntoTheInput() {
        var t = channel()
        t.key(.pasteStart)
        t.type("pasted text")
        t.key(.pasteEnd)
        #expect(t.state.editor.text == "pasted text")
        #expect(t.sent().isEmpty)
    }

    @Test func fewLinesAreSentManyAreConfirmed() {
        var t = channel()
        t.key(.pasteStart)
        t.type("one"); t.key(.enter); t.type("two")
        t.key(.pasteEnd)
        #expect(t.sent() == ["PRIVMSG #c :one", "PRIVMSG #c :two"])

        t.key(.pasteStart)
        for i in 1...6 { t.type("line \(i)"); t.key(.enter) }
        t.key(.pasteEnd)
        #expect(t.sent().isEmpty)
        #expect(t.state.prompt.contains("Send 6 pasted lines"))
        t.type("y")
        #expect(t.sent().count == 6)

        t.key(.pasteStart)
        for i in 1...6 { t.type("/quit \(i)"); t.key(.enter) }
        t.key(.pasteEnd)
        t.type("n")
        #expect(t.sent().isEmpty)
        #expect(!t.state.quitting)
    }

    @Test func aLostEndMarkerTimesOut() {
        var t = channel()
        t.key(.pasteStart)
        t.type("stuck")
        t.now += 2000
        t.apply(.tick)
        #expect(t.state.paste == .none)
        #expect(t.state.editor.text == "stuck")
    }

    /// An escape sequence in pasted text left "31m" behind (ESC [ became an Alt key and the
    /// rest came as text).
    @Test func escapeSequencesInAPasteAreDropped() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        t.key(.pasteStart)
        t.type("a")
        t.key(.alt("["))
        t.type("31mred")
        t.key(.alt("["))
        t.type("0m")
        t.key(.enter)
        t.key(.alt("]"))
        t.type("0;title")
        t.key(.ctrl("g"))
        t.type("b")
        t.key(.escape)
        t.type("c")
        t.key(.pasteEnd)
        #expect(t.sent() == ["PRIVMSG #c :ared", "PRIVMSG #c :bc"])
    }
}

@Suite(.serialized, .compute) struct WindowFloodTests {
    /// Private messages from thousands of nicks: at most 100 private windows open, the rest go
    /// to the server window with one note, and each line finds its window by lookup.
    @Test func privateWindowsAreBoundedAndTheRestGoToTheServerWindow() {
        var t = ScriptedClient.registered()
        for i in 0..<3_000 { t.recv(":n\(i)!u@h PRIVMSG me :hello \(i)") }
        #expect(t.state.queryWindowCount == ClientState.maxQueryWindows)
        #expect(t.state.windows.count == 1 + ClientState.maxQueryWindows)
        let server = t.state.windows[0].scrollback.lines
        #expect(server.filter { $0.text.contains("private windows are open") }.count == 1)
        #expect(server.last?.nick == "n2999" && server.last?.text == "hello 2999")
        // Those who have a window keep writing there.
        t.recv(":N5!u@h PRIVMSG me :again")
        #expect(t.texts("n5") == ["hello 5", "again"])
        // A closed window makes room, and the note comes again when the limit is met again.
        t.state.switchTo(t.state.windowIndex("n7")!)
        t.enter("/close")
        t.recv(":newcomer!u@h PRIVMSG me :hi")
        #expect(t.window("newcomer") != nil)
        t.recv(":another!u@h PRIVMSG me :hi")
        #expect(t.window("another") == nil)
        #expect(t.state.windows[0].scrollback.lines.filter { $0.text.contains("private windows are open") }.count == 2)
    }

    /// `windowIndex` is a dictionary kept in step with opening, closing and renaming windows
    /// and with a change of casemapping.
    @Test func channelWindowsTheServerOpensAreBounded() {
        var t = ScriptedClient.registered()
        let limit = ClientState.maxServerChannelWindows
        // A hostile server puts us in channels we never asked for, and talks in others.
        for i in 0..<(limit + 50) { t.recv(":me!u@h JOIN #forced\(i)") }
        for i in 0..<50 { t.recv(":x!u@h PRIVMSG #other\(i) :hi") }
        #expect(t.state.windows.count { $0.kind == .channel } == limit)
        #expect(t.state.windows[0].scrollback.lines.contains { $0.text.contains("\(limit) channel windows are open") })
        #expect(t.state.windows[0].scrollback.lines.contains { $0.text.contains("hi") })
        // The user's own /join is not limited.
        t.enter("/join #mine")
        #expect(t.window("#mine") != nil)
    }

    @Test func theNameIndexFollowsEveryChange() {
        var t = ScriptedClient(nick: "me", channels: ["#a", "#b[x"])
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        func consistent(_ t: ScriptedClient) -> Bool {
            t.state.windows.indices.dropFirst().allSatisfy { t.state.windowIndex(t.state.windows[$0].name) == $0 }
        }
        #expect(t.state.windowIndex("#B{X") == 2)    // rfc1459 until the server says otherwise
        t.recv(":srv 005 me CASEMAPPING=ascii :are supported")
        #expect(t.state.windowIndex("#B{X") == nil && t.state.windowIndex("#B[X") == 2)
        t.recv(":bob!u@h PRIVMSG me :hi")
        t.recv(":carol!u@h PRIVMSG me :hi")
        t.recv(":Bob!u@h NICK robert")
        #expect(t.state.windowIndex("bob") == nil && t.state.windowIndex("ROBERT") == 3)
        t.state.switchTo(1)
        t.enter("/close")
        #expect(t.state.windowIndex("#a") == nil && t.state.windowIndex("carol") == 3 && t.state.windowIndex("robert") == 2)
        t.recv(":me!u@h JOIN #B[X")
        #expect(t.state.windows[1].name == "#B[X" && t.state.windowIndex("#b[x") == 1)
        #expect(consistent(t))
    }
}
