import ChatTLS
import Testing
import TestSupport
@testable import ChatTUI

/// chat-tui's rules for TLS: ircs:// targets, and whom to trust (a pin alone decides; a CA's
/// word; first use remembered; a change refused).
@Suite(.serialized, .compute) struct CertificateTrustTests {
    let a = TLSFingerprint(bytes: Array(repeating: 0xAA, count: 32))
    let b = TLSFingerprint(bytes: Array(repeating: 0xBB, count: 32))

    @Test func ircsIsTLSOnPort6697() throws {
        #expect(try ServerTarget.parse("ircs://irc.example/#chat") == ServerTarget(host: "irc.example", port: 6697, raw: false, channels: ["#chat"], tls: true))
        #expect(try ServerTarget.parse("ircs://irc.example:7000").port == 7000)
        #expect(try ServerTarget.parse("irc://irc.example").tls == false)
    }

    @Test func aPinDecidesAlone() {
        #expect(CertificateTrust.judge(presented: a, verificationProblem: "self-signed certificate", pinned: a, remembered: b) == .trusted)
        #expect(CertificateTrust.judge(presented: a, verificationProblem: nil, pinned: b, remembered: nil) == .pinMismatch(pinned: b))
    }

    @Test func aCAsWordOrFirstUseTrustsAndAChangeIsRefused() {
        #expect(CertificateTrust.judge(presented: a, verificationProblem: nil, pinned: nil, remembered: nil) == .trusted)
        #expect(CertificateTrust.judge(presented: a, verificationProblem: "self-signed certificate", pinned: nil, remembered: nil)
                == .unknown(problem: "self-signed certificate"))
        #expect(CertificateTrust.judge(presented: a, verificationProblem: "self-signed certificate", pinned: nil, remembered: a) == .trusted)
        let changed = CertificateTrust.judge(presented: a, verificationProblem: nil, pinned: nil, remembered: b)
        #expect(changed == .changed(remembered: b))
        let line = changed.refusal(host: "h:6697", presented: a, knownHostsPath: "KH") ?? ""
        #expect(line.contains("HAS CHANGED") && line.contains(b.description) && line.contains(a.description) && line.contains("KH"))
    }
}
