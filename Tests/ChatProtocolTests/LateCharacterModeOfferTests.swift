import Testing
import TestSupport
@testable import ChatProtocol

private let IAC = TelnetCode.iac, WILL = TelnetCode.will, WONT = TelnetCode.wont
private let DO = TelnetCode.do, DONT = TelnetCode.dont, SB = TelnetCode.sb, SE = TelnetCode.se

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// `LateCharacterModeOffer` fed `chunks` of a client's data.
private func watched(_ chunks: [[UInt8]]) -> LateCharacterModeOffer.State {
    var o = LateCharacterModeOffer()
    for c in chunks { o.watch(c) }
    return o.state
}

/// A filter that offered character mode late and was refused, as Python's telnetlib refuses.
private func refused() -> (TelnetFilter, [UInt8], [UInt8]) {
    var f = TelnetFilter()
    f.offersCharacterMode = true
    _ = f.offerCharacterMode()
    var data: [UInt8] = [], replies: [UInt8] = []
    f.filter([IAC, DONT, 1, IAC, DONT, 3, IAC, WONT, 31, IAC, WONT, 24], data: &data, replies: &replies)
    return (f, data, replies)
}

/// Character mode offered at a person's first line when it ends with CR LF, as a telnet client
/// in line mode ends it (plain `telnet host 4444`), and never for nc's LF.
@Suite(.serialized, .compute) struct LateCharacterModeOfferTests {
    @Test func onlyAFirstLineEndingInCRLFMakesTheOfferDue() {
        #expect(watched([b("alice\r\n")]) == .due)
        #expect(watched([b("ali"), b("ce\r"), b("\n")]) == .due, "the CR and the LF in two reads")
        #expect(watched([b("alice\n")]) == .done, "nc, socat, openssl s_client")
        #expect(watched([b("alice\r\0")]) == .done, "CR NUL: a telnet client in character mode")
        #expect(watched([b("alice\rbob\r\n")]) == .done, "a bare CR ended the first line")
        #expect(watched([b("alice\n"), b("bob\r\n")]) == .done, "only the first line counts")
        #expect(watched([b("half a line")]) == .watching)
        #expect(watched([b("half\r")]) == .afterCR)
    }

    @Test func aHeldLineGoesOnAtTheAnswerASecondLineOrTheDeadline() {
        var o = LateCharacterModeOffer()
        o.watch(b("alice\r\n"))
        o.offered(now: 1_000)
        #expect(o.state == .held && o.deadline == 1_000 + LateCharacterModeOffer.answerWait)
        let early = o.mayRelease(answered: false, linesWaiting: 1, now: 2_000)
        #expect(!early && o.state == .held)
        var answered = o
        let a = answered.mayRelease(answered: true, linesWaiting: 1, now: 2_000)
        #expect(a && answered.state == .done)
        var second = o
        let s = second.mayRelease(answered: false, linesWaiting: 2, now: 2_000)
        #expect(s && second.state == .done)
        var late = o
        let l = late.mayRelease(answered: false, linesWaiting: 1, now: o.deadline)
        #expect(l && late.state == .done)
    }

    @Test func theBlankOverwritesEveryByteOfTheOffer() {
        let blank = LateCharacterModeOffer.blank
        #expect(blank.first == 0x0D && blank.last == 0x0D)
        #expect(blank.dropFirst().dropLast().allSatisfy { $0 == 0x20 })
        #expect(blank.count - 2 >= TelnetCharacterMode.offer.count)
    }

    @Test func theFilterOffersOnceAndOnlyWhenAllowed() {
        var off = TelnetFilter()
        let none = off.offerCharacterMode()
        #expect(none.isEmpty && off.characterMode == nil)
        var f = TelnetFilter()
        f.offersCharacterMode = true
        var data: [UInt8] = [], replies: [UInt8] = []
        f.filter(b("alice\r\n"), data: &data, replies: &replies)
        #expect(f.characterMode == nil && replies.isEmpty)
        let first = f.offerCharacterMode()
        let again = f.offerCharacterMode()
        #expect(first == TelnetCharacterMode.offer)
        #expect(again.isEmpty, "offered once")
        // inetutils telnet in line mode agrees at once: character mode, and its window size.
        f.filter([IAC, DO, 1, IAC, DO, 3, IAC, WILL, 31, IAC, SB, 31, 0, 80, 0, 24, IAC, SE, IAC, WILL, 24],
                 data: &data, replies: &replies)
        #expect(f.characterMode?.isOn == true && f.characterMode?.columns == 80)
        #expect(replies == TelnetCharacterMode.sendTerminalType, "only the question for the terminal type: \(replies)")
    }

    @Test func aTelnetLibraryThatRefusesKeepsLineModeWithoutALoop() {
        let (f, data, replies) = refused()
        #expect(f.characterMode?.isRefused == true && f.characterMode?.isOn == false)
        #expect(replies.isEmpty && data.isEmpty, "\(replies)")
    }

    /// A client that refused character mode and is asked for a password in line mode: our
    /// WILL ECHO, its DO ECHO, and the echo stays ours until we give it back.
    @Test func aPasswordAfterARefusalIsNotShown() {
        var (f, data, replies) = refused()
        let offer = f.offerEcho()
        #expect(offer == [IAC, WILL, 1])
        f.filter([IAC, DO, 1] + b("sesame\r\n"), data: &data, replies: &replies)
        #expect(replies.isEmpty && f.isEchoing && f.characterMode?.isOn == false, "\(replies)")
        let withdraw = f.withdrawEcho()
        #expect(withdraw == [IAC, WONT, 1])
        f.filter([IAC, DONT, 1], data: &data, replies: &replies)
        #expect(replies.isEmpty && !f.isEchoing)
    }

    /// Hostile bytes after the offer: the answers stay within a small multiple of what the
    /// peer sent (an option turned on again costs its reply, TTYPE's question with it), and
    /// nothing of the negotiation becomes data.
    @Test func anyBytesAfterTheOfferAreAnsweredBoundedly() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<200 {
            var f = TelnetFilter()
            f.offersCharacterMode = true
            _ = f.offerCharacterMode()
            var data: [UInt8] = [], replies: [UInt8] = []
            var input: [UInt8] = []
            for _ in 0..<400 {
                let r = rng.next()
                input.append(r % 3 == 0 ? IAC : r % 3 == 1 ? UInt8(251 + r / 3 % 4) : UInt8(truncatingIfNeeded: r >> 8))
            }
            f.filter(input, data: &data, replies: &replies)
            #expect(replies.count <= 3 * input.count + TelnetFilter.aytReply.count)
            #expect(data.count < input.count)
        }
    }
}
