import ChatProtocol
import Foundation
import Testing
import TestSupport

/// IRCv3 draft/chathistory through the real server over TCP: the capability and ISUPPORT
/// tokens, LATEST/BEFORE/AFTER answered in a `chathistory` batch with each line's own time
/// and msgid, refusals as `FAIL`, the answer in order with PING and nested in a labeled one.
@Suite(.serialized) struct ChatHistoryTests {
    /// The lines of `text`, split at CRLF.
    func lines(_ text: String) -> [String] { text.components(separatedBy: "\r\n").filter { !$0.isEmpty } }

    /// An IRC user with `caps` (CAP 302), in `#v3` (as IRCv3Tests makes one).
    func capUser(_ server: ServerProcess, nick: String, caps: String) async throws -> UserConnection {
        try await IRCv3Tests().capUser(server, nick: nick, caps: caps)
    }

    /// The PRIVMSG lines of the next `chathistory` batch, after checking it opens and closes.
    func batch(_ c: UserConnection) async throws -> [String] {
        let open = lines(try await c.expect(" chathistory #v3\r\n")).last ?? ""
        let ref = try #require(open.firstMatch(of: /\ BATCH \+(\S+) chathistory #v3/)?.1)
        let body = lines(try await c.expect("BATCH -\(ref)\r\n")).dropLast()
        for l in body { #expect(l.hasPrefix("@batch=\(ref);msgid="), "\(l)") }
        return body.compactMap { l in l.firstMatch(of: /PRIVMSG #v3 :(.*)$/).map { String($0.1) } }
    }

    @Test func latestBeforeAndAfterComeInABatchWithTheirIdsAndTimes() async throws {
        let server = try await ServerProcess()
        let alice = try await capUser(server, nick: "alice",
                                      caps: "batch server-time message-tags echo-message labeled-response draft/chathistory")
        try alice.line("VERSION")
        try await alice.expect(" CHATHISTORY=\(HistoryQuery.maxLimit) MSGREFTYPES=msgid,timestamp ")
        let bob = try await ircUser(server, nick: "bob", join: "#v3")
        var echoes: [String] = []
        for i in 0..<5 {
            try alice.line("PRIVMSG #v3 :line \(i)")
            echoes.append(lines(try await alice.expect("PRIVMSG #v3 :line \(i)\r\n")).last ?? "")
            try await bob.expect("PRIVMSG #v3 :line \(i)\r\n")
            // Each line in a millisecond of its own: the timestamp references below are
            // milliseconds, and two lines in one would be one reference (it happened).
            await pause(.milliseconds(3))
        }
        let ids = echoes.compactMap { $0.firstMatch(of: /msgid=([0-9a-f]+)/).map { String($0.1) } }
        try #require(ids.count == 5)
        try alice.line("CHATHISTORY LATEST #v3 * 10")
        #expect(try await batch(alice) == (0..<5).map { "line \($0)" })
        // As first sent: the replayed line has the echo's time and msgid.
        try alice.line("CHATHISTORY LATEST #v3 * 1")
        let last = lines(try await alice.expect("BATCH -")).dropLast().last ?? ""
        let time4 = try #require(echoes[4].firstMatch(of: /time=([^; ]+)/)?.1)
        #expect(last.contains("msgid=\(ids[4])") && last.contains("time=\(time4)"), "\(last) vs \(echoes[4])")
        try alice.line("CHATHISTORY BEFORE #v3 msgid=\(ids[3]) 2")
        #expect(try await batch(alice) == ["line 1", "line 2"])
        try alice.line("CHATHISTORY AFTER #v3 msgid=\(ids[1]) 2")
        #expect(try await batch(alice) == ["line 2", "line 3"])
        let t2 = try #require(echoes[2].firstMatch(of: /time=([^; ]+)/)?.1)
        try alice.line("CHATHISTORY AFTER #v3 timestamp=\(t2) 10")
        #expect(try await batch(alice) == ["line 3", "line 4"])
        // In order with what follows: the batch ends before the PONG.
        try alice.send("CHATHISTORY LATEST #v3 * 1\r\nPING :after\r\n")
        let upToPong = try await alice.expect("PONG")
        #expect(upToPong.contains("BATCH -"), "\(upToPong)")
        // Labeled: the chathistory batch nests in the labeled-response one.
        try alice.line("@label=h1 CHATHISTORY LATEST #v3 * 2")
        let outer = lines(try await alice.expect(" labeled-response\r\n")).last ?? ""
        let outerRef = try #require(outer.firstMatch(of: /^@label=h1 :\S+ BATCH \+(\S+) labeled-response/)?.1)
        let inner = lines(try await alice.expect(" chathistory #v3\r\n")).last ?? ""
        #expect(inner.hasPrefix("@batch=\(outerRef) :"), "\(inner)")
        let innerRef = try #require(inner.firstMatch(of: /BATCH \+(\S+) chathistory/)?.1)
        let rest = lines(try await alice.expect("BATCH -\(outerRef)\r\n"))
        #expect(rest.count == 4 && rest[0].hasPrefix("@batch=\(innerRef);msgid=") && rest[2].hasPrefix("@batch=\(outerRef) :")
                && rest[2].hasSuffix("BATCH -\(innerRef)"), "\(rest)")
    }

    @Test func badQueriesAndOthersChannelsAreRefused() async throws {
        let server = try await ServerProcess()
        let alice = try await capUser(server, nick: "alice", caps: "batch server-time message-tags draft/chathistory")
        try alice.line("PRIVMSG #v3 :secret plans")
        let carol = try await ircUser(server, nick: "carol")
        try carol.line("CHATHISTORY LATEST #v3 * 10")
        try await carol.expect("FAIL CHATHISTORY INVALID_TARGET LATEST #v3 :")
        try carol.line("CHATHISTORY LATEST alice * 10")
        try await carol.expect("FAIL CHATHISTORY INVALID_TARGET LATEST alice :")
        try alice.line("CHATHISTORY LATEST #v3 * many")
        try await alice.expect("FAIL CHATHISTORY INVALID_PARAMS LATEST :")
        try alice.line("CHATHISTORY SOMETIME #v3 * 1")
        try await alice.expect("FAIL CHATHISTORY UNKNOWN_COMMAND SOMETIME :")
        try alice.line("CHATHISTORY")
        try await alice.expect("FAIL CHATHISTORY INVALID_PARAMS :")
        try alice.line("CHATHISTORY BEFORE #v3 timestamp=soon 5")
        try await alice.expect("FAIL CHATHISTORY INVALID_PARAMS BEFORE :")
        // Without batch the lines come bare; the channel's member still gets them.
        try alice.line("CAP REQ :-batch")
        try await alice.expect("CAP alice ACK")
        try alice.line("CHATHISTORY LATEST #v3 * 5")
        let bare = lines(try await alice.expect("PRIVMSG #v3 :secret plans\r\n")).last ?? ""
        #expect(!bare.contains("batch=") && bare.contains("msgid="), "\(bare)")
        #expect(!carol.text.contains("secret plans"))
    }

    @Test func aTelnetUserAsksForTheLastLinesInItsOwnWords() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        let tina = try await humanUser(server, nick: "tina")
        for i in 0..<3 {
            try alice.line("PRIVMSG #lobby :old \(i)")
            try await tina.expect("old \(i)")
        }
        try tina.line("/history 2")
        let shown = try await tina.expect("End of the history of #lobby")
        #expect(shown.contains("History of #lobby:") && !shown.contains("old 0") && shown.contains("old 1") && shown.contains("old 2"),
                "\(shown)")
        try tina.line("/history #elsewhere")
        try await tina.expect("No history of #elsewhere: you are not in that channel")
        try tina.line("/history 0")
        try await tina.expect("/history [#chan] [N]")
    }
}
