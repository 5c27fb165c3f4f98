import Testing
import TestSupport
@testable import ChatProtocol

@Suite(.serialized, .compute) struct CaseMappingTests {
    @Test func asciiFoldsLettersOnly() {
        #expect(CaseMapping.ascii.fold("Alice[]\\^Z") == "alice[]\\^z")
        #expect(CaseMapping.ascii.equal("ALICE", "alice"))
        #expect(!CaseMapping.ascii.equal("a[", "a{"))
        #expect(CaseMapping.ascii.fold("ÉCOLE") == "École")  // non-ASCII untouched
    }

    @Test func rfc1459FoldsBracketsToo() {
        #expect(CaseMapping.rfc1459.fold("Alice[]\\^Z") == "alice{}|~z")
        #expect(CaseMapping.rfc1459.equal("Nick[away]", "nick{AWAY}"))
        #expect(CaseMapping.rfc1459.equal("a\\b", "A|B"))
        #expect(CaseMapping.rfc1459.equal("x^", "X~"))
        #expect(!CaseMapping.rfc1459.equal("ab", "abc"))
        #expect(!CaseMapping.rfc1459.equal("a_", "a-"))
        // the lower forms stay as they are
        #expect(CaseMapping.rfc1459.fold("{}|~") == "{}|~")
    }

    @Test func names() {
        #expect(CaseMapping(name: "rfc1459") == .rfc1459)
        #expect(CaseMapping(name: "ascii") == .ascii)
        #expect(CaseMapping(name: "rfc7613") == nil)
        #expect(CaseMapping.rfc1459.name == "rfc1459")
    }
}

@Suite(.serialized, .compute) struct NickChannelTests {
    @Test func validNicks() {
        for n in ["alice", "A", "[away]", "`q", "_x_", "^^", "{a}", "|x|", "bob-2", "b0b", "x\\y"] {
            #expect(Names.isValidNick(n, maxLength: 30), "\(n)")
        }
    }

    @Test func invalidNicks() {
        for n in ["", "1abc", "-abc", "a b", "a,b", "a*", "a?", "a!b", "a@b", "a.b", "#a", "&a", ":a", "é", "a\u{1}"] {
            #expect(!Names.isValidNick(n, maxLength: 30), "\(n.debugDescription)")
        }
        #expect(Names.isValidNick(String(repeating: "a", count: 9), maxLength: 9))
        #expect(!Names.isValidNick(String(repeating: "a", count: 10), maxLength: 9))
    }

    @Test func channels() {
        for c in ["#lobby", "#a", "#ü-channel", "##c", "#a:b"] { #expect(Names.isValidChannel(c, maxLength: 50), "\(c)") }
        for c in ["", "#", "lobby", "&local", "#a b", "#a,b", "#a\u{7}", "#a\tb", "#a\u{7F}", "#a\r"] {
            #expect(!Names.isValidChannel(c, maxLength: 50), "\(c.debugDescription)")
        }
        #expect(Names.isValidChannel("#" + String(repeating: "c", count: 49), maxLength: 50))
        #expect(!Names.isValidChannel("#" + String(repeating: "c", count: 50), maxLength: 50))
    }

    /// What cannot be shown safely in a list or on a terminal is refused by Unicode category:
    /// C1 controls (U+009B is CSI), bidi overrides and isolates, zero-width and other format
    /// characters, separators of every kind. Letters, marks, symbols and emoji stay welcome.
    @Test func channelsWithInvisibleOrControlCharactersAreRefused() {
        for c in ["#\u{9B}2J", "#a\u{85}", "#\u{202E}olleh", "#a\u{2066}b", "#a\u{200B}b", "#a\u{200D}b",
                  "#a\u{FEFF}", "#a\u{2028}b", "#a\u{2029}", "#a\u{A0}b", "#a\u{3000}b", "#\u{AD}x", "#a\u{E0041}"] {
            #expect(!Names.isValidChannel(c, maxLength: 50), "\(c.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for c in ["#café", "#日本語", "#😀", "#e\u{301}", "#Ωmega", "#a→b", "#\u{E000}"] {
            #expect(Names.isValidChannel(c, maxLength: 50), "\(c)")
        }
    }
}

@Suite(.serialized, .compute) struct MaskTests {
    @Test func wildcards() {
        #expect(Names.maskMatches(mask: "*", ""))
        #expect(Names.maskMatches(mask: "*", "anything"))
        #expect(!Names.maskMatches(mask: "?", ""))
        #expect(Names.maskMatches(mask: "", ""))
        #expect(!Names.maskMatches(mask: "", "a"))
        #expect(Names.maskMatches(mask: "a*b*c", "aXXbYYc"))
        #expect(!Names.maskMatches(mask: "a*b*c", "aXXbYY"))
        #expect(Names.maskMatches(mask: "*!*@*.example.org", "bob!b@host.example.org"))
        #expect(!Names.maskMatches(mask: "*!*@*.example.org", "bob!b@example.org"))
        #expect(Names.maskMatches(mask: "a**?", "ab"))
    }

    @Test func caseMappingApplies() {
        #expect(Names.maskMatches(mask: "ALICE!*@*", "alice!a@h", casemapping: .ascii))
        #expect(Names.maskMatches(mask: "nick[a]*", "NICK{A}!x@y", casemapping: .rfc1459))
        #expect(!Names.maskMatches(mask: "nick[a]*", "NICK{A}!x@y", casemapping: .ascii))
    }

    @Test func questionMarkIsOneCharacter() {
        #expect(Names.maskMatches(mask: "caf?", "café"))
        #expect(Names.maskMatches(mask: "?!*@*", "😀!a@b"))
        #expect(!Names.maskMatches(mask: "??", "é"))
        #expect(Names.maskMatches(mask: "*é", "xxé"))
    }

    @Test func hostileMaskIsFast() {
        // Exponential for naive recursive matchers; linear-ish here.
        let mask = String(repeating: "*a", count: 200) + "b"
        let s = String(repeating: "a", count: 5000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!Names.maskMatches(mask: mask, s)) }
        #expect(elapsed < .seconds(2))
    }
}

@Suite(.serialized, .compute) struct ImpersonationTests {
    @Test func lookAlikesCollide() {
        let key = Names.impersonationKey("alice")
        for n in ["A1ice", "ALICE", "aIice", "a|ice", "al1ce", "Alice"] {
            #expect(Names.impersonationKey(n) == key, "\(n)")
        }
        #expect(Names.impersonationKey("B0B") == Names.impersonationKey("bob"))
        #expect(Names.impersonationKey("a\\ice") == key)  // rfc1459: '\' folds to '|'
    }

    @Test func differentNamesStayDifferent() {
        #expect(Names.impersonationKey("alice") != Names.impersonationKey("alicia"))
        #expect(Names.impersonationKey("bob") != Names.impersonationKey("b0b_"))
        #expect(Names.impersonationKey("a\\ice", casemapping: .ascii) != Names.impersonationKey("alice", casemapping: .ascii))
        #expect(Names.impersonationKey("x2") != Names.impersonationKey("xz"))  // only 0 and 1 are mapped
    }

    @Test func keyIsFoldedAndStable() {
        #expect(Names.impersonationKey("Ol1|") == "oiii")
        let k = Names.impersonationKey("W1LL0W")
        #expect(Names.impersonationKey(k) == k)
    }
}
