import Testing
import TestSupport
@testable import ChatProtocol

private let IAC = TelnetCode.iac, WILL = TelnetCode.will, WONT = TelnetCode.wont
private let DO = TelnetCode.do, DONT = TelnetCode.dont, SB = TelnetCode.sb, SE = TelnetCode.se

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Runs `chunks` through one filter; returns (data, replies).
private func run(_ chunks: [[UInt8]], sga: Bool = false) -> ([UInt8], [UInt8]) {
    var f = TelnetFilter(agreeToSuppressGoAhead: sga)
    var data: [UInt8] = [], replies: [UInt8] = []
    for c in chunks { f.filter(c, data: &data, replies: &replies) }
    return (data, replies)
}

/// PuTTY's opening burst in "Telnet" mode.
private let puttyBurst: [UInt8] = [
    IAC, WILL, TelnetCode.naws,
    IAC, WILL, TelnetCode.terminalSpeed,
    IAC, WILL, TelnetCode.terminalType,
    IAC, WILL, TelnetCode.newEnviron,
    IAC, DO, TelnetCode.echo,
    IAC, WILL, TelnetCode.suppressGoAhead,
    IAC, DO, TelnetCode.suppressGoAhead,
]

@Suite(.serialized, .compute) struct TelnetFilterTests {
    @Test func plainDataPassesThrough() {
        var f = TelnetFilter()
        var data: [UInt8] = [], replies: [UInt8] = []
        let text = b("NICK alice\r\nUSER a 0 * :Alice\r\nhéllo 世界\r\n")
        f.filter(text, data: &data, replies: &replies)
        #expect(data == text && replies.isEmpty && !f.sawNegotiation && !f.isMidSequence)
    }

    @Test func puttyOpeningBurstGetsExactlyTheRefusals() {
        let (data, replies) = run([puttyBurst + b("hi\r\n")])
        #expect(data == b("hi\r\n"))
        #expect(replies == [
            IAC, DONT, TelnetCode.naws,
            IAC, DONT, TelnetCode.terminalSpeed,
            IAC, DONT, TelnetCode.terminalType,
            IAC, DONT, TelnetCode.newEnviron,
            IAC, WONT, TelnetCode.echo,
            IAC, DONT, TelnetCode.suppressGoAhead,
            IAC, WONT, TelnetCode.suppressGoAhead,
        ])
        var f = TelnetFilter()
        var d: [UInt8] = [], r: [UInt8] = []
        f.filter(puttyBurst, data: &d, replies: &r)
        #expect(f.sawNegotiation)
    }

    @Test func puttyBurstWithSuppressGoAheadAgreed() {
        let (_, replies) = run([puttyBurst], sga: true)
        #expect(replies.suffix(6) == [IAC, DONT, TelnetCode.suppressGoAhead, IAC, WILL, TelnetCode.suppressGoAhead])
    }

    @Test func repeatedRequestsAreAnsweredOnce() {
        var chunks: [[UInt8]] = []
        for _ in 0..<100 {
            chunks.append([IAC, WILL, TelnetCode.naws, IAC, DO, TelnetCode.echo, IAC, WONT, TelnetCode.naws, IAC, DONT, TelnetCode.echo])
        }
        let (data, replies) = run(chunks)
        #expect(data.isEmpty)
        #expect(replies == [IAC, DONT, TelnetCode.naws, IAC, WONT, TelnetCode.echo])
    }

    @Test func confirmationsOfTheCurrentStateAreNotAnswered() {
        // WONT and DONT for options that are off: the state is already in effect.
        var input: [UInt8] = []
        for opt in UInt8(0)...UInt8(255) { input += [IAC, WONT, opt, IAC, DONT, opt] }
        let (data, replies) = run([input])
        #expect(data.isEmpty && replies.isEmpty)
    }

    @Test func stubbornPeerCannotStartALoop() {
        // A peer that answers every refusal by asking again, forever.
        var f = TelnetFilter()
        var toPeer: [UInt8] = []
        var d: [UInt8] = []
        f.filter(puttyBurst, data: &d, replies: &toPeer)
        var totalReplies = toPeer.count
        for _ in 0..<200 {
            var fromPeer: [UInt8] = []
            var k = 0
            while k + 2 < toPeer.count {
                let opt = toPeer[k + 2]
                if toPeer[k + 1] == DONT { fromPeer += [IAC, WILL, opt] }
                if toPeer[k + 1] == WONT { fromPeer += [IAC, DO, opt] }
                k += 3
            }
            // And it keeps sending its opening burst as well.
            fromPeer += puttyBurst
            toPeer = []
            f.filter(fromPeer, data: &d, replies: &toPeer)
            totalReplies += toPeer.count
        }
        #expect(totalReplies == 21)
        #expect(d.isEmpty)
    }

    @Test func suppressGoAheadAnswersOncePerStateChange() {
        let sga = TelnetCode.suppressGoAhead
        var f = TelnetFilter(agreeToSuppressGoAhead: true)
        var d: [UInt8] = [], r: [UInt8] = []
        f.filter([IAC, DO, sga, IAC, DO, sga, IAC, DO, sga], data: &d, replies: &r)
        #expect(r == [IAC, WILL, sga] && f.isLocallyEnabled(sga))
        r = []
        f.filter([IAC, DONT, sga, IAC, DONT, sga], data: &d, replies: &r)
        #expect(r == [IAC, WONT, sga] && !f.isLocallyEnabled(sga))
        r = []
        f.filter([IAC, DO, sga], data: &d, replies: &r)
        #expect(r == [IAC, WILL, sga])
        // Other options are still refused, and by default SGA is too.
        r = []
        f.filter([IAC, DO, TelnetCode.echo], data: &d, replies: &r)
        #expect(r == [IAC, WONT, TelnetCode.echo])
        #expect(run([[IAC, DO, sga]]).1 == [IAC, WONT, sga])
    }

    @Test func doubledIACIsOneDataByte() {
        #expect(run([[0x61, IAC, IAC, 0x62]]).0 == [0x61, 0xFF, 0x62])
        #expect(run([[0x61, IAC], [IAC, 0x62]]).0 == [0x61, 0xFF, 0x62])
        #expect(run([[IAC, IAC, IAC, IAC]]).0 == [0xFF, 0xFF])
    }

    @Test func subnegotiationIsRemovedWhole() {
        // NAWS 80x24 and TTYPE IS "xterm", with an escaped 0xFF inside.
        let input: [UInt8] = b("a") + [IAC, SB, TelnetCode.naws, 0, 80, 0, 24, IAC, SE] + b("b")
            + [IAC, SB, TelnetCode.terminalType, 0] + b("xterm") + [IAC, IAC, IAC, SE] + b("c")
        let (data, replies) = run([input])
        #expect(data == b("abc") && replies.isEmpty)
    }

    @Test func overlongSubnegotiationIsAbandoned() {
        var f = TelnetFilter()
        var d: [UInt8] = [], r: [UInt8] = []
        f.filter([IAC, SB], data: &d, replies: &r)
        f.filter([UInt8](repeating: 0x78, count: TelnetFilter.maxSubnegotiation), data: &d, replies: &r)
        #expect(d.isEmpty && f.isMidSequence)
        f.filter(b("back to data"), data: &d, replies: &r)
        #expect(d == b("back to data") && !f.isMidSequence)
    }

    @Test func subnegotiationBrokenByACommand() {
        // IAC WILL inside SB ends the SB and is handled as negotiation.
        let (data, replies) = run([[IAC, SB, TelnetCode.naws, 0, 80, IAC, WILL, TelnetCode.echo] + b("ok")])
        #expect(data == b("ok") && replies == [IAC, DONT, TelnetCode.echo])
    }

    @Test func twoByteCommands() {
        let cmds: [UInt8] = [TelnetCode.nop, TelnetCode.dm, TelnetCode.brk, TelnetCode.ip, TelnetCode.ao, TelnetCode.ga, SE, 0x00, 0x41, 0xEF]
        var input: [UInt8] = b("x")
        for c in cmds { input += [IAC, c] }
        input += b("y")
        let (data, replies) = run([input])
        #expect(data == b("xy") && replies.isEmpty)
        #expect(run([[0x61, IAC, TelnetCode.ec, 0x62, IAC, TelnetCode.el]]).0 == [0x61, 0x08, 0x62, 0x15])
    }

    @Test func areYouThereIsAnsweredOncePerRead() {
        let (data, replies) = run([[IAC, TelnetCode.ayt, IAC, TelnetCode.ayt, IAC, TelnetCode.ayt], [IAC, TelnetCode.ayt]])
        #expect(data.isEmpty)
        #expect(replies == TelnetFilter.aytReply + TelnetFilter.aytReply)
    }

    @Test func splitAtEveryCutPointGivesTheSameOutput() {
        let stream: [UInt8] = puttyBurst + b("he") + [IAC, IAC] + b("llo\r\n")
            + [IAC, SB, TelnetCode.naws, 0, 80, 0, 24, IAC, SE]
            + [IAC, TelnetCode.ayt, IAC, TelnetCode.nop, IAC, TelnetCode.ec, IAC, TelnetCode.el]
            + [IAC, SB, TelnetCode.terminalType, 0] + b("xterm") + [IAC, IAC, IAC, SE]
            + [IAC, DO, TelnetCode.linemode, IAC, WILL, TelnetCode.linemode] + b("bye\r\0")
        let whole = run([stream])
        #expect(whole.0 == b("he") + [0xFF] + b("llo\r\n") + [0x08, 0x15] + b("bye\r\0"))
        for sga in [false, true] {
            let w = run([stream], sga: sga)
            for cut in 0...stream.count {
                let got = run([Array(stream[..<cut]), Array(stream[cut...])], sga: sga)
                #expect(got.0 == w.0 && got.1 == w.1, "cut \(cut)")
            }
            let oneByOne = run(stream.map { [$0] }, sga: sga)
            #expect(oneByOne.0 == w.0 && oneByOne.1 == w.1)
        }
    }

    @Test func randomStreamsKeepInvariants() {
        var rng = SplitMix64(seed: 0x7E1_7E7)
        // No AYT here: its reply is once per call, so chunking changes it by design.
        let palette: [UInt8] = [IAC, IAC, IAC, WILL, WONT, DO, DONT, SB, SE, TelnetCode.nop, TelnetCode.ec,
                                TelnetCode.el, 0, 1, 3, 24, 31, 0x0D, 0x0A, 0x41]
        for round in 0..<3000 {
            let count = Int(rng.next() % 60)
            let stream: [UInt8] = (0..<count).map { _ in
                let r = rng.next()
                return r % 4 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : palette[Int((r >> 8) % UInt64(palette.count))]
            }
            let stream2 = stream.filter { $0 != TelnetCode.ayt }
            let sga = rng.next() % 2 == 0
            let whole = run([stream2], sga: sga)
            var chunks: [[UInt8]] = []
            var at = 0
            while at < stream2.count {
                let len = Swift.min(stream2.count - at, 1 + Int(rng.next() % 7))
                chunks.append(Array(stream2[at..<(at + len)]))
                at += len
            }
            let split = run(chunks, sga: sga)
            #expect(split.0 == whole.0 && split.1 == whole.1, "round \(round)")
            #expect(whole.0.count <= stream2.count)
            // Replies are IAC triples; each refusal at most once per option and direction.
            let r = whole.1
            #expect(r.count % 3 == 0)
            var seen = Set<[UInt8]>()
            var k = 0
            while k + 2 < r.count {
                #expect(r[k] == IAC)
                let cmd = r[k + 1], opt = r[k + 2]
                if cmd == DONT { #expect(seen.insert([cmd, opt]).inserted, "round \(round)") }
                if cmd == WONT && !(sga && opt == TelnetCode.suppressGoAhead) { #expect(seen.insert([cmd, opt]).inserted) }
                if cmd == WILL { #expect(sga && opt == TelnetCode.suppressGoAhead) }
                #expect(cmd != DO)
                k += 3
            }
        }
        // Arbitrary bytes, AYT included: must not crash, and stay within simple bounds.
        for _ in 0..<2000 {
            let stream = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) | (rng.next() % 2 == 0 ? 0xF0 : 0) }
            let (data, replies) = run([stream])
            #expect(data.count <= stream.count)
            #expect(replies.count <= 3 * 512 + TelnetFilter.aytReply.count)
        }
    }

    @Test func escapeOutputDoublesIAC() {
        var x: [UInt8] = [0x61, 0xFF, 0x62, 0xFF, 0xFF]
        TelnetFilter.escapeOutput(&x)
        #expect(x == [0x61, 0xFF, 0xFF, 0x62, 0xFF, 0xFF, 0xFF, 0xFF])
        var y = b("plain")
        TelnetFilter.escapeOutput(&y)
        #expect(y == b("plain"))
        // And the filter undoes it.
        #expect(run([x]).0 == [0x61, 0xFF, 0x62, 0xFF, 0xFF])
    }

    /// The whole input path: telnet filter, editing framer, UTF-8 repair, sanitize.
    @Test func windowsTelnetCharacterModeEndToEnd() {
        var f = TelnetFilter()
        var framer = LineFramer(maxLineLength: 64, editing: true)
        var lines: [String] = []
        // Windows telnet: one byte per read, Enter as bare CR, a typo fixed with BS,
        // an IAC EC from another client, and an escape sequence typed in.
        let typed: [UInt8] = b("hellp") + [0x08] + b("o wrld") + [IAC, TelnetCode.ec, IAC, TelnetCode.ec, IAC, TelnetCode.ec]
            + b("orld\u{1B}[2J") + [0x0D] + b("second") + [0x0D]
        var replies: [UInt8] = []
        for byte in typed {
            var data: [UInt8] = []
            f.filter([byte], data: &data, replies: &replies)
            framer.push(data) { e in
                if case .line(let l) = e { lines.append(TextSafety.sanitize(TextSafety.repairUTF8(l))) }
            }
        }
        #expect(lines == ["hello world", "second"])
        #expect(replies.isEmpty && !f.sawNegotiation)
    }

    /// WILL ECHO while a password is typed: the client's DO is the agreement and its DONT the
    /// confirmation of our WONT, neither answered; an unsolicited DO ECHO is still refused once.
    @Test func echoIsOfferedForAPasswordAndWithdrawnWithoutLoops() {
        var f = TelnetFilter()
        var data: [UInt8] = [], replies: [UInt8] = []
        #expect(f.offerEcho() == [IAC, WILL, TelnetCode.echo])
        #expect(f.offerEcho().isEmpty, "asked once")
        f.filter([IAC, DO, TelnetCode.echo] + b("sesame\r\n"), data: &data, replies: &replies)
        #expect(replies.isEmpty && f.isEchoing && data == b("sesame\r\n"))
        #expect(f.withdrawEcho() == [IAC, WONT, TelnetCode.echo])
        f.filter([IAC, DONT, TelnetCode.echo], data: &data, replies: &replies)
        #expect(replies.isEmpty && !f.isEchoing)
        #expect(f.withdrawEcho().isEmpty, "not ours any more")
        // Refused by the client: nothing more is said.
        #expect(f.offerEcho() == [IAC, WILL, TelnetCode.echo])
        f.filter([IAC, DONT, TelnetCode.echo], data: &data, replies: &replies)
        #expect(replies.isEmpty && !f.isEchoing)
        // The client asks us to stop while we echo: we stop and say so.
        _ = f.offerEcho()
        f.filter([IAC, DO, TelnetCode.echo, IAC, DONT, TelnetCode.echo], data: &data, replies: &replies)
        #expect(replies == [IAC, WONT, TelnetCode.echo] && !f.isEchoing)
        // Not offered: DO ECHO refused once, as every option.
        var g = TelnetFilter()
        replies = []
        g.filter([IAC, DO, TelnetCode.echo, IAC, DO, TelnetCode.echo], data: &data, replies: &replies)
        #expect(replies == [IAC, WONT, TelnetCode.echo] && !g.isEchoing)
    }
}
