import Testing
import TestSupport
@testable import ChatTUI

@Suite(.serialized, .compute) struct NickListTests {
    @Test func operatorsFirstThenVoicedThenSortedCaseInsensitively() {
        var n = NickList()
        for e in ["zed", "+Yan", "@bob", "alice", "@Carol", "+abe", "Bert"] { n.add(namesEntry: e) }
        #expect(n.nicks() == ["bob", "Carol", "abe", "Yan", "alice", "Bert", "zed"])
        #expect(n.count == 7)
    }

    @Test func multiPrefixAndUserhostEntries() {
        var n = NickList()
        n.add(namesEntry: "@+dave!d@host")
        #expect(n.member("dave")?.prefixes == "@+")
        #expect(n.member("DAVE")?.shownPrefix == "@")
    }

    @Test func renameKeepsStatusAndModesMove() {
        var n = NickList()
        n.add(namesEntry: "@bob")
        n.add("amy")
        let renamed = n.rename("bob", to: "robert")
        #expect(renamed)
        #expect(n.member("robert")?.prefixes == "@")
        #expect(!n.contains("bob"))
        n.setMode("o", on: false, for: "robert")
        n.setMode("v", on: true, for: "amy")
        #expect(n.nicks() == ["amy", "robert"])
        let first = n.remove("amy"), second = n.remove("amy")
        #expect(first && !second)
        #expect(n.nicks() == ["robert"])
    }

    @Test func serverPrefixesAreRespected() {
        var n = NickList()
        n.configure(modes: ["q", "o", "v"], symbols: ["~", "@", "+"], mapping: .ascii)
        for e in ["+v1", "@o1", "~q1", "n1"] { n.add(namesEntry: e) }
        #expect(n.nicks() == ["q1", "o1", "v1", "n1"])
    }
}
