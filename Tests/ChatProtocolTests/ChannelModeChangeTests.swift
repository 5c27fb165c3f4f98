import ChatProtocol
import Testing

@Suite(.serialized, .compute) struct ChannelModeChangeTests {
    typealias C = ChannelModeChange

    @Test func lettersTakeTheirParametersInOrder() {
        #expect(C.parse("+o-v+kl", ["a", "b", "key", "5"]) == [
            C(adding: true, letter: "o", parameter: "a"), C(adding: false, letter: "v", parameter: "b"),
            C(adding: true, letter: "k", parameter: "key"), C(adding: true, letter: "l", parameter: "5"),
        ])
        // -l takes none; -k takes one when there is one; lists without one are queries.
        #expect(C.parse("-lk", ["x"]) == [C(adding: false, letter: "l"), C(adding: false, letter: "k", parameter: "x")])
        #expect(C.parse("b", []) == [C(adding: true, letter: "b")])
        #expect(C.parse("+imnst", ["ignored"]).allSatisfy { $0.parameter == nil })
        #expect(C.parse("", []).isEmpty)
        #expect(C.parse("+x", []) == [C(adding: true, letter: "x")])
    }

    @Test func changesFormatAsOneModeString() {
        let changes = [C(adding: true, letter: "m"), C(adding: true, letter: "v", parameter: "bob"),
                       C(adding: false, letter: "n"), C(adding: true, letter: "k", parameter: "key")]
        #expect(C.format(changes) == ("+mv-n+k", ["bob", "key"]))
        #expect(C.format([]) == ("", []))
    }
}
