import Testing
import TestSupport
@testable import ChatTUI

/// An irssi user's habits through the terminal, against the real server.
extension EndToEndTests {
    @Test func ctrlCKeepsTheLineCtrlDAsksAndAQueryFollowsTheServersSpelling() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }
        func status(_ text: String) async throws {
            try await tmux.waitFor("status bar \"\(text)\"") { $0.count == 30 && $0[28].contains(text) }
        }

        // Ctrl-C (irssi's colour key) neither quits nor throws the line away.
        try await tmux.type("kept through ctrl-c")
        try await tmux.keys("C-c")
        try await tmux.waitFor("the hint, the line still typed") { s in
            s.contains { $0.contains("Ctrl-C does not quit") } && s.last?.hasPrefix("[#lobby] kept through ctrl-c") == true
        }
        try await tmux.keys("Enter")
        try await bob.expect("PRIVMSG #lobby :kept through ctrl-c")

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
