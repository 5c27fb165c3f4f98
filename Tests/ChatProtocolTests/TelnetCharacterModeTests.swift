import Testing
import TestSupport
@testable import ChatProtocol

private let IAC = TelnetCode.iac, WILL = TelnetCode.will, WONT = TelnetCode.wont
private let DO = TelnetCode.do, DONT = TelnetCode.dont, SB = TelnetCode.sb, SE = TelnetCode.se
private let ECHO = TelnetCode.echo, SGA = TelnetCode.suppressGoAhead
private let NAWS = TelnetCode.naws, TTYPE = TelnetCode.terminalType

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A filter that offers character mode, fed `chunks`; its data and replies.
private func run(_ chunks: [[UInt8]]) -> (TelnetFilter, [UInt8], [UInt8]) {
    var f = TelnetFilter()
    f.offersCharacterMode = true
    var data: [UInt8] = [], replies: [UInt8] = []
    for c in chunks { f.filter(c, data: &data, replies: &replies) }
    return (f, data, replies)
}

/// What inetutils telnet sends on connecting when it negotiates (`telnet host -- -port`).
private let inetutilsOpening: [UInt8] = [
    IAC, DO, 38, IAC, WILL, 38, IAC, DO, SGA, IAC, WILL, TTYPE, IAC, WILL, NAWS, IAC, WILL, 32,
    IAC, WILL, 33, IAC, WILL, 34, IAC, WILL, 39, IAC, DO, 5,
]

@Suite(.serialized, .compute) struct TelnetCharacterModeTests {
    @Test func dataFirstIsNeverOfferedAnything() {
        let (f, data, replies) = run([b("alice\r\n"), [IAC, DO, ECHO]])
        #expect(f.characterMode == nil && data == b("alice\r\n"))
        #expect(replies == [IAC, WONT, ECHO], "refused as before: \(replies)")
    }

    @Test func noNegotiationNoBytes() {
        let (f, data, replies) = run([b("hello from nc\n"), b("more\n")])
        #expect(f.characterMode == nil && replies.isEmpty && data == b("hello from nc\nmore\n"))
    }

    @Test func notOfferedUnlessAsked() {
        var f = TelnetFilter()
        var data: [UInt8] = [], replies: [UInt8] = []
        f.filter(inetutilsOpening, data: &data, replies: &replies)
        #expect(f.characterMode == nil && !replies.contains(WILL))
    }

    @Test func inetutilsGetsTheOfferThenAgrees() {
        let (f0, _, replies) = run([inetutilsOpening])
        // The offer first, then answers: refusals for what we do not want, SB TTYPE SEND for
        // its WILL TTYPE (which answers our DO). Its DO SGA and WILL NAWS answer ours: no reply.
        #expect(Array(replies.prefix(12)) == TelnetCharacterMode.offer)
        let rest = Array(replies.dropFirst(12))
        #expect(rest == [IAC, WONT, 38, IAC, DONT, 38] + TelnetCharacterMode.sendTerminalType
                + [IAC, DONT, 32, IAC, DONT, 33, IAC, DONT, 34, IAC, DONT, 39, IAC, WONT, 5], "\(rest)")
        var f = f0
        #expect(f.characterMode?.isOn == false)
        var data: [UInt8] = [], more: [UInt8] = []
        f.filter([IAC, DO, ECHO, IAC, SB, NAWS, 0, 120, 0, 40, IAC, SE, IAC, SB, TTYPE, 0] + b("XTERM-256COLOR") + [IAC, SE],
                 data: &data, replies: &more)
        let mode = f.characterMode!
        #expect(more.isEmpty && data.isEmpty && mode.isOn)
        #expect(mode.columns == 120 && mode.rows == 40 && mode.terminalType == "XTERM-256COLOR" && mode.understandsEscapes)
    }

    @Test func puttyBurstAnswersEverythingAtOnce() {
        // WILL NAWS, WILL TSPEED, WILL TTYPE, WILL NEW-ENVIRON, DO ECHO, WILL SGA, DO SGA.
        let (f, _, replies) = run([[IAC, WILL, NAWS, IAC, WILL, 32, IAC, WILL, TTYPE, IAC, WILL, 39,
                                    IAC, DO, ECHO, IAC, WILL, SGA, IAC, DO, SGA]])
        #expect(replies == TelnetCharacterMode.offer + [IAC, DONT, 32] + TelnetCharacterMode.sendTerminalType
                + [IAC, DONT, 39, IAC, DO, SGA], "\(replies)")
        #expect(f.characterMode?.isOn == true)
    }

    @Test func refusingEchoKeepsLineModeAndWithdrawsSGA() {
        let (f, _, replies) = run([[IAC, WONT, 32], [IAC, DONT, ECHO, IAC, DO, SGA]])
        #expect(replies == TelnetCharacterMode.offer + [IAC, WONT, SGA], "\(replies)")
        #expect(f.characterMode?.isOn == false && f.characterMode?.isRefused == true)
    }

    @Test func refusingSGAWithdrawsEcho() {
        let (f, _, replies) = run([[IAC, WONT, 32], [IAC, DO, ECHO], [IAC, DONT, SGA]])
        #expect(replies == TelnetCharacterMode.offer + [IAC, WONT, ECHO], "\(replies)")
        #expect(f.characterMode?.isOn == false)
    }

    @Test func repeatedAnswersGetNoReplyNoLoop() {
        let (f, _, replies) = run([[IAC, WONT, 32],
                                   [IAC, DO, ECHO, IAC, DO, SGA, IAC, DO, ECHO, IAC, DO, SGA, IAC, WILL, NAWS, IAC, WILL, NAWS]])
        #expect(replies == TelnetCharacterMode.offer, "\(replies)")
        #expect(f.characterMode?.isOn == true)
    }

    @Test func nawsChangesAndEscapedBytesAndCutsAnywhere() {
        let stream: [UInt8] = [IAC, WILL, NAWS, IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE,
                               IAC, SB, NAWS, 1, IAC, IAC, 0, 50, IAC, SE] + b("x")
        let (whole, data, _) = run([stream])
        #expect(whole.characterMode?.columns == 0x1FF && whole.characterMode?.rows == 50 && data == b("x"))
        let (split, data2, _) = run(stream.map { [$0] })
        #expect(split.characterMode == whole.characterMode && data2 == data)
    }

    @Test(arguments: ["dumb", "UNKNOWN", "network"]) func dumbTerminalsGetNoEscapes(name: String) {
        let (f, _, _) = run([[IAC, WILL, TTYPE, IAC, SB, TTYPE, 0] + b(name) + [IAC, SE]])
        #expect(f.characterMode?.terminalType == name && f.characterMode?.understandsEscapes == false)
    }

    @Test func terminalTypeIsTheFirstNamedCutAndPrintable() {
        let long = String(repeating: "x", count: 60)
        let (f, _, _) = run([[IAC, WILL, TTYPE, IAC, SB, TTYPE, 0, 0x1B] + b("vt\u{7}100") + [IAC, SE,
                              IAC, SB, TTYPE, 0] + b("xterm") + [IAC, SE]])
        #expect(f.characterMode?.terminalType == "vt100")
        let (g, _, _) = run([[IAC, WILL, TTYPE, IAC, SB, TTYPE, 0] + b(long) + [IAC, SE]])
        #expect(g.characterMode?.terminalType?.count == TelnetCharacterMode.maxTerminalType)
    }

    @Test func subnegotiationForAnOptionNotAgreedIsIgnored() {
        let (f, _, _) = run([[IAC, WONT, NAWS, IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE]])
        #expect(f.characterMode?.columns == nil)
    }
}
