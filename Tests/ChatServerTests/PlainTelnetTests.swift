import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport

private let IAC: UInt8 = 255, WILL: UInt8 = 251, WONT: UInt8 = 252, DO: UInt8 = 253, DONT: UInt8 = 254
private let SB: UInt8 = 250, SE: UInt8 = 240

/// Waits until `c` has received at least `count` bytes since its transcript began.
private func expectBytes(_ c: UserConnection, count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = Date().addingTimeInterval(10)
    while (c.transcript?.count ?? 0) < count && !c.closed && Date() < deadline { await c.fill(timeout: 0.1) }
    guard (c.transcript?.count ?? 0) >= count else {
        Issue.record("expected \(count) bytes, got \(c.transcript ?? [])", sourceLocation: sourceLocation)
        throw TestFailure("too few bytes")
    }
}

/// What a person in line mode is sent, times as `[HH:MM]`, who answers the nickname question
/// with `nick` (after which `afterNickname` comes), joins bob in #lobby, hears `hi NICK` from
/// him and quits.
func lineModeTranscript(nick: String, afterNickname: String = "") -> String {
    [
        "*** Welcome to test.server, a chat server.\r\n",
        "*** Pick a nickname, then type a line and press Enter to talk.\r\n",
        "*** Commands start with /, for example /join #rust or /quit. Type /help for all of them.\r\n",
        "Choose a nickname: ",
        afterNickname,
        "-- Welcome to test.server, \(nick)!\r\n",
        "-- 2 people are here, in 1 channel\r\n",
        "-- You joined #lobby\r\n",
        "-- In #lobby: @bob, \(nick)\r\n",
        "[HH:MM] <bob> hi \(nick)\r\n",
        "*** Goodbye!\r\n",
    ].joined()
}

/// A person connected to `server` who answers the nickname question with `nick` and CR LF,
/// as plain telnet does; waits for the offer that follows (the transcript starts with it).
private func offeredAtNickname(_ server: ServerProcess, _ nick: String) async throws -> UserConnection {
    let c = try server.connect()
    try await c.expect("nickname")
    c.transcript = []
    try c.telnetLine(nick)
    try await expectBytes(c, count: TelnetCharacterMode.offer.count)
    return c
}

/// Plain `telnet host 4444` negotiates nothing, but ends its lines with CR LF: it is offered
/// character mode at its first line. nc (LF) never is, nor an IRC client; a script that sends
/// CR LF and never answers gets the offer and a blank, then line mode.
@Suite(.serialized) struct PlainTelnetTests {
    @Test func aLineModeTelnetClientIsOfferedCharacterModeAtItsNickname() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await offeredAtNickname(server, "alice")
        #expect(alice.transcript == TelnetCharacterMode.offer, "the offer alone: the nickname waits for the answer")
        // What inetutils telnet answers in line mode (seen on the wire): DO ECHO, DO SGA,
        // WILL NAWS and its size, WILL TTYPE; then its type when asked.
        try alice.send(bytes: [IAC, DO, 1, IAC, DO, 3, IAC, WILL, 31, IAC, SB, 31, 0, 60, 0, 24, IAC, SE, IAC, WILL, 24])
        try await expectBytes(alice, count: TelnetCharacterMode.offer.count + TelnetCharacterMode.sendTerminalType.count)
        try alice.send(bytes: [IAC, SB, 24, 0] + Array("VT100".utf8) + [IAC, SE])
        try await alice.expect("You joined #lobby")
        // The input row (with CSI K once the terminal type is in: it may come after the row).
        try await alice.expect("\r[#lobby] ")
        let raw = alice.transcript ?? []
        let text = String(decoding: raw, as: UTF8.self)
        // Character mode before the lobby: the editor's row (the nickname question, then no
        // prompt while registering) comes before the welcome, which is printed above it.
        let row = try #require(text.range(of: "\rChoose a nickname: "))
        let welcome = try #require(text.range(of: "-- Welcome to test.server, alice!"))
        #expect(row.upperBound <= welcome.lowerBound, "\(raw)")
        #expect(!text.contains("\r            \r"), "a client that answered is not sent the blank")
        // The server edits and echoes: keys one by one, a typo taken back.
        for byte in Array("hellp".utf8) + [0x7F] + Array("o".utf8) { try alice.send(bytes: [byte]) }
        try await alice.expect("hellp")
        try alice.send(bytes: [13, 0])
        try await bob.expect("<alice> hello")
        try await alice.expect("<alice> hello")
    }

    @Test func aScriptThatSendsCRLFAndNeverAnswersGetsTheOfferABlankAndLineMode() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let dave = try server.connect()
        dave.transcript = []
        try await dave.expect("nickname")
        try dave.telnetLine("dave")
        try await dave.expect("-- In #lobby:")
        try await bob.expect("dave joined")
        try dave.telnetLine("hello")
        try await bob.expect("<dave> hello")
        try bob.line("hi dave")
        try await dave.expect("<bob> hi dave")
        try dave.telnetLine("/quit")
        _ = await dave.expectClosed()
        let raw = dave.transcript ?? []
        let offer = String(decoding: TelnetCharacterMode.offer, as: UTF8.self)
        let text = String(decoding: raw, as: UTF8.self)
            .replacing(/\[[0-2][0-9]:[0-5][0-9]\]/, with: "[HH:MM]")
        // Today's line mode byte for byte, but for the offer and the blank after the nickname.
        #expect(text == lineModeTranscript(nick: "dave", afterNickname: offer + "\r            \r"))
        #expect(raw.filter { $0 == 0xFF }.count == 4 && !raw.contains(0x1B) && !raw.contains(0x08))
    }

    @Test func aTelnetLibraryThatRefusesGetsLineModeAndNoBlank() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let erin = try await offeredAtNickname(server, "erin")
        // Python's telnetlib refuses what it is offered.
        try erin.send(bytes: [IAC, DONT, 1, IAC, DONT, 3, IAC, WONT, 31, IAC, WONT, 24])
        try await erin.expect("You joined #lobby")
        try erin.telnetLine("from a script")
        try await bob.expect("<erin> from a script")
        try bob.line("ok")
        try await erin.expect("<bob> ok")
        let raw = erin.transcript ?? []
        #expect(Array(raw.prefix(12)) == TelnetCharacterMode.offer)
        #expect(!raw.dropFirst(12).contains(0xFF) && !raw.contains(0x1B), "nothing more of telnet, no escapes: \(raw)")
        let text = String(decoding: raw.dropFirst(12), as: UTF8.self)
        #expect(text.hasPrefix("-- Welcome to test.server, erin!\r\n"), "no blank: \(text)")
        #expect(!text.contains("from a script"), "line mode: the client echoed its own line")
    }

    @Test func anIRCClientEndingItsLinesWithCRLFIsNeverOffered() async throws {
        let server = try await ServerProcess()
        let c = try server.connect()
        c.transcript = []
        try c.send("NICK ircy\r\nUSER ircy 0 * :Test\r\n")
        try await c.expect(" 001 ircy ")
        try c.send("JOIN #lobby\r\n")
        try await c.expect(" 366 ircy #lobby ")
        #expect(!(c.transcript ?? []).contains(0xFF))
    }
}
