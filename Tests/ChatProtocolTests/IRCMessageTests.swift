import Testing
import TestSupport
@testable import ChatProtocol

private func parseError(_ line: String, limits: IRCLimits = .lenient) -> IRCParseError? {
    do {
        _ = try IRCMessage(parsing: line, limits: limits)
        return nil
    } catch {
        return error
    }
}

private func parseError(bytes: [UInt8], limits: IRCLimits = .lenient) -> IRCParseError? {
    do {
        _ = try IRCMessage(parsing: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

@Suite(.serialized, .compute) struct IRCMessageParseTests {
    @Test func fullLine() throws {
        let m = try IRCMessage(parsing: "@time=2025-01-01T00:00:00.000Z;+draft/reply=x :alice!a@host privmsg #lobby :hello world")
        #expect(m.tags == [IRCTag(key: "time", value: "2025-01-01T00:00:00.000Z"), IRCTag(key: "+draft/reply", value: "x")])
        #expect(m.tag("time") == "2025-01-01T00:00:00.000Z")
        #expect(m.tag("missing") == nil)
        #expect(m.source == "alice!a@host")
        #expect(m.command == "privmsg")
        #expect(m.verb == "PRIVMSG")
        #expect(m.params == ["#lobby", "hello world"])
        #expect(m.numeric == nil)
    }

    @Test func numerics() throws {
        #expect(try IRCMessage(parsing: ":srv 001 alice :Welcome").numeric == 1)
        #expect(try IRCMessage(parsing: ":srv 433 * alice :Nickname is already in use").numeric == 433)
        #expect(IRCMessage(command: "PING").numeric == nil)
        #expect(IRCMessage(command: "12a").numeric == nil)
    }

    @Test func multipleSpacesAndLeadingSpaces() throws {
        let m = try IRCMessage(parsing: "  @a=1   :src   CMD   x    y   :  z ")
        #expect(m.tags == [IRCTag(key: "a", value: "1")])
        #expect(m.source == "src")
        #expect(m.params == ["x", "y", "  z "])
    }

    @Test func tagEscapes() throws {
        let m = try IRCMessage(parsing: #"@a=\:\s\\\r\n;b=x\y;c=end\;d=;e CMD"#)
        #expect(m.tag("a") == "; \\\r\n")
        #expect(m.tag("b") == "xy")  // invalid escape: backslash dropped
        #expect(m.tag("c") == "end")  // lone trailing backslash dropped
        #expect(m.tag("d") == "")
        #expect(m.tag("e") == "")
        // and back: escaping is undone exactly
        let again = try IRCMessage(parsing: m.serialized())
        #expect(again == m)
    }

    @Test func duplicateTagsKeepLastValueAtFirstPosition() throws {
        let m = try IRCMessage(parsing: "@a=1;b=2;a=3 CMD")
        #expect(m.tags == [IRCTag(key: "a", value: "3"), IRCTag(key: "b", value: "2")])
        // also past the small-count fast path
        let many = (0..<40).map { "k\($0)=\($0)" }.joined(separator: ";") + ";k3=last;k30=end"
        let n = try IRCMessage(parsing: "@\(many) CMD")
        #expect(n.tags.count == 40)
        #expect(n.tags[3] == IRCTag(key: "k3", value: "last"))
        #expect(n.tags[30] == IRCTag(key: "k30", value: "end"))
        #expect(n.tags[39] == IRCTag(key: "k39", value: "39"))
    }

    @Test func emptyTagElementsAreSkipped() throws {
        #expect(try IRCMessage(parsing: "@a=1;;b; CMD").tags == [IRCTag(key: "a", value: "1"), IRCTag(key: "b")])
    }

    @Test func utf8IsKept() throws {
        let m = try IRCMessage(parsing: ":bob PRIVMSG #ü :héllo 世界 😀")
        #expect(m.params == ["#ü", "héllo 世界 😀"])
    }

    @Test func malformedLines() {
        #expect(parseError("") == .emptyLine)
        #expect(parseError("    ") == .emptyLine)
        #expect(parseError("@a=b") == .missingCommand)  // only tags
        #expect(parseError("@a=b   ") == .missingCommand)
        #expect(parseError(":src") == .missingCommand)  // only source
        #expect(parseError(":src  ") == .missingCommand)  // source without command
        #expect(parseError("@a=b :src") == .missingCommand)
        #expect(parseError(": CMD") == .emptySource)
        #expect(parseError(":") == .emptySource)
        #expect(parseError("@=x CMD") == .emptyTagKey)
        #expect(parseError("PRIV!MSG x") == .invalidCommand("PRIV!MSG"))
        #expect(parseError("12 x") == .invalidCommand("12"))
        #expect(parseError("1234 x") == .invalidCommand("1234"))
        #expect(parseError("A1 x") == .invalidCommand("A1"))
        #expect(parseError(":src @tag CMD") == .invalidCommand("@tag"))
        #expect(parseError("PRIVMSG #a :x\0y") == .forbiddenByte(0))  // NUL
        #expect(parseError(bytes: Array("NICK a".utf8) + [0]) == .forbiddenByte(0))
        #expect(parseError("PRIVMSG #a :x\ry") == .forbiddenByte(0x0D))
        #expect(parseError("PRIVMSG #a :x\ny") == .forbiddenByte(0x0A))
    }

    @Test func errorsDescribeThemselves() {
        #expect(IRCParseError.forbiddenByte(0).description == "forbidden byte 0x00 in line")
        #expect(IRCParseError.bodyTooLong(bytes: 600, limit: 510).description.contains("600"))
        #expect(IRCParseError.bodyTooLong(bytes: 600, limit: 510).isTooLong)
        #expect(IRCParseError.tagsTooLong(bytes: 9000, limit: 8191).isTooLong)
        #expect(!IRCParseError.emptyLine.isTooLong)
    }

    @Test func invalidUTF8IsRepaired() throws {
        var bytes = Array(":bob PRIVMSG #a :caf".utf8)
        bytes += [0xE9, 0x20, 0xF0, 0x9F, 0x98]  // Latin-1 é, a space, a truncated emoji
        let m = try IRCMessage(parsing: bytes)
        #expect(m.params == ["#a", "caf\u{FFFD} \u{FFFD}"])
        // a lone continuation byte in the source and command-adjacent places
        let n = try IRCMessage(parsing: [UInt8(ascii: ":"), 0x80, 0x20] + Array("NICK x".utf8))
        #expect(n.source == "\u{FFFD}")
        // bytes that are not contiguous go through the same path
        let lazy = Array(":bob PRIVMSG #a :hi".utf8).lazy.map { $0 }
        #expect(try IRCMessage(parsing: lazy).params == ["#a", "hi"])
    }

    @Test func strictBodyLimit() throws {
        let prefix = "PRIVMSG #a :"
        let ok = prefix + String(repeating: "x", count: 510 - prefix.utf8.count)
        #expect(ok.utf8.count == 510)
        #expect(try IRCMessage(parsing: ok, limits: .strict).params[1].utf8.count == 510 - prefix.utf8.count)
        let long = ok + "y"
        #expect(parseError(long, limits: .strict) == .bodyTooLong(bytes: 511, limit: 510))
        // the lenient default takes it, and up to 8 KiB
        #expect(try IRCMessage(parsing: long).params.count == 2)
        let eightK = prefix + String(repeating: "z", count: 8192 - prefix.utf8.count)
        #expect(try IRCMessage(parsing: eightK).params[1].utf8.count == 8192 - prefix.utf8.count)
        #expect(parseError(eightK + "z") == .bodyTooLong(bytes: 8193, limit: 8192))
        // tags do not count against the body
        let tagged = "@" + String(repeating: "t", count: 4000) + " " + ok
        #expect(try IRCMessage(parsing: tagged, limits: .strict).tags.count == 1)
        // multi-byte text is counted in bytes
        let wide = prefix + String(repeating: "é", count: 250)  // 12 + 500 bytes
        #expect(parseError(wide, limits: .strict) == .bodyTooLong(bytes: 512, limit: 510))
    }

    @Test func tagSectionLimit() throws {
        // 8191 bytes including '@' and the space after it
        let data = String(repeating: "a", count: 8189)
        #expect(try IRCMessage(parsing: "@\(data) CMD").tags.count == 1)
        #expect(parseError("@\(data)a CMD") == .tagsTooLong(bytes: 8192, limit: 8191))
        #expect(parseError("@\(data)a CMD", limits: .strict) == .tagsTooLong(bytes: 8192, limit: 8191))
        let custom = IRCLimits(maxTagBytes: 10, maxBodyBytes: 20)
        #expect(parseError("@abcdefghi CMD", limits: custom) == .tagsTooLong(bytes: 11, limit: 10))
    }

    @Test func everyPrefixParsesOrThrows() throws {
        let lines = [
            "@time=2025-01-01T00:00:00.000Z;msgid=abc\\s1 :alice!a@h PRIVMSG #lobby :hello 世界 😀",
            ":srv 353 alice = #lobby :@alice bob",
            "@a=\\\\\\:\\s\\r\\n;b :x!y@z CMD p1  p2 :trail ing ",
        ]
        var parsed = 0, thrown = 0
        for line in lines {
            let bytes = Array(line.utf8)
            for cut in 0...bytes.count {
                for slice in [Array(bytes[..<cut]), Array(bytes[cut...])] {
                    for limits in [IRCLimits.lenient, .strict] {
                        do {
                            let m = try IRCMessage(parsing: slice, limits: limits)
                            parsed += 1
                            // whatever parsed serialises to something that parses the same
                            #expect(try IRCMessage(parsing: m.serialized()) == m)
                        } catch {
                            thrown += 1
                        }
                    }
                }
            }
        }
        #expect(parsed > 100)
        #expect(thrown > 10)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array("@:; =\\abcAB09#!".utf8) + [0x00, 0x0D, 0x80, 0xC3, 0xFF, 0xF0]
        for _ in 0..<3000 {
            let n = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            if let m = try? IRCMessage(parsing: bytes) {
                #expect((try? IRCMessage(parsing: m.serialized())) == m)
            }
        }
    }
}

@Suite(.serialized, .compute) struct IRCMessageSerializeTests {
    @Test func trailingColonOnlyWhenNeeded() {
        #expect(IRCMessage(command: "PING", params: ["srv"]).serialized() == "PING srv")
        #expect(IRCMessage(command: "PRIVMSG", params: ["#a", "hi there"]).serialized() == "PRIVMSG #a :hi there")
        #expect(IRCMessage(command: "PRIVMSG", params: ["#a", ":)"]).serialized() == "PRIVMSG #a ::)")
        #expect(IRCMessage(command: "AWAY", params: [""]).serialized() == "AWAY :")
        #expect(IRCMessage(source: "a!b@c", command: "QUIT").serialized() == ":a!b@c QUIT")
        #expect(IRCMessage(command: "CAP", params: ["REQ", "a b"]).serialized() == "CAP REQ :a b")
    }

    @Test func tagsAreEscaped() {
        let m = IRCMessage(tags: [IRCTag(key: "a", value: "x; y\\z\r\n"), IRCTag(key: "flag")], command: "TAGMSG", params: ["#a"])
        #expect(m.serialized() == #"@a=x\:\sy\\z\r\n;flag TAGMSG #a"#)
    }

    @Test func noLineInjection() throws {
        let m = IRCMessage(tags: [IRCTag(key: "k\r\nQUIT", value: "v\0")], source: "ev\nil", command: "PRIV\rMSG",
                           params: ["#a\r\nJOIN #b", "hello\r\nQUIT :bye\0"])
        let line = m.serialized()
        #expect(!line.utf8.contains(0x0D) && !line.utf8.contains(0x0A) && !line.utf8.contains(0))
        #expect(line == "@kQUIT=v :evil PRIVMSG #aJOIN_#b :helloQUIT :bye")
        var wire: [UInt8] = []
        m.appendLine(to: &wire)
        #expect(wire.suffix(2) == [0x0D, 0x0A])
        #expect(wire.filter { $0 == 0x0A }.count == 1)
    }

    @Test func unrepresentableMiddleParamsAreRepairedNotShifted() throws {
        let m = IRCMessage(source: "a b", command: "401", params: ["alice", "", "x y", ":z", "text here"])
        let line = m.serialized()
        #expect(line == ":a_b 401 alice * x_y _z :text here")
        #expect(try IRCMessage(parsing: line).params.count == 5)
        // a source made only of forbidden bytes is left out rather than written as ":"
        #expect(IRCMessage(source: "\r\n", command: "PING").serialized() == "PING")
    }

    /// Found by fuzzing (fuzz/targets/irc-message.swift): the ':' of the last parameter was
    /// decided before NUL/CR/LF were dropped, so a last parameter made only of those bytes
    /// was written as nothing (the parameter vanished) and "\r:x" was written as ":x" (it
    /// came back as "x").
    @Test func lastParamIsCheckedAfterCleaning() throws {
        let empty = IRCMessage(command: "PRIVMSG", params: ["#a", "\0\r\n"])
        #expect(empty.serialized() == "PRIVMSG #a :")
        #expect(try IRCMessage(parsing: empty.serialized()).params == ["#a", ""])
        let colon = IRCMessage(command: "PRIVMSG", params: ["#a", "\r:x"])
        #expect(colon.serialized() == "PRIVMSG #a ::x")
        #expect(try IRCMessage(parsing: colon.serialized()).params == ["#a", ":x"])
    }

    @Test func roundTrip() throws {
        let m = IRCMessage(tags: [IRCTag(key: "time", value: "2025-01-01T00:00:00.000Z")], source: "alice!a@h",
                           command: "PRIVMSG", params: ["#a", "hi there 😀"])
        #expect(try IRCMessage(parsing: m.serialized()) == m)
        #expect(m.description == m.serialized())
    }
}

@Suite(.serialized, .compute) struct IRCSplitTextTests {
    @Test func shortTextIsOnePiece() {
        #expect(IRCMessage.splitText("hello", maxBytes: 10) == ["hello"])
        #expect(IRCMessage.splitText("", maxBytes: 10) == [""])
    }

    @Test func cutsAfterSpacesWhenPossible() {
        let pieces = IRCMessage.splitText("the quick brown fox jumps", maxBytes: 10)
        #expect(pieces == ["the quick ", "brown fox ", "jumps"])
    }

    @Test func hardCutWithoutSpaces() {
        #expect(IRCMessage.splitText("abcdefghij", maxBytes: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func neverInsideAScalar() {
        let text = "é世😀aé世😀b"
        for limit in 1...12 {
            let pieces = IRCMessage.splitText(text, maxBytes: limit)
            #expect(pieces.joined() == text)
            for p in pieces {
                // each piece is whole scalars: re-encoding is lossless and no U+FFFD appears
                #expect(!p.unicodeScalars.contains("\u{FFFD}"))
                if limit >= 4 { #expect(p.utf8.count <= limit) }
            }
        }
        #expect(IRCMessage.splitText("😀😀", maxBytes: 2) == ["😀", "😀"])
        #expect(IRCMessage.splitText("ab", maxBytes: 0) == ["a", "b"])
    }

    @Test func randomTextsJoinBack() {
        var rng = SplitMix64(seed: 7)
        let pool: [String] = ["a", " ", "é", "世", "😀", "\u{1}", "b", "  "]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...200, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
            let limit = Int.random(in: 4...60, using: &rng)
            let pieces = IRCMessage.splitText(text, maxBytes: limit)
            #expect(pieces.joined() == text)
            #expect(pieces.allSatisfy { $0.utf8.count <= limit })
            #expect(pieces.dropLast().allSatisfy { !$0.isEmpty })
        }
    }

    @Test func largeTextIsLinear() {
        let text = String(repeating: "word ", count: 20_000)
        let pieces = IRCMessage.splitText(text, maxBytes: 400)
        #expect(pieces.joined() == text)
        #expect(pieces.count == 250)
    }
}

@Suite(.serialized, .compute) struct IRCSourceTests {
    @Test func forms() {
        #expect(IRCSource(parsing: "alice!al@example.org") == IRCSource(nick: "alice", user: "al", host: "example.org"))
        #expect(IRCSource(parsing: "alice@example.org") == IRCSource(nick: "alice", host: "example.org"))
        #expect(IRCSource(parsing: "alice!al") == IRCSource(nick: "alice", user: "al"))
        #expect(IRCSource(parsing: "alice") == IRCSource(nick: "alice"))
        #expect(IRCSource(parsing: "bob!b@2001:db8::1").host == "2001:db8::1")
        #expect(IRCSource(parsing: "") == IRCSource(nick: ""))
        // '@' before '!' belongs to the nick part's host; the user is whatever follows '!'
        #expect(IRCSource(parsing: "a!b!c@d") == IRCSource(nick: "a", user: "b!c", host: "d"))
    }

    @Test func serverNames() {
        #expect(IRCSource(parsing: "irc.example.com").isServer)
        #expect(!IRCSource(parsing: "alice").isServer)
        #expect(!IRCSource(parsing: "alice!a@irc.example.com").isServer)
    }

    @Test func descriptionRoundTrips() {
        for s in ["alice!al@example.org", "alice@h", "alice!al", "alice", "irc.example.com"] {
            #expect(IRCSource(parsing: s).description == s)
        }
    }
}

@Suite(.serialized, .compute) struct CTCPTests {
    @Test func parsesCommandAndParameters() {
        #expect(CTCP(parsing: "\u{1}VERSION\u{1}") == CTCP(command: "VERSION"))
        #expect(CTCP(parsing: "\u{1}PING 123 456\u{1}") == CTCP(command: "PING", params: "123 456"))
        // The closing 0x01 is optional (modern.ircdocs.horse/ctcp).
        #expect(CTCP(parsing: "\u{1}TIME") == CTCP(command: "TIME"))
        #expect(CTCP(parsing: "\u{1}ACTION waves 👋\u{1}") == CTCP(command: "ACTION", params: "waves 👋"))
        // Not CTCP: ordinary text, an 0x01 not at the start, no command.
        #expect(CTCP(parsing: "hello") == nil)
        #expect(CTCP(parsing: "") == nil)
        #expect(CTCP(parsing: "x\u{1}VERSION\u{1}") == nil)
        #expect(CTCP(parsing: "\u{1}\u{1}") == nil)
        #expect(CTCP(parsing: "\u{1}") == nil)
        #expect(CTCP(parsing: "\u{1} x\u{1}") == nil)
        #expect(CTCP(command: "PING", params: "1").text == "\u{1}PING 1\u{1}")
        #expect(CTCP(command: "VERSION").text == "\u{1}VERSION\u{1}")
    }

    @Test func actionIsTheOnlyOneTakenApart() {
        #expect(CTCP.action(in: "\u{1}ACTION waves\u{1}") == "waves")
        #expect(CTCP.action(in: "\u{1}ACTION waves") == "waves")
        #expect(CTCP.action(in: "\u{1}ACTION  two spaces\u{1}") == " two spaces")
        #expect(CTCP.action(in: "\u{1}ACTION\u{1}") == nil, "an empty action stays CTCP")
        #expect(CTCP.action(in: "\u{1}VERSION\u{1}") == nil)
        #expect(CTCP.action(in: "\u{1}action waves\u{1}") == nil)
        #expect(CTCP.action(in: "ACTION waves") == nil)
    }
}
