import Testing
@testable import ChatTUI

/// The commands an irssi user reaches for: operator commands, /who, /ctcp, /ping, /away,
/// /ignore, /hilight, /lastlog, /window list|close|move, and channel completion from /list.
@Suite(.serialized, .compute) struct OperatorAndUserCommandsTests {
    func channel() -> ScriptedClient {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":srv 005 me MODES=2 :are supported")
        t.recv(":me!u@h JOIN #c")
        _ = t.sent()
        return t
    }

    @Test func operatorCommandsSendModesKicksAndInvites() {
        var t = channel()
        t.enter("/op a b c")
        #expect(t.sent() == ["MODE #c +oo a b", "MODE #c +o c"])      // MODES=2 a line
        t.enter("/deop a")
        t.enter("/voice b")
        t.enter("/devoice b")
        #expect(t.sent() == ["MODE #c -o a", "MODE #c +v b", "MODE #c -v b"])
        t.enter("/kick bob go away")
        t.enter("/ban bob")
        t.enter("/unban *!*@bad.host")
        t.enter("/kickban eve spam")
        #expect(t.sent() == ["KICK #c bob :go away", "MODE #c +b bob!*@*", "MODE #c -b *!*@bad.host",
                             "MODE #c +b eve!*@*", "KICK #c eve :spam"])
        t.enter("/mode +m")
        t.enter("/mode")
        t.enter("/mode me +i")
        t.enter("/invite zed")
        t.enter("/invite zed #other")
        t.enter("/who")
        #expect(t.sent() == ["MODE #c +m", "MODE #c", "MODE me +i", "INVITE zed #c", "INVITE zed #other", "WHO #c"])
        // Bad or missing arguments: a clear error, nothing sent.
        t.enter("/op")
        #expect(t.sent().isEmpty)
        #expect(t.texts().last == "Usage: /op nick [nick…]")
        t.enter("/ban bad,mask")
        #expect(t.texts().last == "bad,mask is not a nick or a nick!user@host mask.")
        t.key(.alt("1"))
        t.enter("/kick bob")
        #expect(t.texts().last == "/kick works in a channel window.")
        #expect(t.sent().isEmpty)
        // WHO replies are shown where the user is.
        t.recv(":srv 352 me #c bob b.host srv bob H@ :0 Bob Smith")
        #expect(t.serverTexts().last == "#c bob H@ bob@b.host Bob Smith")
    }

    /// A nick whose host the client has seen (JOIN, NAMES with userhost-in-names, WHO,
    /// WHOIS) is banned by host, as irssi and WeeChat do; the host follows a nick change; an
    /// unknown nick is banned by nick; a host no mask could be built from is not used.
    @Test func aNickWithAKnownHostIsBannedByHost() {
        var t = channel()
        t.recv(":bob!b@bob.example JOIN #c")
        t.recv(":srv 353 me = #c :@me!u@h +carol!c@carol.example dave")
        t.recv(":srv 366 me #c :End of NAMES list")
        t.recv(":srv 352 me #c e erin.example srv erin H :0 Erin")
        t.recv(":srv 311 me frank f frank.example * :Frank")
        t.recv(":bob!b@bob.example NICK :robert")
        t.recv(":mal!m@bad*host JOIN #c")
        _ = t.sent()
        t.enter("/ban robert")
        t.enter("/ban CAROL")
        t.enter("/kickban erin bye")
        t.enter("/ban frank")
        t.enter("/ban dave")
        t.enter("/ban mal")
        t.enter("/ban *!*@typed.mask")
        #expect(t.sent() == ["MODE #c +b *!*@bob.example", "MODE #c +b *!*@carol.example",
                             "MODE #c +b *!*@erin.example", "KICK #c erin :bye", "MODE #c +b *!*@frank.example",
                             "MODE #c +b dave!*@*", "MODE #c +b mal!*@*", "MODE #c +b *!*@typed.mask"])
        // The nick list still shows nicks alone.
        #expect(t.state.activeWindow.nicks.member("carol")?.nick == "carol")
    }

    @Test func userhostInNamesIsAskedFor() {
        var t = ScriptedClient(nick: "me")
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv CAP * LS :multi-prefix userhost-in-names server-time")
        #expect(t.sent() == ["CAP REQ :multi-prefix userhost-in-names server-time"])
    }

    @Test func ctcpPingAndAway() {
        var t = channel()
        t.enter("/ctcp bob version")
        #expect(t.sent() == ["PRIVMSG bob :\u{1}VERSION\u{1}"])
        t.enter("/ping bob")
        #expect(t.sent() == ["PRIVMSG bob :\u{1}PING \(t.now)\u{1}"])
        let sentAt = t.now
        t.now += 1234
        t.recv(":bob!b@h NOTICE me :\u{1}PING \(sentAt)\u{1}")
        #expect(t.texts().last == "CTCP PING reply from bob: 1.23 s.")
        // Made-up tokens are shown as they are, never computed with.
        for token in ["-9223372036854775808", "9223372036854775807", "\(t.now + 5)", "abc"] {
            t.recv(":bob!b@h NOTICE me :\u{1}PING \(token)\u{1}")
            #expect(t.serverTexts().last == "CTCP PING reply from bob: \(token)")
        }
        t.enter("/away lunch")
        #expect(t.sent() == ["AWAY :lunch"])
        t.recv(":srv 306 me :You have been marked as being away")
        #expect(t.screen()[t.state.rows - 2].hasPrefix(" me (away) │"))
        // Still away after a reconnect: said again once registered.
        t.apply(.disconnected(reason: "reset", retryAt: t.now))
        #expect(!t.screen()[t.state.rows - 2].contains("(away)"))
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        #expect(t.sent().contains("AWAY :lunch"))
        t.recv(":srv 306 me :You have been marked as being away")
        t.enter("/away")
        #expect(t.sent() == ["AWAY"])
        t.recv(":srv 305 me :You are no longer marked as being away")
        #expect(!t.screen()[t.state.rows - 2].contains("(away)"))
    }

    @Test func ignoreHidesMessagesOrJoinsByMask() {
        var t = channel()
        t.recv(":bob!b@h JOIN #c")
        t.enter("/ignore bob messages")
        #expect(t.texts().last == "Ignoring bob!*@* (messages).")
        t.recv(":bob!b@h PRIVMSG #c :noise")
        t.recv(":bob!b@h PRIVMSG me :private noise")
        #expect(!t.texts().contains("noise"))
        #expect(t.window("bob") == nil)
        t.recv(":bob!b@h PART #c :bye")
        #expect(t.texts().last == "bob left #c (bye)")              // joins not ignored
        t.enter("/ignore *!*@spam.host joins")
        t.recv(":eve!e@spam.host JOIN #c")
        #expect(t.window("#c")!.nicks.count == 2)                   // the nick list still follows
        #expect(!t.texts().contains { $0.contains("eve") })
        t.recv(":eve!e@spam.host PRIVMSG #c :still heard")
        #expect(t.texts().last == "still heard")
        t.enter("/ignore")
        #expect(t.texts().last == "Ignored: bob!*@* (messages); *!*@spam.host (joins)")
        t.enter("/unignore bob")
        #expect(t.texts().last == "No longer ignoring bob!*@*.")
        t.recv(":bob!b@h PRIVMSG #c :heard again")
        #expect(t.texts().last == "heard again")
        t.enter("/ignore x sometimes")
        #expect(t.texts().last == "/ignore takes messages, joins or all, not sometimes.")
        t.enter("/unignore nobody")
        #expect(t.texts().last == "nobody!*@* is not ignored (/ignore lists them).")
    }

    @Test func hilightWordsMarkLines() {
        var t = channel()
        t.enter("/hilight release")
        t.recv(":bob!b@h PRIVMSG #c :the Release is out")
        #expect(t.window("#c")!.scrollback.lines.last!.highlight)
        t.recv(":bob!b@h PRIVMSG #c :releases are not the word")
        #expect(!t.window("#c")!.scrollback.lines.last!.highlight)
        t.enter("/dehilight release")
        t.recv(":bob!b@h PRIVMSG #c :release again")
        #expect(!t.window("#c")!.scrollback.lines.last!.highlight)
    }

    @Test func lastlogListsMatchingLines() {
        var t = channel()
        t.recv(":bob!b@h PRIVMSG #c :deploy at noon")
        t.recv(":bob!b@h PRIVMSG #c :lunch")
        t.recv(":ann!a@h PRIVMSG #c :\u{2}DEPLOY\u{2} done")
        t.enter("/lastlog deploy")
        let tail = Array(t.texts().suffix(3))
        #expect(tail[0] == "Lastlog for \"deploy\": 2 lines:")
        #expect(tail[1].hasSuffix("<bob> deploy at noon") && tail[2].hasSuffix("<ann> DEPLOY done"))
    }

    @Test func windowListCloseAndMove() {
        var t = channel()
        t.enter("/join #d")
        t.enter("/query bob")
        t.enter("/window list")
        #expect(Array(t.texts().suffix(4)) == ["  1: test:6667 (server)", "  2: #c (channel)", "  3: #d (channel, not joined)", "  4: bob (query)"])
        t.enter("/window move 2")
        #expect(t.state.windows.map(\.name) == ["test:6667", "bob", "#c", "#d"])
        #expect(t.state.activeWindow.name == "bob" && t.state.activeIndex == 1)
        #expect(t.window("#d") != nil && t.state.windowIndex("#d") == 3)
        t.enter("/window move 9")
        #expect(t.texts().last == "Windows 2 to 4 can be moved to.")
        t.enter("/window close")
        #expect(t.window("bob") == nil)
        t.enter("/window 3")
        #expect(t.state.activeWindow.name == "#d")
    }

    @Test func channelsFromListCompleteWithTab() {
        var t = channel()
        t.recv(":srv 322 me #rust 12 :Rust")
        t.recv(":srv 322 me #ruby 3 :Ruby")
        t.recv(":srv 322 me #c 1 :")
        t.type("/join #ru")
        t.key(.tab)
        #expect(t.state.editor.text == "/join #rust ")
        t.key(.tab)
        #expect(t.state.editor.text == "/join #ruby ")
        // A hostile list cannot grow the set without end.
        for i in 0..<(IRCLinkState.listedLimit + 10) { t.recv(":srv 322 me #x\(i) 1 :") }
        #expect(t.state.irc.listedChannels.count == IRCLinkState.listedLimit)
    }
}
