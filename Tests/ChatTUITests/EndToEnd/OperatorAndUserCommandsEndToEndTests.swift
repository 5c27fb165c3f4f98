import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// The commands an irssi user reaches for, against the real server: operator commands, /who,
/// /away, /ignore, /hilight, /lastlog, /ping, /window list and move, channel completion.
extension EndToEndTests {
    @Test func operatorAndUserCommandsAgainstTheServer() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }
        func status(_ text: String) async throws {
            try await tmux.waitFor("status bar \"\(text)\"") { $0.count == 30 && $0[28].contains(text) }
        }

        // alice created #lobby: she is its operator.
        try await tmux.typeLine("/voice bob")
        try await tmux.waitFor(text: "│+bob")
        try await tmux.typeLine("/op bob")
        try await tmux.waitFor(text: "│@bob")
        try await tmux.typeLine("/deop bob")
        try await tmux.waitFor("bob voiced again") { s in s.contains { $0.hasSuffix("│+bob") } }
        try await tmux.typeLine("/who")
        try await tmux.waitFor(text: "#lobby bob ")
        try await tmux.typeLine("/ban nobody")
        try await tmux.waitFor(text: "sets mode +b nobody!*@*")
        try await tmux.typeLine("/invite carol")
        try await tmux.waitFor(text: "No such nick")

        // /away: the status bar says so until /away again.
        try await tmux.typeLine("/away at lunch")
        try await status(" alice (away) │ 2:#lobby")
        try await tmux.typeLine("/away")
        try await status(" alice │ 2:#lobby")

        // /hilight a word; /lastlog finds lines; /ignore hides bob's messages.
        try await tmux.typeLine("/hilight deploy")
        try bob.line("PRIVMSG #lobby :the deploy went fine")
        try await tmux.waitFor(text: "<bob> the deploy went fine")
        try await tmux.typeLine("/lastlog deploy")
        try await tmux.waitFor(text: "Lastlog for \"deploy\": 1 line:")
        try await tmux.typeLine("/ignore bob messages")
        try await tmux.waitFor(text: "Ignoring bob!*@* (messages).")
        try bob.line("PRIVMSG #lobby :ignored noise")
        try bob.line("NICK bobby")
        try await tmux.waitFor(text: "bob is now known as bobby")
        #expect(!(await tmux.screen()).contains { $0.contains("ignored noise") })
        try bob.line("NICK bob")
        try await tmux.waitFor(text: "bobby is now known as bob")
        try await tmux.typeLine("/unignore bob")
        try bob.line("PRIVMSG #lobby :heard again")
        try await tmux.waitFor(text: "<bob> heard again")

        // /ping: bob answers as a client would; the round trip is shown.
        try await tmux.typeLine("/ping bob")
        try await bob.expect("PRIVMSG bob :\u{1}PING ")
        let token = bob.received.components(separatedBy: "PRIVMSG bob :\u{1}PING ").last?.prefix { $0.isNumber } ?? ""
        try bob.line("NOTICE alice :\u{1}PING \(token)\u{1}")
        try await tmux.waitFor(text: "CTCP PING reply from bob: ")

        // Channel completion from /list, then /window list and move.
        try await tmux.typeLine("/join #zeta")
        try await tmux.waitFor(text: "You joined #zeta")
        try bob.line("JOIN #omega")
        try await tmux.typeLine("/list")
        try await tmux.keys("M-1")
        try await tmux.waitFor(text: "End of the channel list.")
        try await tmux.keys("M-3")
        try await tmux.type("/join #om")
        try await tmux.keys("Tab")
        try await tmux.waitFor("#omega completed") { $0.last?.hasPrefix("[#zeta] /join #omega") == true }
        try await tmux.keys("C-u")
        try await tmux.typeLine("/window list")
        try await tmux.waitFor(text: "3: #zeta (channel)")
        try await tmux.typeLine("/window move 2")
        try await status("2:#zeta")
        try await tmux.keys("M-3")
        try await status("3:#lobby")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}

extension EndToEndTests {
    @Test func ctrlRSearchesTheScrollback() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }
        try bob.line("PRIVMSG #lobby :the haystack holds a needle")
        for i in 0..<40 { try bob.line("PRIVMSG #lobby :filler line \(i)") }
        try await tmux.waitFor(text: "filler line 39")
        try await tmux.keys("C-r")
        try await tmux.type("needle")
        let s = try await tmux.waitFor("the match in view") { s in
            s.count == 30 && s.last?.hasPrefix("(search) needle") == true && s.contains { $0.contains("<bob> the haystack holds a needle") }
        }
        #expect(s[28].contains("-- more below"))
        try await tmux.keys("Escape")
        try await tmux.waitFor("back at the end") { s in
            s.count == 30 && s.last?.hasPrefix("[#lobby]") == true && !s[28].contains("more below") && s.contains { $0.contains("filler line 39") }
        }
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
