import ChatPOSIX
import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

@Suite(.serialized, .compute) struct ScrollTests {
    func filled(_ n: Int, rows: Int = 24) -> ScriptedClient {
        var t = ScriptedClient.registered(channels: ["#c"], rows: rows)
        t.recv(":me!u@h JOIN #c")
        for i in 0..<n { t.recv(":bob!b@h PRIVMSG #c :message \(i)") }
        return t
    }

    @Test func pageUpShowsOlderLinesAndMoreBelow() {
        var t = filled(100)
        let g = t.state.geometry
        #expect(t.screen()[g.chatTop + g.chatHeight - 1].contains("message 99"))
        t.key(.pageUp)
        let s = t.screen()
        #expect(s[g.chatTop + g.chatHeight - 1].contains("message \(99 - g.pageRows)"))
        #expect(s[g.statusRow!].contains("more below (\(g.pageRows))"))
        // New lines while scrolled up do not move the view.
        t.recv(":bob!b@h PRIVMSG #c :newer")
        #expect(t.screen()[g.chatTop + g.chatHeight - 1].contains("message \(99 - g.pageRows)"))
        t.key(.pageDown)
        t.key(.pageDown)
        #expect(t.state.activeWindow.scroll == nil)
        #expect(t.screen()[g.chatTop + g.chatHeight - 1].contains("newer"))
    }

    @Test func wheelScrollsThreeRowsAndTopStops() {
        var t = filled(30)
        t.key(.wheelUp)
        #expect(t.state.activeWindow.scroll?.seq == t.state.activeWindow.scrollback.lastSeq! - 3)
        for _ in 0..<50 { t.key(.pageUp) }
        let g = t.state.geometry
        // At the top the first line is on the first chat row, not scrolled past.
        #expect(t.screen()[g.chatTop].contains("You joined #c"))
        t.key(.ctrlEnd)
        #expect(t.state.activeWindow.scroll == nil)
    }

    @Test func scrollingCountsWrappedRows() {
        var t = ScriptedClient.registered(channels: ["#c"], cols: 40, rows: 10)
        t.recv(":me!u@h JOIN #c")
        for i in 0..<20 { t.recv(":bob!b@h PRIVMSG #c :\(i) " + String(repeating: "long ", count: 10)) }
        let before = Layout.visibleRows(of: t.state.activeWindow, width: 40, height: 6, utcOffset: 0)
        t.key(.wheelUp)
        let after = Layout.visibleRows(of: t.state.activeWindow, width: 40, height: 6, utcOffset: 0)
        #expect(Array(before.prefix(3)) == Array(after.suffix(3)))
    }

    /// A full scrollback drops its oldest lines while the user looks at them: the view
    /// stays full, starting at the oldest line left, and "more below" counts from its bottom.
    @Test func scrolledUpViewStaysFullWhileAFullScrollbackDropsLines() {
        var t = ScriptedClient(channels: ["#sb"], scrollback: 100, cols: 80, rows: 15)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.recv(":me!u@h JOIN #sb")
        for i in 0..<150 { t.recv(":bob!b@h PRIVMSG #sb :line \(i)") }
        t.key(.ctrlHome)
        let g = t.state.geometry
        func chat(_ s: [String]) -> [String] { Array(s[g.chatTop..<(g.chatTop + g.chatHeight)]) }
        #expect(chat(t.screen()).allSatisfy { $0.contains("<bob> line") })
        for i in 150..<160 {
            t.recv(":bob!b@h PRIVMSG #sb :line \(i)")
            let s = t.screen()
            let rows = chat(s)
            #expect(rows.allSatisfy { $0.contains("<bob> line") }, "after line \(i):\n\(s.joined(separator: "\n"))")
            // The top row is the oldest line kept.
            let oldest = t.state.activeWindow.scrollback.lines.first!.text
            #expect(rows.first?.contains("<bob> \(oldest) ") == true, "top row: \(rows.first ?? "")")
            let below = t.state.activeWindow.linesBelow
            #expect(s[g.statusRow!].contains("more below (\(below))"))
            #expect(rows.last?.contains("line \(i - below)") == true, "bottom row is \(below) lines above the newest")
        }
        // Scrolling down from there moves on from what is shown.
        t.key(.pageDown)
        #expect(chat(t.screen()).first?.contains("line \(60 + g.pageRows)") == true)
    }

    /// At the top of wrapped lines, a wider terminal needs fewer rows for them: the view
    /// still fills the chat area.
    @Test func scrolledToTheTopStaysFullWhenTheTerminalWidens() {
        var t = ScriptedClient.registered(channels: ["#c"], cols: 40, rows: 12)
        t.recv(":me!u@h JOIN #c")
        for i in 0..<30 { t.recv(":bob!b@h PRIVMSG #c :\(i) " + String(repeating: "wrap ", count: 12)) }
        t.key(.ctrlHome)
        t.apply(.resize(cols: 120, rows: 12))
        let g = t.state.geometry
        let rows = t.screen()[g.chatTop..<(g.chatTop + g.chatHeight)]
        #expect(rows.allSatisfy { $0.contains("wrap") || $0.contains("#c") }, "\(rows.joined(separator: "\n"))")
        #expect(rows.first?.contains("You joined #c") == true)
    }

    @Test func markerLineShowsWhereTheUserLeft() {
        var t = filled(3)
        t.key(.alt("1"))
        t.recv(":bob!b@h PRIVMSG #c :unseen 1")
        t.recv(":bob!b@h PRIVMSG #c :unseen 2")
        t.key(.alt("2"))
        let s = t.screen()
        let marker = s.firstIndex { $0.contains("─── new ──") }
        let first = s.firstIndex { $0.contains("unseen 1") }
        #expect(marker != nil && first == marker! + 1)
        // Leaving and coming back with nothing new: no marker.
        t.key(.alt("1"))
        t.key(.alt("2"))
        #expect(!t.screen().contains { $0.contains("─── new ──") })
    }
}

@Suite(.serialized, .compute) struct FrameTests {
    @Test func nickListOnTheRightAlignedWithWideCharacters() {
        var t = ScriptedClient.registered(channels: ["#c"], cols: 100, rows: 30)
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 353 me = #c :@me bob +carol")
        t.recv(":srv 366 me #c :End")
        t.recv(":bob!b@h PRIVMSG #c :你好世界 😀 日本語 한국어 " + String(repeating: "宽", count: 60))
        let s = t.screen()
        let sep = 100 - ScreenGeometry.nickListWidth - 1
        for y in 1...27 {
            #expect(columnOf("│", in: s[y]) == sep, "row \(y): \(s[y])")
        }
        #expect(s[1].hasSuffix("│@me             "))
        #expect(s[2].contains("│+carol"))
        #expect(s[3].contains("│ bob"))
    }

    @Test func narrowTerminalsHideTheNickListAndF7TogglesIt() {
        var t = ScriptedClient.registered(channels: ["#c"], cols: 59, rows: 20)
        t.recv(":me!u@h JOIN #c")
        #expect(t.state.geometry.nickListLeft == nil)
        t.apply(.resize(cols: 80, rows: 20))
        #expect(t.state.geometry.nickListLeft == 64)
        t.key(.function(7))
        #expect(t.state.geometry.nickListLeft == nil)
        t.key(.alt("N"))
        #expect(t.state.geometry.nickListLeft == 64)
    }

    @Test func statusBarShowsNickWindowUsersConnectionAndLag() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 353 me = #c :@me bob")
        t.recv(":srv 366 me #c :End")
        t.state.lagMillis = 42
        let status = t.screen()[22]
        #expect(status.contains(" me │ 2:#c (2) │ connected, lag 0.0 s"))
    }

    @Test func everySizeDownTo1x1LaysOutWithoutCrashing() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 353 me = #c :@me bob")
        for i in 0..<40 { t.recv(":bob!b@h PRIVMSG #c :line \(i) 你好 😀 with some words to wrap around") }
        t.type("a long input line " + String(repeating: "你好 ", count: 30))
        t.key(.pageUp)
        for cols in [1, 2, 5, 10, 19, 20, 21, 40, 59, 60, 61, 100, 200] {
            for rows in [1, 2, 3, 4, 5, 6, 10, 30, 60] {
                t.apply(.resize(cols: cols, rows: rows))
                let f = t.state.frame()
                let lines = f.lines()
                #expect(lines.count == rows)
                #expect(lines.allSatisfy { DisplayWidth.of($0) == cols }, "\(cols)x\(rows)")
                #expect(f.cursorColumn < cols)
                t.key(.pageUp)
                t.key(.wheelDown)
            }
        }
    }

    @Test func longInputScrollsHorizontallyKeepingTheCursorVisible() {
        var t = ScriptedClient.registered(channels: ["#c"], cols: 30, rows: 10)
        t.type(String(repeating: "abcdefghij", count: 5))
        var (row, cursor) = t.state.inputRow(width: 30)
        #expect(row.width <= 30)
        #expect(row.text.hasSuffix("ij"))
        #expect(cursor == 29 || cursor == row.width)
        t.key(.home)
        (row, cursor) = t.state.inputRow(width: 30)
        #expect(row.text.hasPrefix("[#c] abcdefghij"))
        #expect(cursor == 5)
    }

    func columnOf(_ c: Character, in line: String) -> Int? {
        var col = 0
        for ch in line {
            if ch == c { return col }
            col += DisplayWidth.of(ch)
        }
        return nil
    }
}

@Suite(.serialized, .compute) struct ServerTargetTests {
    @Test func forms() throws {
        #expect(try ServerTarget.parse("127.0.0.1:4444") == ServerTarget(host: "127.0.0.1", port: 4444, raw: false, channels: []))
        #expect(try ServerTarget.parse("telnet://chat.example:2323") == ServerTarget(host: "chat.example", port: 2323, raw: true, channels: []))
        #expect(try ServerTarget.parse("irc://irc.example/#swift,linux") == ServerTarget(host: "irc.example", port: 6667, raw: false, channels: ["#swift", "#linux"]))
        #expect(try ServerTarget.parse("irc://[::1]:6697/%23x") == ServerTarget(host: "::1", port: 6697, raw: false, channels: ["#x"]))
        #expect(try ServerTarget.parse("localhost") == ServerTarget(host: "localhost", port: 4444, raw: false, channels: []))
        #expect(throws: ServerTarget.ParseError.unknownScheme("http")) { try ServerTarget.parse("http://x:1") }
        #expect(throws: ServerTarget.ParseError.badAddress("x:notaport")) { try ServerTarget.parse("x:notaport") }
    }

    /// ":4444" would mean 0.0.0.0 (the server's --listen reads it so): a client must name
    /// its server.
    @Test func anEmptyHostIsRefused() {
        for text in [":4444", "irc://:6667/#x", "telnet://:23", "[]:4444", ":"] {
            #expect(throws: ServerTarget.ParseError.noHost(text)) { try ServerTarget.parse(text) }
        }
        #expect(ServerTarget.ParseError.noHost(":4444").description.contains("names no host"))
        // The shared parser keeps its meaning for the server.
        #expect(SocketAddress.splitHostPort(":4444")! == ("0.0.0.0", 4444))
    }

    @Test func commandLineNickChecksSayWhatIsWrong() {
        func message(_ args: [String]) -> String {
            do {
                _ = try ChatTUICommand.Connect.parse(["127.0.0.1:4444"] + args)
                return ""
            } catch {
                return ChatTUICommand.Connect.message(for: error)
            }
        }
        #expect(message(["--nick", String(repeating: "a", count: 40)]).contains("is too long for a nick: at most 30 characters"))
        #expect(message(["--nick", String(repeating: "a", count: 30)]) == "")
        #expect(message(["--nick", "9lives"]).contains("start with a letter or one of"))
        #expect(message(["--nick", "[away]"]) == "")
    }

    @Test func logFileNamesAreSafe() {
        #expect(LogFiles.fileName(for: "#Chat") == "#chat.log")
        #expect(LogFiles.fileName(for: "../etc/passwd") == "_._etc_passwd.log")
        #expect(LogFiles.fileName(for: "127.0.0.1:4444") == "127.0.0.1:4444.log")
    }

    @Test func loggingEmitsOneLinePerWindowLine() {
        var t = ScriptedClient(channels: ["#c"], logging: true)
        t.apply(.connected)
        t.recv(":srv 001 me :hi")
        t.recv(":me!u@h JOIN #c")
        t.recv(":bob!b@h PRIVMSG #c :logged")
        let logs = t.state.takeEffects().compactMap { e -> String? in
            if case .log(let w, let text) = e, w == "#c" { return text } else { return nil }
        }
        #expect(logs.last?.hasSuffix(" <bob> logged") == true)
    }
}
