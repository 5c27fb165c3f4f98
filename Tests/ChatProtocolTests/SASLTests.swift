import ChatProtocol
import Testing

/// Base64 and the SASL PLAIN exchange, without I/O.
@Suite(.serialized, .compute) struct SASLTests {
    @Test func base64RoundTripsAndRefusesWhatIsNotCanonical() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("jilles\0jilles\0sesame".utf8)) == "amlsbGVzAGppbGxlcwBzZXNhbWU=")
        #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
        for bad in ["Zm9", "Zm9v=", "Zm=v", "====", "Zg=A", "Zh==", "Zm9v YmFy", "Zm9*", "é===", "Zg==Zg=="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
        #expect(Base64.decode("") == [])
    }

    @Test func plainSplitsAtNulsAndChecksTheAuthzid() {
        let noAuthzid = SASLExchange.plain(Array("\0alice\0sesame".utf8))
        #expect(noAuthzid?.account == "alice" && noAuthzid?.password == "sesame")
        let same = SASLExchange.plain(Array("alice\0alice\0ses\u{e4}me pass".utf8))
        #expect(same?.account == "alice" && same?.password == "ses\u{e4}me pass")
    }

    @Test func aWholeExchange() {
        var s = SASLExchange()
        #expect(s.receive("FOO") == .unknownMechanism && !s.isUnderWay)
        #expect(s.receive("plain") == .challenge && s.isUnderWay)
        #expect(s.receive("amlsbGVzAGppbGxlcwBzZXNhbWU=") == .login(account: "jilles", password: "sesame"))
        #expect(!s.isUnderWay)
        #expect(s.receive("PLAIN") == .challenge)
        #expect(s.receive("*") == .aborted && !s.isUnderWay)
    }

    @Test func longPayloadsComeIn400ByteLinesAndHaveALimit() {
        let password = String(repeating: "bar", count: 100)
        let payload = Base64.encode(Array("foo\0foo\0\(password)".utf8))
        var s = SASLExchange()
        _ = s.receive("PLAIN")
        var rest = Substring(payload)
        var last = SASLExchange.Step.more
        while !rest.isEmpty {
            last = s.receive(String(rest.prefix(400)))
            rest = rest.dropFirst(400)
        }
        if payload.utf8.count % 400 == 0 { last = s.receive("+") }
        #expect(last == .login(account: "foo", password: password))
        // Exactly 400 bytes: `+` ends it.
        let exact = Base64.encode(Array("\0a\0".utf8) + Array(repeating: UInt8(ascii: "x"), count: 297))
        #expect(exact.utf8.count == 400)
        _ = s.receive("PLAIN")
        #expect(s.receive(exact) == .more)
        #expect(s.receive("+") == .login(account: "a", password: String(repeating: "x", count: 297)))
        // One line over 400 is 905; more than the whole limit fails (904).
        _ = s.receive("PLAIN")
        #expect(s.receive(String(repeating: "A", count: 401)) == .tooLong && !s.isUnderWay)
        _ = s.receive("PLAIN")
        for _ in 0..<3 { #expect(s.receive(String(repeating: "A", count: 400)) == .more) }
        #expect(s.receive(String(repeating: "A", count: 400)) == .failed && !s.isUnderWay)
    }

    @Test func hostilePayloadsFail() {
        for payload in ["not base64!", "+",
                        Base64.encode(Array("alice\0sesame".utf8)),          // one NUL
                        Base64.encode(Array("\0\0sesame".utf8)),             // no authcid
                        Base64.encode(Array("\0alice\0".utf8)),              // no password
                        Base64.encode(Array("bob\0alice\0sesame".utf8)),     // another authzid
                        Base64.encode(Array("\0alice\0ses\0ame".utf8)),      // a NUL in the password
                        Base64.encode([0, 0x61, 0, 0xFF, 0xFE, 0x41])] {     // not UTF-8
            var s = SASLExchange()
            _ = s.receive("PLAIN")
            #expect(s.receive(payload) == .failed, "\(payload)")
        }
    }
}
