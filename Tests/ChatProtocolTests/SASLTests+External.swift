import ChatProtocol
import Testing

/// SASL EXTERNAL's exchange: the authorization identity, and what is refused.
extension SASLTests {
    @Test func externalTakesAnEmptyOrANamedAuthorizationIdentity() {
        var s = SASLExchange()
        #expect(SASLExchange.mechanisms == "PLAIN,EXTERNAL")
        #expect(s.receive("external") == .challenge && s.isUnderWay)
        #expect(s.receive("+") == .external(account: "") && !s.isUnderWay)
        #expect(s.receive("EXTERNAL") == .challenge)
        #expect(s.receive(Base64.encode(Array("alice".utf8))) == .external(account: "alice"))
        // A NUL, bytes that are not UTF-8 or not base64: 904.
        for bad in [Base64.encode([0x61, 0, 0x62]), Base64.encode([0xff, 0xfe]), "not base64!"] {
            #expect(s.receive("EXTERNAL") == .challenge)
            #expect(s.receive(bad) == .failed, "\(bad)")
        }
        // Aborted, and PLAIN afterwards is PLAIN again.
        #expect(s.receive("EXTERNAL") == .challenge)
        #expect(s.receive("*") == .aborted)
        #expect(s.receive("PLAIN") == .challenge)
        #expect(s.receive("amlsbGVzAGppbGxlcwBzZXNhbWU=") == .login(account: "jilles", password: "sesame"))
        #expect(s.receive("SCRAM-SHA-256") == .unknownMechanism)
    }
}
