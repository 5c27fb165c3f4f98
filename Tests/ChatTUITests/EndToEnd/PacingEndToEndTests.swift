import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// Outgoing pacing through the terminal: a pasted block leaves in a burst of 5, then one line
/// every 2 s, with the queue in the status bar; /clearqueue drops it; ngIRCd keeps us.
extension EndToEndTests {
    /// Pastes `lines` into window 0 and answers the question.
    func pasteAndConfirm(_ tmux: Tmux, _ lines: [String]) async throws {
        try await tmux.cmd(["set-buffer", lines.joined(separator: "\n")])
        try await tmux.cmd(["paste-buffer", "-p", "-t", ":0"])
        try await tmux.waitFor(text: "Send \(lines.count) pasted lines? (y/n)")
        try await tmux.keys("y")
    }

    @Test func aPasteIsQueuedVisiblyAndClearQueueDropsIt() async throws {
        let (server, tmux, bob) = try await aliceWithBob()
        defer { tmux.kill(); withExtendedLifetime(server) {} }
        let lines = (1...25).map { String(format: "queued paste line %02d", $0) }
        try await pasteAndConfirm(tmux, lines)
        // Shown at once, five sent, the rest waiting in the status bar.
        try await tmux.waitFor("the queue in the status bar") { s in
            s.count == 30 && s[28].contains("│ queued ") && s.contains { $0.contains("<alice> queued paste line 25") }
        }
        try await bob.expect("PRIVMSG #lobby :queued paste line 05")
        #expect(!bob.received.contains("queued paste line 25"))
        try await tmux.typeLine("/clearqueue")
        let s = try await tmux.waitFor(text: "waiting to be sent dropped.")
        #expect(!s[28].contains("queued"))
        // Whatever had left before is all bob gets, in order: a line typed now comes next.
        try await tmux.typeLine("after the clear")
        try await bob.expect("PRIVMSG #lobby :after the clear")
        let got = bob.received.split(separator: "\r\n").compactMap { l -> String? in
            l.contains("PRIVMSG #lobby :queued paste line") ? String(l.split(separator: ":").last ?? "") : nil
        }
        #expect(got == Array(lines.prefix(got.count)), "\(got)")
        #expect(got.count >= 5 && got.count < 25, "\(got)")
        #expect(bob.received.components(separatedBy: "PRIVMSG #lobby :").last?.hasPrefix("after the clear") == true)
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }

    @Test func twentyFivePastedLinesReachNgircdInOrderWithoutExcessFlood() async throws {
        guard findExecutable("ngircd") != nil else {
            Issue.record("needs ngircd: apt-get install -y ngircd")
            return
        }
        let ngircd = try await Ngircd()
        defer { withExtendedLifetime(ngircd) {} }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect irc://127.0.0.1:\(ngircd.port)/#flood --nick alice"))
        try await tmux.waitFor(text: "│@alice")
        let bob = try await IRCPeer(port: ngircd.port, nick: "bob")
        try bob.line("JOIN #flood")
        try await tmux.waitFor(text: "│ bob")
        // 25 lines of 100 bytes: 2.5 KB at once is more than ngIRCd takes from a client.
        let lines = (1...25).map { String(format: "line %02d ", $0) + String(repeating: "x", count: 92) }
        try await pasteAndConfirm(tmux, lines)
        try await tmux.waitFor(text: "queued ")
        // 5 at once, then 20 two seconds apart: about 40 s.
        try await bob.expect("PRIVMSG #flood :" + lines[24], timeout: 120)
        let got = bob.received.split(separator: "\r\n").compactMap { l -> String? in
            guard let r = l.range(of: "PRIVMSG #flood :") else { return nil }
            return String(l[r.upperBound...])
        }
        #expect(got == lines)
        let s = try await tmux.waitFor("the queue gone from the status bar") { $0.count == 30 && !$0[28].contains("queued") }
        #expect(s[28].contains("connected"))
        #expect(!s.contains { $0.contains("Excess Flood") || $0.contains("Disconnected") })
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
