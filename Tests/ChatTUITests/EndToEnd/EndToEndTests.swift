import ChatPOSIX
import Foundation
import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

#if canImport(Glibc)
import Glibc
#endif

/// The real chat-server and chat-tui inside tmux: typed with send-keys, read with
/// capture-pane. Serialized: they share two cores with everything else.
@Suite(.serialized) struct EndToEndTests {
    /// alice in chat-tui, in #lobby of a real server, and bob, an IRC peer who joined #lobby and
    /// shows in her nick list.
    func aliceWithBob() async throws -> (server: ChatServer, tmux: Tmux, bob: IRCPeer) {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        try await startClient(tmux, server: server, nick: "alice")
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #lobby")
        try await tmux.waitFor(text: "│ bob")
        return (server, tmux, bob)
    }

    /// Starts a client for `nick` in `window` and waits until it is in #lobby.
    /// `then`: shell commands to run after the client (and the echo of its exit status).
    func startClient(_ tmux: Tmux, server: ChatServer, nick: String, window: String = "0", extra: String = "", then: String = "") async throws {
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(server.port) --nick \(nick) --channel '#lobby' \(extra)") + then, window: window)
        try await tmux.waitFor(text: "You joined #lobby", window: window)
    }

    /// Run while `cat -v` holds the terminal right after the client ended (so no shell
    /// has set anything up again): the pane is off the alternate screen, shows the cursor,
    /// reports no mouse, has normal cursor keys and keypad, and a bracketed paste arrives
    /// without its markers. Ends `cat` with Ctrl-C, then checks the termios flags.
    func expectTerminalGivenBack(_ tmux: Tmux, after what: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let flags = try await tmux.cmd(["display-message", "-p", "-t", ":0",
                                  "#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag} #{keypad_flag}"])
        #expect(flags.split(separator: "\n").first == "0 1 0 0 0",
                "after \(what): alternate screen, cursor shown, mouse, keypad cursor, keypad = \(flags)", sourceLocation: sourceLocation)
        // tmux wraps a paste in \e[200~ … \e[201~ only while the program asked for that;
        // the terminal echoes what it gets, ESC as ^[.
        let probe = "paste-probe-\(what.lowercased())"
        try await tmux.cmd(["set-buffer", "-b", "probe", probe])
        try await tmux.cmd(["paste-buffer", "-p", "-d", "-b", "probe", "-t", ":0"])
        let s = try await tmux.waitFor(text: probe, sourceLocation: sourceLocation)
        #expect(!s.contains { $0.contains("[200~") || $0.contains("[201~") }, "after \(what): bracketed paste still on", sourceLocation: sourceLocation)
        // ^C once cat runs: sent to the shell still starting it, it can be lost.
        var catRuns = false
        let deadline = Date().addingTimeInterval(10)
        while !catRuns && Date() < deadline {
            let pid = await tmux.programPID()
            catRuns = pid.flatMap { try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8) } == "cat\n"
            if !catRuns { await pause(.milliseconds(20)) }
        }
        try await tmux.keys("C-c")
        // Typed once the shell's prompt is back: typed sooner, cat could take the line.
        try await tmux.waitFor("the shell's prompt after cat", sourceLocation: sourceLocation) {
            $0.last { !$0.isEmpty }?.trimmingCharacters(in: .whitespaces) == "$"
        }
        // The marker is computed by the shell, so the typed command line never matches it.
        try await tmux.typeLine("stty -a | tr ' ' '\\n' | grep -x -- '-\\?\\(icanon\\|echo\\|isig\\|icrnl\\)' | tr '\\n' ' '; echo; echo stty-$((40+2))")
        let after = try await tmux.waitFor(text: "stty-42", sourceLocation: sourceLocation)
        let modes = after.last { $0.contains("icanon") && !$0.contains("stty") } ?? ""
        for flag in ["icanon", "echo", "isig", "icrnl"] {
            #expect(modes.contains(flag) && !modes.contains("-" + flag), "after \(what): \(flag) in \(modes)", sourceLocation: sourceLocation)
        }
    }

    @Test func twoUsersChat() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        let logDir = server.dir + "/logs"
        try await startClient(tmux, server: server, nick: "alice", extra: "--log-dir \(logDir)")
        let bobWindow = try await tmux.newWindow()
        try await startClient(tmux, server: server, nick: "bob", window: bobWindow)

        try await tmux.typeLine("hello bob, 你好!")
        try await tmux.waitFor(text: "<alice> hello bob, 你好!", window: bobWindow)
        try await tmux.typeLine("alice: hi there", window: bobWindow)
        let s = try await tmux.waitFor(text: "<bob> alice: hi there")
        // Both in the nick list, the first to join as operator.
        #expect(s.contains { $0.contains("│@alice") })
        #expect(s.contains { $0.contains("│ bob") })
        // The status bar names the nick, window, user count and connection.
        #expect(s[28].contains("alice │ 2:#lobby (2) │ connected"))

        let log = try String(contentsOfFile: logDir + "/#lobby.log", encoding: .utf8)
        #expect(log.contains("<alice> hello bob, 你好!"))
        #expect(log.contains("<bob> alice: hi there"))
    }

    @Test func nickListUpdatesOnJoinNickAndQuit() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        let carol = try await IRCPeer(port: server.port, nick: "carol")
        try carol.line("JOIN #lobby")
        // One frame draws both, but the terminal may be read between its writes: wait for both.
        try await tmux.waitFor("carol in the nick list and counted in the status bar") { s in
            s.contains { $0.contains("│ carol") } && s.count > 28 && s[28].contains("#lobby (2)")
        }
        try carol.line("NICK caroline")
        try await tmux.waitFor("caroline in the nick list") { $0.contains { $0.contains("│ caroline") } }
        try carol.line("QUIT :bye now")
        try await tmux.waitFor("caroline gone from the nick list and the count") { s in
            !s.contains { $0.contains("│ caroline") } && s.contains { $0.contains("caroline quit") }
                && s.count > 28 && s[28].contains("#lobby (1)")
        }
    }

    @Test func scrollingWithPageUpAndPageDown() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        let peer = try await IRCPeer(port: server.port, nick: "talker")
        try peer.line("JOIN #lobby")
        for i in 0..<80 { try peer.line("PRIVMSG #lobby :numbered line \(String(format: "%03d", i))") }
        try await tmux.waitFor(text: "numbered line 079")
        try await tmux.keys("PageUp")
        // One frame draws the marker and the scrolled lines, but the terminal may be read
        // between its writes: wait for the whole page.
        try await tmux.waitFor("a page up: line 040 shown, 079 below, the marker") { s in
            s.contains { $0.contains("more below") } && !s.contains { $0.contains("numbered line 079") }
                && s.contains { $0.contains("numbered line 040") }
        }
        try await tmux.keys("PageUp")
        try await tmux.waitFor(text: "numbered line 020")
        try await tmux.keys("PageDown")
        try await tmux.keys("PageDown")
        try await tmux.waitFor("the end again, no more-below marker") { s in
            s.contains { $0.contains("numbered line 079") } && !s.contains { $0.contains("more below") }
        }
    }

    @Test func resizeKeepsTheLayout() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        try await tmux.typeLine("a message long enough to wrap when the terminal becomes narrower than it is now, you will see")

        for (cols, rows) in [(70, 20), (40, 12), (20, 5), (100, 30)] {
            try await tmux.resize(cols: cols, rows: rows)
            // Wait for what only a frame drawn at the new size shows: tmux's cropped copy of
            // the old screen also has the input line at the bottom. Wide: the nick list's
            // separator in its new column; narrow: the status bar cut with "…" at the new
            // width.
            let s = try await tmux.waitFor("the layout at \(cols)x\(rows)") { s in
                guard s.count == rows, s.last?.hasPrefix("[#lobby]") == true, s[rows - 2].contains("alice") else { return false }
                if cols >= ScreenGeometry.nickListMinCols {
                    return column(of: "│", in: s[1]) == cols - ScreenGeometry.nickListWidth - 1
                }
                return s[rows - 2].hasSuffix("…") && DisplayWidth.of(s[rows - 2]) == cols
            }
            if cols >= ScreenGeometry.nickListMinCols {
                let sep = cols - ScreenGeometry.nickListWidth - 1
                for y in 1..<(rows - 2) { #expect(column(of: "│", in: s[y]) == sep, "\(cols)x\(rows) row \(y): \(s[y])") }
            } else {
                #expect(!s.dropFirst().dropLast(2).contains { $0.contains("@alice") }, "nick list hidden at \(cols)x\(rows)")
            }
            #expect(s.allSatisfy { DisplayWidth.of($0) <= cols })
        }
        // Still alive and typing after all that.
        try await tmux.typeLine("still here")
        try await tmux.waitFor(text: "<alice> still here")
    }

    @Test func wideCharacterMessageAligns() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        let peer = try await IRCPeer(port: server.port, nick: "wide")
        try peer.line("JOIN #lobby")
        let text = "中文 日本語 한국어 😀🎉 " + String(repeating: "宽字符", count: 20) + " end"
        try peer.line("PRIVMSG #lobby :\(text)")
        let s = try await tmux.waitFor(text: " end")
        let sep = 100 - ScreenGeometry.nickListWidth - 1
        for y in 1...27 { #expect(column(of: "│", in: s[y]) == sep, "row \(y): \(s[y])") }
        let first = try #require(s.firstIndex { $0.contains("<wide> 中文 日本語 한국어 😀🎉") })
        // Continuation rows are indented under the text.
        let indent = column(of: "中", in: s[first])!
        #expect(s[first + 1].prefix(indent).allSatisfy { $0 == " " })
        #expect(column(of: "宽", in: s[first + 1]) == indent)
    }

    @Test func rawModeAgainstAPlainLineServer() async throws {
        // Our server's human dialect is a plain line server: no IRC, the same screen.
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        let tom = try await tmux.newWindow()
        try await tmux.typeLine(clientCommand("connect telnet://127.0.0.1:\(server.port)"), window: tom)
        // The server's question has no line end: it becomes the input line's prompt.
        try await tmux.waitFor("the nickname prompt", window: tom) { $0.last?.hasPrefix("Choose a nickname:") == true }
        try await tmux.typeLine("tom", window: tom)
        var s = try await tmux.waitFor(text: "You joined #lobby", window: tom)
        #expect(s.contains { $0.hasSuffix("Choose a nickname: tom") })
        #expect(!s.contains { $0.contains("nickname: --") })
        // Our lines end in CR LF, so the server offers character mode: refused, and none of it
        // shown (no replacement characters for the telnet bytes).
        #expect(!s.contains { $0.contains("\u{FFFD}") })
        // The nick as the user answered the server's prompt (there is no IRC nick to show).
        #expect(s[28].contains(" tom │ 1:127.0.0.1:\(server.port) │ connected"))
        #expect(!s.contains { $0.contains("│") && $0.hasSuffix("│") })   // no nick list
        try await tmux.typeLine("hello from telnet 你好", window: tom)
        try await tmux.waitFor(text: "<tom> hello from telnet 你好")
        try await tmux.typeLine("hi tom")
        s = try await tmux.waitFor(text: "<alice> hi tom", window: tom)
        try await tmux.typeLine("/quit", window: tom)
        try await tmux.waitFor(text: "EXIT=0", window: tom)
    }

    @Test func rawModeAgainstNcatChat() async throws {
        guard let ncat = findExecutable("ncat") else {
            throw TestFailure("ncat is not installed; this test needs it (apt-get install -y ncat)")
        }
        let port = try freeLoopbackPort()
        let chat = try LoggedProcess(ncat, name: "chattui-ncat") { _ in ["--chat", "-l", "127.0.0.1", "\(port)"] }
        defer { chat.stopBlocking(SIGTERM, grace: 8) }
        try await chat.waitUntilListening(on: port)
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(port) --raw"))
        try await tmux.waitFor(text: "is connected as <user")
        let other = try await tmux.newWindow()
        try await tmux.typeLine(clientCommand("connect telnet://127.0.0.1:\(port)"), window: other)
        try await tmux.waitFor(text: "already connected", window: other)
        // ncat --chat escapes bytes above 127 itself, so plain ASCII here.
        try await tmux.typeLine("plain line from a neighbour", window: other)
        try await tmux.waitFor(text: "> plain line from a neighbour", window: other)   // our own line, shown locally
        try await tmux.waitFor("the line relayed by ncat") { s in
            s.contains { $0.contains("<user") && $0.contains("> plain line from a neighbour") }
        }
    }

    /// Without a terminal on both ends the client says so in one line and exits, instead
    /// of starting ncurses on a pipe (which spun at full CPU).
    @Test func refusesToRunWithoutATerminal() async throws {
        // Both ends redirected (stdin /dev/null, output to a file).
        let p = try LoggedProcess(productPath("chat-tui"), name: "chattui-notty") { _ in ["connect", "127.0.0.1:28201"] }
        #expect(await p.waitForExit(timeout: 60) == 1)
        #expect(p.log == "chat-tui: standard input and standard output are not a terminal; chat-tui is a full-screen program, run it in one.\n")

        // One end only, from a shell in a terminal.
        let tmux = try await Tmux()
        defer { tmux.kill() }
        let out = p.dir + "/screen.out"
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:28201 </dev/null"))
        var s = try await tmux.waitFor("the exit status") { $0.contains { $0.hasPrefix("EXIT=") } }
        #expect(s.contains("chat-tui: standard input is not a terminal; chat-tui is a full-screen program, run it in one."))
        #expect(s.contains("EXIT=1"))
        try await tmux.typeLine("clear; " + clientCommand("connect 127.0.0.1:28201 >\(out)"))
        // This run's status: once `clear` has run, the first run's lines are gone.
        s = try await tmux.waitFor("the exit status") { $0.contains { $0.hasPrefix("EXIT=") } && !$0.contains { $0.contains("</dev/null") } }
        #expect(s.contains("chat-tui: standard output is not a terminal; chat-tui is a full-screen program, run it in one."))
        #expect(s.contains("EXIT=1"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).isEmpty)
    }

    @Test func quitGivesTheTerminalBack() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice", then: "; cat -v")
        try await tmux.typeLine("/quit leaving now")
        try await tmux.waitFor(text: "EXIT=0")
        try await expectTerminalGivenBack(tmux, after: "quit")
        try await tmux.typeLine("echo prompt-$((40+2))")
        try await tmux.waitFor(text: "prompt-42")
    }

    @Test func signalsAndCrashesGiveTheTerminalBack() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        for (sig, status) in [(SIGTERM, "EXIT=0"), (SIGINT, "EXIT=0"), (SIGHUP, "EXIT=0"), (SIGQUIT, "EXIT=0"),
                              (SIGABRT, "EXIT=134"), (SIGSEGV, "EXIT=139")] {
            try await tmux.typeLine("clear")
            try await startClient(tmux, server: server, nick: "sig\(sig)", then: "; cat -v")
            let pid = try #require(await tmux.programPID())
            kill(pid, sig)
            try await tmux.waitFor(text: status, timeout: 20)
            try await expectTerminalGivenBack(tmux, after: Proc.signalName(sig))
        }
    }

    /// SIGUSR1, SIGUSR2 and SIGALRM ended the client by their default action, leaving
    /// bracketed paste on: they are ignored.
    @Test func signalsWithoutMeaningAreIgnored() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "usr", then: "; cat -v")
        let pid = try #require(await tmux.programPID())
        for sig in [SIGUSR1, SIGUSR2, SIGALRM] { kill(pid, sig) }
        try await tmux.typeLine("still here")
        try await tmux.waitFor(text: "<usr> still here")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
        try await expectTerminalGivenBack(tmux, after: "ignored signals")
    }

    /// After a suspension (SIGTSTP, then `fg`) bracketed paste was off (the shell turned it
    /// off), so a pasted block of lines was sent without asking.
    @Test func bracketedPasteIsBackAfterASuspension() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "tstp")
        let pid = try #require(await tmux.programPID())
        kill(pid, SIGTSTP)
        try await tmux.waitFor("the shell after the suspension") { $0.contains { $0.contains("Stopped") } }
        try await tmux.typeLine("fg")
        try await tmux.waitFor(text: "You joined #lobby")
        try await tmux.cmd(["set-buffer", "pasted 1\npasted 2\npasted 3\npasted 4"])
        try await tmux.cmd(["paste-buffer", "-p", "-t", ":0"])
        try await tmux.waitFor(text: "Send 4 pasted lines? (y/n)")
        try await tmux.type("n")
        try await tmux.typeLine("/quit")
        // The stopped job already let the shell go on to `echo EXIT=…`; the shell's screen
        // is back once the client has left.
        try await tmux.waitFor(text: "$ fg")
    }

    @Test func reconnectsAndRejoinsAfterTheServerRestarts() async throws {
        var server = try await ChatServer()
        let port = server.port
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await startClient(tmux, server: server, nick: "alice")
        try await tmux.typeLine("/join #second")
        try await tmux.waitFor(text: "You joined #second")
        server.stop()
        // Refused at once each time: 1 s, 2 s, then a 4 s wait the status bar counts down
        // (a frozen countdown would show "4 s" until the next attempt, then "8 s").
        try await tmux.waitFor(text: "disconnected, retry in 4 s", timeout: 20)
        try await tmux.waitFor(text: "disconnected, retry in 3 s", timeout: 3)
        server = try await ChatServer(port: port)
        try await tmux.waitFor("rejoined #second", timeout: 30) { s in
            s.filter { $0.contains("You joined #second") }.count >= 2 && s[28].contains("connected")
        }
        // #lobby got its own rejoin while we looked at #second.
        try await tmux.keys("M-2")
        try await tmux.waitFor("rejoined #lobby") { s in
            s[28].contains("2:#lobby") && s.filter { $0.contains("You joined #lobby") }.count >= 2
        }
    }
}

/// The /commands and window keys against the real server, through the terminal.
extension EndToEndTests {
    @Test func commandsAndWindowKeysAgainstTheServer() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill() }
        func status(_ text: String) async throws {
            try await tmux.waitFor("status bar \"\(text)\"") { $0.count == 30 && $0[28].contains(text) }
        }

        try await tmux.typeLine("/me waves")
        try await tmux.waitFor(text: "* alice waves")
        try await bob.expect("PRIVMSG #lobby :\u{1}ACTION waves\u{1}")

        try await tmux.typeLine("/names")
        try await tmux.waitFor(text: "Users on #lobby (2): @alice bob")

        // /msg without a window for the nick: sent, noted here, no window opened.
        try await tmux.typeLine("/msg bob psst")
        try await tmux.waitFor(text: "→ bob: psst")
        try await bob.expect("PRIVMSG bob :psst")
        try await status("2:#lobby")

        // /query opens the conversation and goes there; the answer lands in it.
        try await tmux.typeLine("/query bob in private")
        try await tmux.waitFor(text: "Conversation with bob")
        try await bob.expect("PRIVMSG bob :in private")
        try bob.line("PRIVMSG alice :private answer")
        try await tmux.waitFor(text: "<bob> private answer")
        try await status("3:bob")

        // Window keys: Alt-2, Ctrl-N, Ctrl-P (wrapping round), Alt-1.
        try await tmux.keys("M-2")
        try await status("2:#lobby")
        try await tmux.keys("C-n")
        try await status("3:bob")
        try await tmux.keys("C-n")
        try await status("1:127.0.0.1:\(server.port)")
        try await tmux.keys("C-p")
        try await status("3:bob")
        try await tmux.keys("M-2")
        try await status("2:#lobby")

        // F7 hides the nick list and brings it back.
        try await tmux.keys("F7")
        try await tmux.waitFor("the nick list hidden") { s in !s.contains { $0.contains("│@alice") } && s.contains { $0.contains("* alice waves") } }
        try await tmux.keys("F7")
        try await tmux.waitFor(text: "│@alice")

        // /nick: confirmed by the server, seen by bob.
        try await tmux.typeLine("/nick alicia")
        try await tmux.waitFor(text: "You are now known as alicia")
        try await status(" alicia │ 2:#lobby")
        try await bob.expect("NICK :alicia")

        // /clear empties this window only.
        try await tmux.typeLine("/clear")
        try await tmux.waitFor("#lobby cleared") { s in !s.contains { $0.contains("waves") || $0.contains("You joined") } }

        // /part leaves but keeps the window; /close closes it.
        try await tmux.typeLine("/part off now")
        try await tmux.waitFor(text: "You left #lobby (off now)")
        try await bob.expect("PART #lobby :off now")
        try await status("2:#lobby (0) (not joined)")
        try await tmux.typeLine("/close")
        try await status("2:bob")
        try await tmux.typeLine("/close")
        try await status("1:127.0.0.1:\(server.port)")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
