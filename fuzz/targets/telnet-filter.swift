// TelnetFilter: the same stream fed whole, at one data-derived cut, byte by byte and in a
// data-derived mix of chunks, with and without agreeing to SUPPRESS-GO-AHEAD.
//
// Oracles:
// - the data and the negotiation replies do not depend on how the stream was cut (AYT
//   answers may, by design: at most one per `filter` call);
// - data out is never longer than the input, and is the input itself when the input has no IAC;
// - replies are bounded: negotiation answers take at most as many bytes as the input, and
//   each refusal (DONT x, WONT x) is sent at most once per option, so no negotiation loop;
// - escaping then filtering gives the bytes back: filter(escapeOutput(x)) == x, with no
//   replies and no negotiation seen, however it is cut; data without 0xFF is unchanged by
//   escapeOutput.

struct Outcome: Equatable {
    var data: [UInt8] = []
    var negotiation: [[UInt8]] = []  // each IAC-prefixed reply
    var ayt = 0
    var sawNegotiation = false
}

/// Splits the replies stream into negotiation answers and AYT answers.
func split(_ replies: [UInt8]) -> ([[UInt8]], Int) {
    var i = 0, ayt = 0
    var neg: [[UInt8]] = []
    let a = TelnetFilter.aytReply
    while i < replies.count {
        if replies[i] == TelnetCode.iac {
            require(i + 3 <= replies.count, "truncated negotiation reply \(hex(replies))")
            let cmd = replies[i + 1]
            require(cmd == TelnetCode.will || cmd == TelnetCode.wont || cmd == TelnetCode.dont,
                    "unexpected reply command \(cmd)")
            neg.append(Array(replies[i..<(i + 3)]))
            i += 3
        } else {
            require(replies.count - i >= a.count && Array(replies[i..<(i + a.count)]) == a, "unexpected reply bytes \(hex(replies[i...]))")
            ayt += 1
            i += a.count
        }
    }
    return (neg, ayt)
}

func run(_ input: [UInt8], _ sizes: [Int], sga: Bool) -> Outcome {
    var f = TelnetFilter(agreeToSuppressGoAhead: sga)
    var out = Outcome()
    var replies: [UInt8] = []
    var calls = 0, fed = 0
    input.withUnsafeBytes { all in
        for n in sizes {
            f.filter(UnsafeRawBufferPointer(rebasing: all[fed..<(fed + n)]), data: &out.data, replies: &replies)
            calls += 1
            fed += n
            // Each call answers AYT at most once; negotiation answers are 3 bytes per 3-byte command.
            require(replies.count <= TelnetFilter.aytReply.count * calls + fed,
                    "\(fed) bytes in \(calls) calls produced \(replies.count) reply bytes")
        }
    }
    (out.negotiation, out.ayt) = split(replies)
    require(out.ayt <= calls, "more AYT answers than calls")
    out.sawNegotiation = f.sawNegotiation
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    let cuts = chunkings(count: input.count, &rng)
    for sga in [false, true] {
        let whole = run(input, [input.count], sga: sga)
        require(whole.data.count <= input.count, "data out \(whole.data.count) > in \(input.count)")
        if !input.contains(TelnetCode.iac) {
            require(whole.data == input && whole.negotiation.isEmpty && whole.ayt == 0 && !whole.sawNegotiation,
                    "input without IAC was changed")
        }
        require(whole.negotiation.count * 3 <= input.count, "more negotiation than input")
        // No loops: a refusal per option and direction at most once.
        var seen = Set<[UInt8]>()
        for r in whole.negotiation where r[1] == TelnetCode.dont || (r[1] == TelnetCode.wont && !(sga && r[2] == TelnetCode.suppressGoAhead)) {
            require(seen.insert(r).inserted, "refusal \(hex(r)) sent twice")
        }
        if !sga { require(!whole.negotiation.contains { $0[1] == TelnetCode.will }, "agreed to an option without being allowed") }
        for sizes in cuts {
            var o = run(input, sizes, sga: sga)
            o.ayt = whole.ayt  // allowed to differ by design
            require(o == whole, "cut \(sizes.prefix(40)) changed the outcome: data \(hex(o.data)) vs \(hex(whole.data)), replies \(o.negotiation) vs \(whole.negotiation)")
        }
    }

    // escapeOutput then filter is the identity on any bytes.
    var escaped = input
    TelnetFilter.escapeOutput(&escaped)
    let ffs = input.reduce(0) { $0 + ($1 == 0xFF ? 1 : 0) }
    require(escaped.count == input.count + ffs, "escapeOutput length")
    if ffs == 0 { require(escaped == input, "escapeOutput changed data without 0xFF") }
    for sizes in chunkings(count: escaped.count, &rng) {
        let back = run(escaped, sizes, sga: false)
        require(back.data == input && back.negotiation.isEmpty && back.ayt == 0 && !back.sawNegotiation,
                "filter(escapeOutput(x)) != x for cut \(sizes.prefix(40))")
    }
    return 0
}
