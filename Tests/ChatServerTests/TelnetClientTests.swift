import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// The real `telnet` (inetutils, Debian's `telnet` package) in tmux against the real server,
/// in character mode: the server edits the input line, and `capture-pane` shows what a person
/// sees. `.ci/run` installs telnet; a missing one fails the test.
@Suite(.serialized) struct TelnetClientTests {
    /// The rows with something on them (capture-pane keeps the empty rows below).
    private func rows(_ s: [String]) -> [String] {
        var r = s
        while r.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { r.removeLast() }
        return r
    }

    private func cursorX(_ tmux: Tmux) async throws -> Int {
        Int(try await tmux.cmd(["display-message", "-p", "-t", ":0", "#{cursor_x}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// telnet connected to `server`, negotiating (inetutils does only with `-- -PORT`), logged
    /// in as `nick`, the input row showing `[#lobby]`.
    /// With `negotiating` off, plain `telnet 127.0.0.1 PORT`: line mode until its nickname
    /// (its Enter is CR LF), then the server's offer and character mode.
    private func startTelnet(_ tmux: Tmux, _ server: ServerProcess, nick: String, negotiating: Bool = true) async throws {
        guard let telnet = findExecutable("telnet") else {
            throw TestFailure("telnet is not installed; this test needs it (apt-get install -y telnet)")
        }
        try await startClient(tmux, "\(telnet) 127.0.0.1 " + (negotiating ? "-- -\(server.port)" : "\(server.port)"), nick: nick)
    }

    /// Types `half`, has bob say `line`, and waits for bob's line above the intact half line,
    /// the cursor after it.
    private func halfLineSurvives(_ tmux: Tmux, _ bob: UserConnection, half: String, line: String) async throws {
        try await tmux.type(half)
        try await tmux.waitFor("the half line") { rows($0).last == "[#lobby] \(half)" }
        try bob.line(line)
        try await tmux.waitFor("bob's line above the intact half line", timeout: 20) { s in
            let r = rows(s)
            return r.count >= 2 && r[r.count - 1] == "[#lobby] \(half)" && r[r.count - 2].hasSuffix("] <bob> \(line)")
        }
        #expect(try await cursorX(tmux) == 9 + half.count)
    }

    /// `command` started in tmux, logged in as `nick`, the input row showing `[#lobby]`.
    private func startClient(_ tmux: Tmux, _ command: String, nick: String) async throws {
        try await tmux.typeLine("exec env TERM=xterm \(command)")
        try await tmux.waitFor("the nickname prompt") { rows($0).last?.hasPrefix("Choose a nickname:") == true }
        try await tmux.type(nick)
        try await tmux.keys("Enter")
        try await tmux.waitFor("the input row after the join", timeout: 20) { s in
            let r = rows(s)
            return r.count >= 2 && r.last == "[#lobby]" && r.contains { $0.hasSuffix("-- You joined #lobby") }
        }
    }

    @Test func aHalfTypedLineSurvivesOtherPeoplesLines() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let tmux = try await Tmux(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await startTelnet(tmux, server, nick: "alice")
        try await bob.expect("alice joined")
        let half = "I am typing a long sent"
        try await tmux.type(half)
        try await tmux.waitFor("the half line") { rows($0).last == "[#lobby] \(half)" }
        try bob.line("interrupting you!")
        try bob.line("and again")
        try await tmux.waitFor("bob's lines above the intact half line", timeout: 20) { s in
            let r = rows(s)
            return r.count >= 3 && r[r.count - 1] == "[#lobby] \(half)"
                && r[r.count - 3].hasSuffix("] <bob> interrupting you!") && r[r.count - 2].hasSuffix("] <bob> and again")
        }
        #expect(try await cursorX(tmux) == 9 + half.count)
        // Still editable: a typo, Backspace, the rest, Enter.
        try await tmux.type("ex")
        try await tmux.keys("BSpace")
        try await tmux.type("nce here")
        try await tmux.keys("Enter")
        try await bob.expect("<alice> I am typing a long sentence here")
        try await tmux.waitFor("the own line shown as everyone's, a fresh prompt") { s in
            let r = rows(s)
            return r.last == "[#lobby]" && r.dropLast().last?.hasSuffix("] <alice> I am typing a long sentence here") == true
        }
        // Editing in the middle: Home, a word at the front, End.
        try await tmux.type("world")
        try await tmux.keys("Home")
        try await tmux.type("hello ")
        try await tmux.keys("End")
        try await tmux.type("!")
        try await tmux.waitFor("the edited row") { rows($0).last == "[#lobby] hello world!" }
        try await tmux.keys("Enter")
        try await bob.expect("<alice> hello world!")
        // Tab completes a nick of the channel.
        try await tmux.type("bo")
        try await tmux.keys("Tab")
        try await tmux.waitFor("the completed nick") { rows($0).last == "[#lobby] bob:" }
        try await tmux.type("done")
        try await tmux.keys("Enter")
        try await bob.expect("<alice> bob: done")
    }

    @Test func historyCtrlCAndResizing() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let tmux = try await Tmux(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await startTelnet(tmux, server, nick: "alice")
        try await bob.expect("alice joined")
        try await tmux.type("the first line")
        try await tmux.keys("Enter")
        try await bob.expect("<alice> the first line")
        // Ctrl-C clears what is typed, without sending it or quitting.
        try await tmux.type("never to be sent")
        try await tmux.waitFor("the typed row") { rows($0).last == "[#lobby] never to be sent" }
        try await tmux.keys("C-c")
        try await tmux.waitFor("an empty row") { rows($0).last == "[#lobby]" }
        // Up brings the last line back, editable.
        try await tmux.keys("Up")
        try await tmux.waitFor("the recalled line") { rows($0).last == "[#lobby] the first line" }
        try await tmux.keys("C-w")
        try await tmux.type("again")
        try await tmux.keys("Enter")
        try await bob.expect("<alice> the first again")
        #expect(!bob.text.contains("never to be sent"))
        // A line wider than the window scrolls sideways; a narrower window (NAWS) keeps the
        // row inside it, a wider one shows all of it again.
        let long = (1...6).map { "word\($0)-long" }.joined(separator: " ")
        try await tmux.type(long)
        try await tmux.waitFor("the long row") { rows($0).last == "[#lobby] \(long)" }
        try await tmux.resize(cols: 40, rows: 24)
        try await tmux.waitFor("the row scrolled within 40 columns", timeout: 20) { s in
            guard let last = rows(s).last else { return false }
            return last.hasPrefix("[#lobby] ") && last.hasSuffix("word6-long") && last.count <= 39 && !last.contains("word1")
        }
        try await tmux.resize(cols: 100, rows: 24)
        try await tmux.waitFor("the whole row again", timeout: 20) { rows($0).last == "[#lobby] \(long)" }
        try await tmux.keys("Enter")
        try await bob.expect("<alice> \(long)")
        // Ctrl-D on an empty line asks; a second one quits.
        try await tmux.keys("C-d")
        try await tmux.waitFor(text: "Press Ctrl-D again to quit.")
        try await tmux.keys("C-d")
        try await bob.expect("-- alice quit")
        await tmux.waitUntilEnded()
    }
    /// Plain `telnet host PORT`, no dash: it negotiates nothing, but its Enter is CR LF, so
    /// the server offers character mode at the nickname and it has the editor in the lobby.
    @Test func plainTelnetWithoutTheDashGetsTheEditorAfterItsNickname() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let tmux = try await Tmux(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await startTelnet(tmux, server, nick: "alice", negotiating: false)
        try await bob.expect("alice joined")
        // The nickname as the client echoed it in line mode, and no trace of the offer.
        let s = rows(await tmux.screen())
        #expect(s.contains("Choose a nickname: alice"), "\(s)")
        #expect(!s.contains { $0.contains("\u{FFFD}") }, "\(s)")
        try await halfLineSurvives(tmux, bob, half: "typed before bob", line: "interrupting you!")
        // Editing keys: Home, Ctrl-E, Backspace, Left.
        try await tmux.keys("Home")
        try await tmux.type("I ")
        try await tmux.keys("C-e")
        try await tmux.keys("BSpace", "BSpace", "BSpace")
        try await tmux.type("Bb")
        try await tmux.keys("Left")
        try await tmux.type("o")
        try await tmux.keys("C-e")
        try await tmux.type("!")
        try await tmux.waitFor("the edited row") { rows($0).last == "[#lobby] I typed before Bob!" }
        try await tmux.keys("Enter")
        try await bob.expect("<alice> I typed before Bob!")
        try await tmux.waitFor("the own line shown as everyone's, a fresh prompt") { s in
            let r = rows(s)
            return r.last == "[#lobby]" && r.dropLast().last?.hasSuffix("] <alice> I typed before Bob!") == true
        }
        // History.
        try await tmux.keys("Up")
        try await tmux.waitFor("the recalled line") { rows($0).last == "[#lobby] I typed before Bob!" }
    }

    /// PuTTY's own telnet backend (`plink -telnet`, Debian's putty-tools) negotiates at once:
    /// character mode from the nickname on. `.ci/run` installs putty-tools.
    @Test func puttyGetsTheEditor() async throws {
        guard let plink = findExecutable("plink") else {
            throw TestFailure("plink is not installed; this test needs it (apt-get install -y putty-tools)")
        }
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let tmux = try await Tmux(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await startClient(tmux, "\(plink) -telnet -P \(server.port) 127.0.0.1", nick: "carol")
        try await bob.expect("carol joined")
        try await halfLineSurvives(tmux, bob, half: "half a line", line: "interrupting carol")
        try await tmux.keys("C-u")
        try await tmux.type("bo")
        try await tmux.keys("Tab")
        try await tmux.waitFor("the completed nick") { rows($0).last == "[#lobby] bob:" }
        try await tmux.type("hi")
        try await tmux.keys("Enter")
        try await bob.expect("<carol> bob: hi")
        try await tmux.keys("C-d")
        try await tmux.waitFor(text: "Press Ctrl-D again to quit.")
        try await tmux.keys("C-d")
        try await bob.expect("-- carol quit")
    }
}
