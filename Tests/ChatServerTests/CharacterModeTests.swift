import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport

private let IAC: UInt8 = 255, WILL: UInt8 = 251, WONT: UInt8 = 252, DO: UInt8 = 253, DONT: UInt8 = 254
private let SB: UInt8 = 250, SE: UInt8 = 240

/// What inetutils telnet sends on connecting when it negotiates (`telnet host -- -port`).
private let inetutilsOpening: [UInt8] = [
    IAC, DO, 38, IAC, WILL, 38, IAC, DO, 3, IAC, WILL, 24, IAC, WILL, 31, IAC, WILL, 32,
    IAC, WILL, 33, IAC, WILL, 34, IAC, WILL, 39, IAC, DO, 5,
]

/// Types `text` one key per write, as a telnet client in character mode sends it.
private func typeKeys(_ c: UserConnection, _ text: String) throws {
    for byte in text.utf8 { try c.send(bytes: [byte]) }
}

/// A telnet client that negotiated character mode, `columns` wide, logged in as `nick`.
private func characterModeUser(_ server: ServerProcess, nick: String, columns: UInt8 = 60,
                               terminal: String = "VT100") async throws -> UserConnection {
    let c = try server.connect()
    c.transcript = []
    try c.send(bytes: inetutilsOpening)
    try await c.expect("nickname")
    try c.send(bytes: [IAC, DO, 1, IAC, SB, 31, 0, columns, 0, 24, IAC, SE, IAC, SB, 24, 0] + Array(terminal.utf8) + [IAC, SE])
    // The editor draws its row: CR, the prompt, erase to the end of the row.
    try await c.expect("\rChoose a nickname: \u{1B}[K")
    try typeKeys(c, nick)
    try c.send(bytes: [13, 0])
    try await c.expect("You joined #lobby")
    try await c.expect("\r[#lobby] \u{1B}[K")
    return c
}

@Suite(.serialized) struct CharacterModeTests {
    @Test func aTelnetClientIsOfferedCharacterModeAndTheOthersAreRefused() async throws {
        let server = try await ServerProcess()
        let c = try server.connect()
        c.transcript = []
        try c.send(bytes: inetutilsOpening)
        try await c.expect("nickname")
        let raw = c.transcript ?? []
        // The offer (WILL ECHO, WILL SGA, DO NAWS, DO TTYPE) before anything else, then the
        // answers: its DO SGA and WILL NAWS answer ours, its WILL TTYPE gets SB TTYPE SEND.
        #expect(Array(raw.prefix(12)) == TelnetCharacterMode.offer, "\(raw)")
        let answers: [UInt8] = [IAC, WONT, 38, IAC, DONT, 38] + TelnetCharacterMode.sendTerminalType
            + [IAC, DONT, 32, IAC, DONT, 33, IAC, DONT, 34, IAC, DONT, 39, IAC, WONT, 5]
        #expect(raw.dropFirst(12).starts(with: answers), "\(raw)")
        #expect(!raw.dropFirst(12 + answers.count).contains(IAC), "nothing else is telnet: \(raw)")
    }

    @Test func aHalfTypedLineSurvivesIncomingLinesAndIsStillEditable() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await characterModeUser(server, nick: "alice")
        try await bob.expect("alice joined")
        // Every key is echoed by the server, not the client.
        try typeKeys(alice, "I am typing a long sent")
        try await alice.expect("I am typing a long sent")
        try bob.line("interrupting you!")
        // The row is cleared, the line printed, the prompt and the half line drawn again.
        let got = try await alice.expect("<bob> interrupting you!")
        #expect(got.contains("\r\u{1B}[K[") && got.hasSuffix("] <bob> interrupting you!\r\n"), "\(got)")
        try await alice.expect("\r[#lobby] I am typing a long sent\u{1B}[K")
        // Still editable: Backspace, then the rest, sent with CR NUL.
        try alice.send(bytes: [0x7F])
        try typeKeys(alice, "tence here")
        try alice.send(bytes: [13, 0])
        try await bob.expect("<alice> I am typing a long sentence here")
        // Their own line as everyone's: the hub's echo, with the time and the nick.
        let own = try await alice.expect("<alice> I am typing a long sentence here\r\n")
        #expect(own.contains("\r\u{1B}[K[") && !own.contains("[#lobby] I am"), "\(own)")
        try await alice.expect("\r[#lobby] \u{1B}[K")
    }

    @Test func historyCtrlCAndTheWindowSize() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await characterModeUser(server, nick: "alice", columns: 30)
        try await bob.expect("alice joined")
        try typeKeys(alice, "first line")
        try alice.send(bytes: [13, 0])
        try await bob.expect("<alice> first line")
        // Ctrl-C clears a line without sending it; Up brings back the last one.
        try typeKeys(alice, "never sent")
        try alice.send(bytes: [3])
        try alice.send(bytes: [0x1B, 0x5B, 0x41, 13, 0])
        try await bob.expect("<alice> first line")
        #expect(!bob.text.contains("never sent"))
        // A long line scrolls within 30 columns: the row never holds more than 29.
        try typeKeys(alice, String(repeating: "abcdefghij", count: 5))
        try await alice.expect("abcdefghij\u{1B}[K")
        // A wider window (NAWS): the row is drawn again, wider.
        try alice.send(bytes: [IAC, SB, 31, 0, 100, 0, 30, IAC, SE])
        try await alice.expect("\r[#lobby] " + String(repeating: "abcdefghij", count: 5) + "\u{1B}[K")
        try alice.send(bytes: [13, 0])
        try await bob.expect("<alice> " + String(repeating: "abcdefghij", count: 5))
    }

    @Test func aRefusalKeepsLineMode() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let carol = try server.connect()
        carol.transcript = []
        try carol.send(bytes: [IAC, WILL, 31])
        try await carol.expect("nickname")
        try carol.send(bytes: [IAC, DONT, 1, IAC, DONT, 3])
        try carol.line("carol")
        try await carol.expect("You joined #lobby")
        try carol.line("hi from line mode")
        try await bob.expect("<carol> hi from line mode")
        let raw = carol.transcript ?? []
        #expect(!raw.contains(0x1B) && !String(decoding: raw, as: UTF8.self).contains("hi from line mode"), "\(raw)")
    }

    /// nc, socat and scripts send data first: they get line mode exactly as before issue 17,
    /// byte for byte (the transcript, `lineModeTranscript`, is written out in full, times aside).
    @Test func aPlainSocketGetsTodaysLineModeByteForByte() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let plain = try server.connect()
        plain.transcript = []
        try await plain.expect("nickname")
        try plain.send("dave\n")
        try await plain.expect("-- In #lobby:")
        try await bob.expect("dave joined")
        try plain.send("hello\n")
        try await bob.expect("<dave> hello")
        try bob.line("hi dave")
        try await plain.expect("<bob> hi dave")
        try plain.send("/quit\n")
        _ = await plain.expectClosed()
        let raw = plain.transcript ?? []
        let text = String(decoding: raw, as: UTF8.self)
            .replacing(/\[[0-2][0-9]:[0-5][0-9]\]/, with: "[HH:MM]")
        #expect(text == lineModeTranscript(nick: "dave"))
        #expect(!raw.contains(0xFF) && !raw.contains(0x1B) && !raw.contains(0x08))
    }
}

/// What a person in character mode sees besides the input row: own lines, private message
/// confirmations, colour, mentions.
@Suite(.serialized) struct CharacterModeViewTests {
    @Test func privateMessagesAreConfirmedInBothModes() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await characterModeUser(server, nick: "alice")
        try typeKeys(alice, "/msg bob psst")
        try alice.send(bytes: [13, 0])
        try await bob.expect("*alice* psst")
        try await alice.expect("\r\u{1B}[K-> *bob* psst\r\n")
        // Line mode too, at once.
        try bob.line("/msg alice hi back")
        try await bob.expect("-> *alice* hi back\r\n")
        try await alice.expect("*bob* hi back")
    }

    @Test func colourOnAColourTerminalAndOffOnRequest() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await characterModeUser(server, nick: "alice", terminal: "XTERM-256COLOR")
        try await bob.expect("alice joined")
        try bob.line("hello there")
        // Dim time, bob's colour (the palette chat-tui uses), the text.
        let colour = NickColor.ansi(NickColor.index(for: "bob"))
        let line = try await alice.expect("hello there")
        #expect(line.contains("\u{1B}[2m[") && line.contains("<" + colour + "bob\u{1B}[0m> hello there"), "\(line)")
        // A mention is bold.
        try bob.line("alice: are you there?")
        let mention = try await alice.expect("are you there?")
        #expect(mention.contains("\u{1B}[1m> alice: are you there?"), "\(mention)")
        // Hostile bytes from the network never reach the terminal as escapes.
        try bob.send(bytes: Array("evil \u{1B}[31m red \u{9B}2J end\r\n".utf8))
        let evil = try await alice.expect(" end")
        #expect(!evil.contains("\u{1B}[31m red") && !evil.contains("\u{9B}"), "\(evil)")
        try typeKeys(alice, "/colour off")
        try alice.send(bytes: [13, 0])
        try await alice.expect("Colours are off.")
        try bob.line("plain now")
        let plain = try await alice.expect("<bob> plain now\r\n")
        #expect(!plain.contains("\u{1B}[2m"), "\(plain)")
    }

    @Test func tabCompletesNicksOfTheChannelAndCommands() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bobbie")
        let alice = try await characterModeUser(server, nick: "alice")
        try await bob.expect("alice joined")
        try typeKeys(alice, "bo\thi")
        try await alice.expect("[#lobby] bobbie: \u{1B}[K")
        try alice.send(bytes: [13, 0])
        try await bob.expect("<alice> bobbie: hi")
        // Someone who joins later is completed too; commands at the start of a line.
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined")
        try typeKeys(alice, "/ms\t")
        try await alice.expect("[#lobby] /msg \u{1B}[K")
        try typeKeys(alice, "ca\tpsst")
        try alice.send(bytes: [13, 0])
        try await carol.expect("*alice* psst")
    }

    @Test func noColourOnAVT100AndMentionsMarked() async throws {
        let server = try await ServerProcess()
        let bob = try await humanUser(server, nick: "bob")
        let alice = try await characterModeUser(server, nick: "alice", terminal: "VT100")
        try await bob.expect("alice joined")
        try bob.line("hey Alice, look")
        let line = try await alice.expect("hey Alice, look")
        #expect(line.contains(">> [") && !line.contains("\u{1B}[2m") && !line.contains(NickColor.ansi(NickColor.index(for: "bob"))), "\(line)")
        try typeKeys(alice, "/colour on")
        try alice.send(bytes: [13, 0])
        try await alice.expect("did not say it has colours")
        // The own line: time and nick, no typed copy.
        try typeKeys(alice, "hi bob")
        try alice.send(bytes: [13, 0])
        let own = try await alice.expect("<alice> hi bob\r\n")
        #expect(!own.contains("[#lobby] hi bob"), "\(own)")
        try await bob.expect("<alice> hi bob")
    }
}
