import ChatProtocol
import Testing
@testable import ChatTUI

/// Behaviour a second review of the client found wrong, one test each.
@Suite struct OwnLinesTests {
    /// `/notice bob text` was shown (and logged) as `-bob- text`, as if bob had written it.
    @Test func ownNoticeIsShownAsOurs() {
        var t = TestClient(nick: "me", logging: true)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.enter("/query bob")
        _ = t.state.takeEffects()
        t.enter("/notice bob psst")
        let line = t.window("bob")!.scrollback.lines.last!
        #expect(line.nick == "me" && line.kind == .notice && line.text == "psst")
        let logged = t.state.takeEffects().compactMap { if case .log(_, let l) = $0 { l } else { nil } }
        #expect(logged.count == 1 && logged[0].hasSuffix(" -me- psst"))
        // To someone without a window: a note where we are.
        t.enter("/notice carol hi")
        #expect(t.texts().last == "→ -carol- hi")
    }
}

@Suite struct ListCommandTests {
    /// The hint after the MOTD says "/list shows them", and /list was an unknown command.
    @Test func listSendsLISTAndShowsTheRowsInTheServerWindow() {
        var t = TestClient.registered(channels: ["#c"])
        t.enter("/list")
        #expect(t.sent() == ["LIST"])
        #expect(t.texts().last == "The channel list goes to window 1 (Alt-1).")
        t.enter("/list #c*")
        #expect(t.sent() == ["LIST #c*"])
        t.recv(":srv 321 me Channel :Users  Name")
        t.recv(":srv 322 me #lobby 12 :\u{1b}[31mall \u{3}4welcome")
        t.recv(":srv 322 me #empty 0 :")
        t.recv(":srv 323 me :End of /LIST")
        #expect(t.state.windows[0].scrollback.lines.suffix(3).map(\.text) == ["#lobby (12): all welcome", "#empty (0)", "End of the channel list."])
        t.enter("/help list")
        #expect(t.texts().last?.hasPrefix("/list") == true)
    }
}

@Suite struct JoinTests {
    /// A channel joined with a key was rejoined without it after a reconnect.
    @Test func keysAreKeptForTheRejoin() {
        var t = TestClient.registered(channels: ["#open"])
        t.enter("/join #a,#b,#c keyA,,keyC")
        #expect(t.sent() == ["JOIN #a,#b,#c keyA,,keyC"])
        t.enter("/join #d")
        for c in ["#open", "#a", "#b", "#c", "#d"] { t.recv(":me!u@h JOIN \(c)") }
        _ = t.sent()
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 001 me :Welcome back")
        #expect(t.sent().first == "JOIN #a,#c,#open,#b,#d keyA,keyC")
    }

    /// A failed join (full, invite only, banned, wrong key, no such channel, too many) left
    /// the window looking joined, and it was "rejoined" after every reconnect.
    @Test func aRefusedJoinLeavesTheWindowNotJoined() {
        let refusals = [(471, "#full", "Cannot join channel (+l)"), (473, "#invite", "Cannot join channel (+i)"),
                        (474, "#banned", "Cannot join channel (+b)"), (475, "#keyed", "Cannot join channel (+k)"),
                        (403, "#nosuch", "No such channel"), (405, "#toomany", "You have joined too many channels")]
        // Channels from the command line (or rejoined after a reconnect) count as joined
        // from the start.
        var t = TestClient.registered(channels: refusals.map(\.1))
        #expect(t.state.windows.dropFirst().allSatisfy { $0.joined })
        for (n, channel, text) in refusals {
            t.recv(":srv \(n) me \(channel) :\(text)")
            #expect(t.window(channel)?.joined == false, "\(n)")
            #expect(t.texts(channel).last == "Cannot join \(channel): \(text)")
        }
        t.state.switchTo(t.state.windowIndex("#full")!)
        #expect(t.screen()[22].contains("(not joined)"))
        _ = t.sent()
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 001 me :Welcome back")
        #expect(!t.sent().contains { $0.hasPrefix("JOIN") })
    }

    /// `/join #a,#b` opened only #b's window; now both, in order, landing on the last.
    @Test func severalChannelsOpenInOrder() {
        var t = TestClient.registered()
        t.enter("/join a,#b")
        #expect(t.sent() == ["JOIN #a,#b"])
        #expect(t.state.windows.map(\.name) == ["test:6667", "#a", "#b"])
        #expect(t.state.activeWindow.name == "#b")
    }
}

@Suite struct StaleStateTests {
    /// The lag stayed at the last round trip while a probe went unanswered.
    @Test func anUnansweredProbeShowsTheGrowingWait() {
        var t = TestClient.registered()
        let sent = t.state.irc.pingSentAt!
        t.now += 40
        t.recv(":srv PONG srv :chat-tui-\(sent)")
        t.now += 30_000
        t.apply(.tick)
        _ = t.sent()
        #expect(t.screen()[22].contains("connected, lag 0.0 s"))
        // The model asks for a tick when the shown wait changes, once a second.
        #expect(t.state.nextDeadline == t.now + 1000)
        t.now += 12_000
        t.apply(.tick)
        #expect(t.screen()[22].contains("connected, lag 12 s?"))
        #expect(t.state.nextDeadline == t.now + 1000)
        let ping = t.state.irc.pingSentAt!
        t.now += 500
        t.recv(":srv PONG srv :chat-tui-\(ping)")
        #expect(t.screen()[22].contains("connected, lag 12.5 s"))
        #expect(t.state.nextDeadline == t.now + IRCLinkState.pingInterval)
    }

    /// After a reconnect the old topic and nick list stayed until (or beyond) the new ones.
    @Test func topicAndNickListAreClearedWhenTheConnectionIsLost() {
        var t = TestClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 332 me #c :old topic")
        t.recv(":srv 353 me = #c :@me bob")
        t.recv(":srv 366 me #c :End")
        #expect(t.window("#c")!.topic == "old topic")
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        #expect(t.window("#c")!.topic == "" && t.window("#c")!.nicks.count == 0)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome back")
        t.recv(":srv 332 me #c :stale from somewhere")
        t.recv(":me!u@h JOIN #c")
        #expect(t.window("#c")!.topic == "")     // the join starts afresh; 331/332 follow it
        t.recv(":srv 332 me #c :new topic")
        #expect(t.window("#c")!.topic == "new topic")
    }
}

@Suite struct SmallCommandTests {
    @Test func helpForAnUnknownCommandAndAWindowThatIsNotThere() {
        var t = TestClient.registered(channels: ["#a"])
        t.enter("/help nosuch")
        #expect(t.texts().last == "There is no command /nosuch. /help lists them.")
        t.enter("/help /join")
        #expect(t.texts().last?.hasPrefix("/join #channel") == true)
        t.enter("/window 99")
        #expect(t.texts().last == "There is no window 99: windows 1 to 2 are open.")
        t.enter("/window")
        #expect(t.texts().last == "Usage: /window N")
    }

    @Test func reconnectSaysNow() {
        var t = TestClient.registered(channels: ["#a"])
        t.apply(.disconnected(reason: "reconnecting", retryAt: t.now))
        #expect(t.texts().last == "Disconnected: reconnecting. Reconnecting now.")
    }

    @Test func rawModeHelpShowsOnlyTheClientsCommands() {
        var t = TestClient(mode: .raw)
        t.apply(.connected)
        t.enter("/help")
        let shown = t.texts().filter { $0.hasPrefix("  /") }.map { String($0.dropFirst(3).prefix { $0 != " " }) }
        #expect(Set(shown) == ClientState.rawModeCommands)
        #expect(t.sent() == ["/help"])
    }

    /// A CTCP PING token was echoed with the control characters it came with.
    @Test func ctcpPingTokenIsEchoedWithoutControls() {
        var t = TestClient.registered()
        t.recv(":bob!b@h PRIVMSG me :\u{1}PING 123\u{1b}[2J\u{7}\u{2}x\u{1}")
        #expect(t.sent() == ["NOTICE bob :\u{1}PING 123x\u{1}"])
    }

    /// An escape sequence in pasted text left "31m" behind (ESC [ became an Alt key and the
    /// rest came as text).
    @Test func escapeSequencesInAPasteAreDropped() {
        var t = TestClient.registered(channels: ["#c"])
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
