import Foundation
import Testing
import TestSupport

/// A message at or over the 512-byte line limit: an IRC reader gets one line, cut to fit, never
/// the message split in two (irctest's buffering.py); a telnet user's long line reaches IRC and
/// telnet readers whole, as several messages that each fit.
@Suite(.serialized) struct LongLineTests {
    /// The `PRIVMSG` lines in `text`, without their line ends.
    private func privmsgs(_ text: String) -> [Substring] {
        text.split(separator: "\r\n").filter { $0.contains(" PRIVMSG ") }
    }

    @Test func aFullIRCLineIsRelayedAsOneCutLine() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob")
        let head = "PRIVMSG bob :"
        for payload in [String(repeating: "a", count: 510 - head.utf8.count),
                        String(repeating: "a", count: 510 - head.utf8.count - 4) + "😃",
                        String(repeating: "a", count: 510 - head.utf8.count - 5) + "😃b"] {
            try alice.line(head + payload)
            try alice.line("PRIVMSG bob :end")
            let got = privmsgs(try await bob.expect("PRIVMSG bob :end"))
            #expect(got.count == 2, "\(got)")
            let line = try #require(got.first)
            #expect(line.utf8.count + 2 <= 512)
            let text = String(line[line.range(of: "PRIVMSG bob :")!.upperBound...])
            #expect(!text.isEmpty && payload.hasPrefix(text))
            #expect(text.utf8.count < payload.utf8.count, "the prefix made room: the text was cut")
        }
    }

    @Test func aTelnetUsersLongLineReachesEveryReaderWhole() async throws {
        let server = try await ServerProcess()
        let irc = try await ircUser(server, nick: "ircbob", join: "#lobby")
        let reader = try await humanUser(server, nick: "dave")
        let carol = try await humanUser(server, nick: "carol")
        try await irc.expect("JOIN #lobby")  // carol
        let words = (0..<150).map { "w\($0)" }.joined(separator: " ")  // over 600 bytes
        try carol.line(words)
        try carol.line("end-marker")
        let got = privmsgs(try await irc.expect("PRIVMSG #lobby :end-marker")).dropLast()
        #expect(got.count >= 2)
        #expect(got.allSatisfy { $0.utf8.count + 2 <= 512 })
        let texts = got.map { String($0[$0.range(of: "PRIVMSG #lobby :")!.upperBound...]) }
        #expect(texts.joined() == words)
        let shown = try await reader.expect("<carol> end-marker")
        #expect(shown.contains("w0 w1") && shown.contains("w149"))
    }
}
