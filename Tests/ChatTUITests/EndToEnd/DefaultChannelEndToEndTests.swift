import Testing
import TestSupport
@testable import ChatTUI

/// Landing somewhere: with no --channel, chat-tui joins the channel our server names
/// (ISUPPORT DEFCHAN), where telnet users are put too.
extension EndToEndTests {
    @Test func withNoChannelNamedTheClientLandsInTheServersDefaultChannel() async throws {
        let server = try await ChatServer()
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(server.port) --nick alice"))
        try await tmux.waitFor(text: "You joined #lobby")
        try await tmux.waitFor("#lobby's window, with alice in its nick list") { s in
            s.count == 30 && s[28].contains(" alice │ 2:#lobby (1)") && s.contains { $0.hasSuffix("│@alice") }
        }
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #lobby")
        try bob.line("PRIVMSG #lobby :found you")
        try await tmux.waitFor(text: "<bob> found you")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
