import Testing
import TestSupport
@testable import ChatTUI

/// An irssi user's habits through the terminal, against the real server: formatting keys
/// (Ctrl-C among them, which never quits), Ctrl-U, Ctrl-D, a query's spelling.
extension EndToEndTests {
    @Test func formattingKeysCtrlDAsksCtrlUAndAQueryFollowsTheServersSpelling() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }
        func status(_ text: String) async throws {
            try await tmux.waitFor("status bar \"\(text)\"") { $0.count == 30 && $0[28].contains(text) }
        }

        // Ctrl-C is irssi's colour key: it neither quits nor throws the line away. With
        // Ctrl-B (bold) and Ctrl-_ (underline), the codes show as letters in reverse.
        try await tmux.type("kept ")
        try await tmux.keys("C-b")
        try await tmux.type("bold")
        try await tmux.keys("C-b")
        try await tmux.type(" ")
        try await tmux.keys("C-c")
        try await tmux.type("4red ")
        try await tmux.keys("C-_")
        try await tmux.type("under")
        try await tmux.waitFor("the codes in the input line") { $0.last?.hasPrefix("[#lobby] kept BboldB C4red _under") == true }
        try await tmux.keys("Enter")
        try await bob.expect("PRIVMSG #lobby :kept \u{2}bold\u{2} \u{3}4red \u{1f}under")
        try await tmux.waitFor(text: "<alice> kept bold red under")
        let styled = try await tmux.cmd(["capture-pane", "-p", "-e", "-t", ":0"])
        let row = styled.split(separator: "\n").first { $0.contains("kept") }.map(String.init) ?? ""
        #expect(row.contains("1mbold") && row.contains("4munder"), "\(row.debugDescription)")

        // Ctrl-U erases the whole line, wherever the cursor is; Ctrl-Y brings it back.
        try await tmux.type("erased whole")
        try await tmux.keys("C-a", "C-f", "C-f", "C-u")
        try await tmux.waitFor("an empty input line") { $0.last?.trimmingCharacters(in: .whitespaces) == "[#lobby]" }
        try await tmux.keys("C-y", "Enter")
        try await bob.expect("PRIVMSG #lobby :erased whole")

        // /query BOB takes the server's spelling once bob answers.
        try await tmux.typeLine("/query BOB spelled loud")
        try await status("3:BOB")
        try await bob.expect(":spelled loud")
        try bob.line("PRIVMSG alice :quietly")
        try await tmux.waitFor(text: "<bob> quietly")
        try await status("3:bob")

        // Ctrl-D on an empty line asks; n stays, y leaves.
        try await tmux.keys("C-d")
        try await tmux.waitFor("the question") { $0.last?.hasPrefix("Quit chat-tui? (y/n)") == true }
        try await tmux.keys("n")
        try await tmux.waitFor("the input line back") { $0.last?.trimmingCharacters(in: .whitespaces) == "[bob]" }
        try await tmux.keys("C-d")
        try await tmux.waitFor("the question again") { $0.last?.hasPrefix("Quit chat-tui? (y/n)") == true }
        try await tmux.keys("y")
        try await tmux.waitFor(text: "EXIT=0")
        try await bob.expect("QUIT")
    }
}
