import Testing
import TestSupport
@testable import ChatTUI

/// Several networks in one client (`ClientNetworks`): one window list numbered across
/// them, keys and lines routed to the right network, the status bar and the window list.
@Suite(.serialized, .compute) struct NetworksTests {
    /// home: 1 server, 2 #a; work: 3 server, 4 #b.
    func twoWithChannels() -> ScriptedNetworks {
        var t = ScriptedNetworks()
        t.join(0, "#a")
        t.join(1, "#b")
        _ = t.effects()
        return t
    }

    @Test func windowsAreNumberedAcrossNetworksAndKeysMoveAmongThemAll() {
        var t = twoWithChannels()
        #expect(t.model.windowCount == 4)
        #expect(t.activeName == "home/home.example:6667" || t.activeName == "home/#a")
        t.key(.alt("4"))
        #expect(t.activeName == "work/#b" && t.model.activeNumber == 4)
        t.key(.alt("1"))
        #expect(t.activeName == "home/home.example:6667")
        t.key(.ctrl("p"))   // wraps to the last window, on the other network
        #expect(t.activeName == "work/#b")
        t.key(.ctrl("n"))
        #expect(t.activeName == "home/home.example:6667")
        t.key(.ctrl("n")); t.key(.ctrl("n"))
        #expect(t.activeName == "work/work.example:6667")
        t.enter("/window 2")
        #expect(t.activeName == "home/#a")
        t.key(.alt("9"))   // no window 9: the key does nothing
        #expect(t.activeName == "home/#a")
        t.enter("/window 9")
        #expect(t.texts.last == "There is no window 9: windows 1 to 4 are open.")
    }

    @Test func whatIsTypedGoesToTheNetworkOfTheWindow() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        t.enter("hello home")
        t.key(.alt("4"))
        t.enter("hello work")
        t.enter("/join #c")
        let sent = t.sent()
        #expect(sent == [
            RoutedEffect(network: 0, effect: .send("PRIVMSG #a :hello home")),
            RoutedEffect(network: 1, effect: .send("PRIVMSG #b :hello work")),
            RoutedEffect(network: 1, effect: .send("JOIN #c")),
        ])
        // The new window opens in its network: the work network's windows follow home's.
        #expect(t.activeName == "work/#c" && t.model.activeNumber == 5)
        // A line from a server lands in its own network's window.
        t.recv(0, ":bob!b@h PRIVMSG #a :from home")
        #expect(t.model.networks[0].windows[1].scrollback.lines.last?.text == "from home")
        #expect(t.model.networks[1].windows.allSatisfy { $0.scrollback.lines.allSatisfy { $0.text != "from home" } })
    }

    @Test func theStatusBarNamesTheNetworkAndListsActivityByGlobalNumber() {
        var t = twoWithChannels()
        t.key(.alt("4"))
        #expect(t.statusBar().hasPrefix(" me │ 4:work/#b (2) │ connected"))
        t.recv(0, ":bob!b@h PRIVMSG #a :hi")
        t.recv(0, ":bob!b@h PRIVMSG #a :me: you there?")
        #expect(t.statusBar().contains("act: 2!"))
        t.key(.alt("a"))
        #expect(t.activeName == "home/#a")
        #expect(t.statusBar().hasPrefix(" me │ 2:home/#a (2)"))
        // One network: no network name, numbers as before.
        var one = ScriptedNetworks(["solo"])
        one.join(0, "#x")
        one.key(.alt("2"))
        #expect(one.statusBar().hasPrefix(" me │ 2:#x (2) │ connected"))
    }

    @Test func linesInTheWindowANetworkLeftActiveAreUnreadWhileAnotherIsShown() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        t.key(.alt("4"))   // home's own active window is still #a, but it is not on the screen
        t.recv(0, ":bob!b@h PRIVMSG #a :while you were away")
        #expect(t.model.networks[0].windows[1].activity == .messages)
        #expect(t.statusBar().contains("act: 2"))
        t.key(.alt("2"))
        // Back: the marker sits above the line that came meanwhile, and the activity is gone.
        let w = t.model.networks[0].windows[1]
        #expect(w.activity == .none && w.showsMarker)
        #expect(w.scrollback.lines.last?.text == "while you were away")
    }

    @Test func theInputLineAndItsHistoryGoAlongToAnotherNetwork() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        t.enter("first")
        t.type("half typed")
        t.key(.alt("4"))
        #expect(t.model.activeState.editor.text == "half typed")
        t.key(.enter)
        #expect(t.sent() == [RoutedEffect(network: 0, effect: .send("PRIVMSG #a :first")), RoutedEffect(network: 1, effect: .send("PRIVMSG #b :half typed"))])
        t.key(.up); t.key(.up)
        #expect(t.model.activeState.editor.text == "first")
        // Settings hold for every network: a highlight word set on one marks the other's lines.
        t.key(.ctrl("u"))
        t.enter("/hilight swift")
        t.recv(0, ":bob!b@h PRIVMSG #a :swift is out")
        #expect(t.model.networks[0].windows[1].scrollback.lines.last?.highlight == true)
    }

    @Test func windowListSpansTheNetworksAndMoveStaysInOne() {
        var t = twoWithChannels()
        t.recv(1, ":carol!c@h PRIVMSG me :psst")
        t.key(.alt("4"))
        t.enter("/window list")
        #expect(Array(t.texts.suffix(5)) == [
            "  1: home/home.example:6667 (server)", "  2: home/#a (channel)",
            "  3: work/work.example:6667 (server)", "  4: work/#b (channel)", "  5: work/carol (query), 1 unread",
        ])
        t.enter("/window move 5")
        #expect(t.model.networks[1].windows.map(\.name) == ["work.example:6667", "carol", "#b"])
        #expect(t.activeName == "work/#b" && t.model.activeNumber == 5)
        t.enter("/window move 2")
        #expect(t.texts.last == "Windows 4 to 5 can be moved to (a window stays among its network's).")
    }

    @Test func connectAndDisconnectGoToTheLoopForTheRightNetwork() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        t.enter("/connect other")
        #expect(t.effects() == [RoutedEffect(network: 0, effect: .connectNetwork("other"))])
        // A network already open: shown, not opened twice.
        t.enter("/connect WORK")
        #expect(t.activeName == "work/work.example:6667")
        #expect(t.texts.last?.hasPrefix("Already connected to work (window 3)") == true)
        _ = t.effects()
        t.enter("/disconnect home")
        #expect(t.effects() == [RoutedEffect(network: 0, effect: .send("QUIT :chat-tui")), RoutedEffect(network: 0, effect: .disconnectNetwork(nil))])
        t.enter("/disconnect nowhere")
        #expect(t.texts.last == "There is no network nowhere: home, work are open.")
        // The loop closes it: the other network goes on; /connect brings it back.
        t.model.apply(.disconnected(reason: "disconnected (/disconnect)", retryAt: nil), to: 0, now: t.now)
        t.enter("/disconnect home")
        #expect(t.texts.last == "home is not connected; /connect home connects again.")
        t.enter("/connect home")
        #expect(t.effects() == [RoutedEffect(network: 0, effect: .reconnect)])
        #expect(t.activeName == "home/home.example:6667")
        // With no name, /disconnect leaves this window's network.
        t.key(.alt("4"))
        t.enter("/disconnect")
        #expect(t.effects().last == RoutedEffect(network: 1, effect: .disconnectNetwork(nil)))
    }

    @Test func quitLeavesEveryNetworkWithTheSameMessage() {
        var t = twoWithChannels()
        t.key(.alt("4"))
        t.enter("/quit bye all")
        #expect(t.effects() == [
            RoutedEffect(network: 1, effect: .send("QUIT :bye all")),
            RoutedEffect(network: 0, effect: .send("QUIT :bye all")),
            RoutedEffect(network: 1, effect: .quit),
        ])
        #expect(t.model.quitting && t.model.networks.allSatisfy(\.quitting))
    }

    @Test func aNetworkAddedLaterTakesTheSettingsAndIsShown() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        t.type("draft")
        var c = ClientConfig(nick: "me", userName: "me", server: "late.example:6667")
        c.channels = ["#late"]
        t.model.add(name: "late", config: c, focus: true, now: t.now)
        #expect(t.activeName == "late/#late" && t.model.activeNumber == 6)
        #expect(t.model.activeState.editor.text == "draft" && t.model.activeState.cols == 100)
        #expect(t.statusBar().hasPrefix(" me │ 6:late/#late (0) (not joined)") || t.statusBar().hasPrefix(" me │ 6:late/#late (0)"))
    }

    @Test func theWindowListShowsNumbersNetworksActivityAndTheCurrentOne() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        #expect(t.model.frame().geometry.buflistWidth == 0)   // hidden by default
        t.key(.alt("B"))
        t.recv(1, ":bob!b@h PRIVMSG #b :me: look")
        t.recv(1, ":bob!b@h JOIN #b")
        let f = t.model.frame()
        let g = f.geometry
        #expect(g.buflistWidth == ScreenGeometry.buflistWidth && g.chatLeft == g.buflistWidth + 1)
        #expect(f.buflist.map { String($0.text.reversed().drop { $0 == " " }.reversed()) } == ["1 home", "2   #a", "3 work", "4   #b"])
        #expect(f.buflist.map { $0.spans[0].style } == [.buflist, .buflistActive, .buflistEvents, .buflistMention])
        let lines = f.lines()
        #expect(lines[g.chatTop].hasPrefix("1 home" + String(repeating: " ", count: g.buflistWidth - 6) + "│"))
        // The toggle is the /buflist command too, and the setting; narrow terminals hide it.
        t.enter("/buflist off")
        #expect(t.model.frame().geometry.buflistWidth == 0)
        t.enter("/set buflist on")
        #expect(t.model.frame().geometry.buflistWidth > 0 && t.model.networks.allSatisfy(\.buflistEnabled))
        t.model.apply(.resize(cols: 79, rows: 30), now: t.now)
        #expect(t.model.frame().geometry.buflistWidth == 0)
        t.enter("/buflist sideways")
        #expect(t.texts.last == "Usage: /buflist [on|off]")
    }

    @Test func aLongWindowListShowsThePartAroundTheCurrentWindow() {
        var t = ScriptedNetworks(rows: 8)
        for i in 0..<10 { t.join(0, "#c\(i)") }
        t.key(.alt("B"))
        t.enter("/window 12")   // work's server window
        let f = t.model.frame()
        #expect(f.buflist.count == f.geometry.chatHeight)
        #expect(f.buflist.contains { $0.spans[0].style == .buflistActive && $0.text.hasPrefix("12 work") })
    }

    @Test func badNetworkCommandsAreSaidAndChangeNothing() {
        var t = twoWithChannels()
        t.key(.alt("2"))
        _ = t.effects()
        for (line, said) in [
            ("/connect", "Usage: /connect NETWORK|HOST:PORT"),
            ("/connect a b", "Usage: /connect NETWORK|HOST:PORT"),
            ("/connect " + String(repeating: "a", count: 301), "/connect takes a network's name or HOST:PORT: at most 300 bytes, no control characters."),
            ("/connect bad\u{2}name", "/connect takes a network's name or HOST:PORT: at most 300 bytes, no control characters."),
            ("/disconnect a b", "Usage: /disconnect [NETWORK]"),
            ("/window 0", "There is no window 0: windows 1 to 4 are open."),
            ("/window -3", "There is no window -3: windows 1 to 4 are open."),
            ("/window 99999999999999999999", "Usage: /window N|list|close|move N"),
            ("/window move x", "Usage: /window N|list|close|move N"),
        ] {
            t.enter(line)
            #expect(t.texts.last == said, "\(line)")
        }
        #expect(t.effects().allSatisfy { if case .log = $0.effect { true } else { false } })
        #expect(t.activeName == "home/#a" && t.model.networks.count == 2)
    }
}
