import Foundation
import Testing
import TestSupport
@testable import ChatProtocol

/// Loads `Fixtures/<name>.json` from the test bundle and returns its "tests" array.
func loadIRCVectors(_ name: String) throws -> [[String: Any]] {
    let url = try #require(
        Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")
            ?? Bundle.module.url(forResource: name, withExtension: "json"),
        "fixture \(name).json is missing from the test bundle")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    #expect((root["_license"] as? String)?.contains("public domain") == true, "\(name): licence header kept")
    return try #require(root["tests"] as? [[String: Any]])
}

/// The atoms of a vector as tags (a dictionary: duplicates resolved), source, verb, params.
private struct Atoms: Equatable, CustomStringConvertible {
    var tags: [String: String]
    var source: String?
    var verb: String
    var params: [String]

    init(json: [String: Any]) {
        tags = json["tags"] as? [String: String] ?? [:]
        source = json["source"] as? String
        verb = json["verb"] as? String ?? ""
        params = json["params"] as? [String] ?? []
    }

    init(_ m: IRCMessage) {
        var t: [String: String] = [:]
        for tag in m.tags { t[tag.key] = tag.value }
        tags = t
        source = m.source
        verb = m.command
        params = m.params
    }

    var description: String { "tags=\(tags) source=\(source ?? "nil") verb=\(verb) params=\(params)" }
}

@Suite(.serialized, .compute) struct IRCFixtureTests {
    @Test func msgSplitEveryVector() throws {
        let vectors = try loadIRCVectors("msg-split")
        #expect(vectors.count >= 30)
        for v in vectors {
            let input = try #require(v["input"] as? String)
            let expected = Atoms(json: try #require(v["atoms"] as? [String: Any]))
            let parsed = try IRCMessage(parsing: input)
            #expect(Atoms(parsed) == expected, "input: \(input.debugDescription)")
            // The same from raw bytes and in strict mode (every vector is short enough).
            #expect(try IRCMessage(parsing: Array(input.utf8)) == parsed)
            #expect(try IRCMessage(parsing: input, limits: .strict) == parsed)
            // verb is the upper-cased command
            #expect(parsed.verb == expected.verb.uppercased())
            // Serialising and parsing again keeps the atoms.
            #expect(Atoms(try IRCMessage(parsing: parsed.serialized())) == expected, "round trip of \(input.debugDescription)")
        }
    }

    @Test func msgJoinEveryVector() throws {
        let vectors = try loadIRCVectors("msg-join")
        #expect(vectors.count >= 15)
        for v in vectors {
            let desc = v["desc"] as? String ?? "?"
            let atoms = try #require(v["atoms"] as? [String: Any])
            let matches = try #require(v["matches"] as? [String])
            let expected = Atoms(json: atoms)
            // Tags keep the order of the YAML mapping, which JSON objects do not promise,
            // so build them sorted; the matches list both orders where order matters.
            let tags = (atoms["tags"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
                .map { IRCTag(key: $0.key, value: $0.value) }
            let message = IRCMessage(tags: tags, source: expected.source, command: expected.verb, params: expected.params)
            let line = message.serialized()
            // Either the exact string, or something that parses to the same atoms as one of them.
            let exact = matches.contains(line)
            let parsedBack = Atoms(try IRCMessage(parsing: line))
            let sameAsAMatch = try matches.contains { try Atoms(IRCMessage(parsing: $0)) == parsedBack }
            #expect(exact || sameAsAMatch, "\(desc): serialised \(line.debugDescription), matches \(matches)")
            #expect(parsedBack == expected, "\(desc): \(line.debugDescription) parses back")
            // Every listed match parses to the atoms.
            for m in matches { #expect(Atoms(try IRCMessage(parsing: m)) == expected, "\(desc): \(m.debugDescription)") }
        }
    }

    @Test func userhostSplitEveryVector() throws {
        let vectors = try loadIRCVectors("userhost-split")
        #expect(vectors.count >= 7)
        for v in vectors {
            let source = try #require(v["source"] as? String)
            let atoms = try #require(v["atoms"] as? [String: String])
            let s = IRCSource(parsing: source)
            #expect(s.nick == atoms["nick"] ?? "", "\(source)")
            #expect((s.user ?? "") == atoms["user"] ?? "", "\(source)")
            #expect((s.host ?? "") == atoms["host"] ?? "", "\(source)")
            #expect(s.description == source)
        }
    }

    @Test func maskMatchEveryVector() throws {
        let vectors = try loadIRCVectors("mask-match")
        #expect(vectors.count >= 6)
        var checked = 0
        for v in vectors {
            let mask = try #require(v["mask"] as? String)
            for s in v["matches"] as? [String] ?? [] {
                #expect(Names.maskMatches(mask: mask, s, casemapping: .ascii), "\(mask) should match \(s)")
                #expect(Names.maskMatches(mask: mask, s, casemapping: .rfc1459), "\(mask) should match \(s)")
                checked += 1
            }
            for s in v["fails"] as? [String] ?? [] {
                #expect(!Names.maskMatches(mask: mask, s, casemapping: .ascii), "\(mask) should not match \(s)")
                #expect(!Names.maskMatches(mask: mask, s, casemapping: .rfc1459), "\(mask) should not match \(s)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }
}
