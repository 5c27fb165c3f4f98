import Testing
@testable import ChatTUI

/// An irssi user's habits: Ctrl-C, Ctrl-D, Ctrl-U; and the small things seen side by side
/// with irssi (a query's spelling, 265/266, --raw's /help and nick).
@Suite(.serialized, .compute) struct HabitsTests {
    func channel() -> ScriptedClient {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        return t
    }

    @Test func ctrlCNeitherQuitsNorLosesTheLine() {
        var t = channel()
        t.type("half a thought")
        t.key(.ctrl("c"))
        #expect(!t.state.quitting)
        #expect(t.state.takeEffects().allSatisfy { if case .quit = $0 { false } else { true } })
        // irssi's colour key: the mIRC colour code goes into the line (FormattingTests).
        #expect(t.state.editor.text == "half a thought\u{3}")
    }

    @Test func ctrlDOnAnEmptyLineAsksBeforeQuitting() {
        var t = channel()
        t.type("ab")
        t.key(.home)
        t.key(.ctrl("d"))                      // on a line: deletes under the cursor
        #expect(t.state.editor.text == "b")
        #expect(!t.state.quitConfirm)
        t.key(.ctrl("u"))
        t.key(.ctrl("d"))
        #expect(t.state.quitConfirm)
        #expect(t.state.prompt == "Quit chat-tui? (y/n) ")
        #expect(t.screen().last?.hasPrefix("Quit chat-tui? (y/n)") == true)
        t.key(.text("n"))                      // any other key stays
        #expect(!t.state.quitConfirm && !t.state.quitting)
        #expect(t.state.editor.isEmpty)
        t.key(.ctrl("d"))
        t.key(.enter)                          // Enter is no yes
        #expect(!t.state.quitting)
        t.key(.ctrl("d"))
        t.key(.text("y"))
        #expect(t.state.quitting)
        #expect(t.state.takeEffects() == [.send("QUIT :chat-tui"), .quit])
        // Ctrl-D twice leaves too.
        var u = channel()
        u.key(.ctrl("d"))
        u.key(.ctrl("d"))
        #expect(u.state.quitting)
    }

    @Test func ctrlUErasesTheWholeLineAsIrssiDoes() {
        var t = channel()
        t.type("alpha beta")
        t.key(.left)
        t.key(.left)
        t.key(.ctrl("u"))
        #expect(t.state.editor.isEmpty)
        t.key(.ctrl("y"))
        #expect(t.state.editor.text == "alpha beta")
    }

    @Test func aQueryTakesTheServersSpellingOfTheNick() {
        var t = channel()
        t.enter("/query BOB hi")
        #expect(t.state.activeWindow.name == "BOB")
        #expect(t.sent() == ["PRIVMSG BOB :hi"])
        t.recv(":bob!b@h PRIVMSG me :hello")
        #expect(t.state.activeWindow.name == "bob")
        #expect(t.window("bob")?.scrollback.lines.last?.text == "hello")
        #expect(t.screen()[t.state.rows - 2].contains("3:bob"))
        t.enter("again")
        #expect(t.sent() == ["PRIVMSG bob :again"])
        // A notice from a nick with no window of its own leaves the active query's name alone.
        t.recv(":carol!c@h NOTICE me :psst")
        #expect(t.state.activeWindow.name == "bob")
        t.recv(":BOB!b@h NOTICE me :loud")
        #expect(t.state.activeWindow.name == "BOB")
    }

    @Test func localAndGlobalUserCountsWithoutTheirNumbers() {
        var t = ScriptedClient.registered()
        t.recv(":srv 265 me 1 4 :Current local users: 1, Max: 4")
        t.recv(":srv 266 me 2 5 :Current global users: 2, Max: 5")
        t.recv(":srv 265 me :Current local users: 3, Max: 6")
        #expect(Array(t.texts().suffix(3)) == ["Current local users: 1, Max: 4", "Current global users: 2, Max: 5",
                                               "Current local users: 3, Max: 6"])
    }

    @Test func rawModeHelpGoesToTheServerWithOneLineAboutTheClient() {
        var t = ScriptedClient(mode: .raw)
        t.apply(.connected)
        t.enter("/help")
        #expect(t.sent() == ["/help"])
        let notes = t.texts().filter { $0.contains("/help went to the server") }
        #expect(notes.count == 1)
        for name in ClientState.rawModeCommands where name != "help" { #expect(notes[0].contains("/" + name)) }
        #expect(!t.texts().contains { $0.hasPrefix("  /") })   // no list of commands between the server's lines
        t.enter("/help join")
        #expect(t.sent() == ["/help join"])
    }

    @Test func rawModeShowsTheNickTheUserGave() {
        var t = ScriptedClient(mode: .raw)
        t.apply(.connected)
        #expect(t.screen()[t.state.rows - 2].hasPrefix(" 1:test:6667 │ connected"))
        t.apply(.receivedPartial(Array("Choose a nickname: ".utf8)))
        t.now += ClientState.promptDelay
        t.apply(.tick)
        t.enter("tom")
        #expect(t.screen()[t.state.rows - 2].hasPrefix(" tom │ 1:test:6667"))
        // An answer to any other prompt is not a nick.
        t.apply(.receivedPartial(Array("Password: ".utf8)))
        t.now += ClientState.promptDelay
        t.apply(.tick)
        t.enter("secret")
        #expect(t.screen()[t.state.rows - 2].hasPrefix(" tom │"))

        var c = ClientConfig(nick: "zed", userName: "z", server: "test:23")
        c.mode = .raw
        c.nickGiven = true
        let given = ClientState(config: c)
        #expect(given.rawNick == "zed")
        c.nickGiven = false
        #expect(ClientState(config: c).rawNick == nil)
    }
}
