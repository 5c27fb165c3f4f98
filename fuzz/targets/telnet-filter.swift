// TelnetFilter: the same stream fed whole, at one data-derived cut, byte by byte and in a
// data-derived mix of chunks, with and without agreeing to SUPPRESS-GO-AHEAD, and offering
// character mode (`TelnetCharacterMode`).
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
// - offering character mode: the offer is sent at most once, first, and only when the stream
//   starts with negotiation; what the client agreed to, its window size and terminal type do
//   not depend on the cutting either; SB TTYPE SEND is the only subnegotiation sent.

struct Outcome: Equatable {
    var data: [UInt8] = []
    var negotiation: [[UInt8]] = []  // each IAC-prefixed reply
    var ayt = 0
    var sawNegotiation = false
    var mode: TelnetCharacterMode?
}

/// Splits the replies stream into negotiation answers and AYT answers.
func split(_ replies: [UInt8]) -> ([[UInt8]], Int) {
    var i = 0, ayt = 0
    var neg: [[UInt8]] = []
    let a = TelnetFilter.aytReply
    while i < replies.count {
        if replies[i] == TelnetCode.iac, i + 1 < replies.count, replies[i + 1] == TelnetCode.sb {
            let send = TelnetCharacterMode.sendTerminalType
            require(replies.count - i >= send.count && Array(replies[i..<(i + send.count)]) == send,
                    "unexpected subnegotiation \(hex(replies[i...]))")
            neg.append(send)
            i += send.count
        } else if replies[i] == TelnetCode.iac {
            require(i + 3 <= replies.count, "truncated negotiation reply \(hex(replies))")
            let cmd = replies[i + 1]
            require(cmd == TelnetCode.will || cmd == TelnetCode.wont || cmd == TelnetCode.dont || cmd == TelnetCode.do,
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

func run(_ input: [UInt8], _ sizes: [Int], sga: Bool, offer: Bool = false) -> Outcome {
    var f = TelnetFilter(agreeToSuppressGoAhead: sga)
    f.offersCharacterMode = offer
    var out = Outcome()
    var replies: [UInt8] = []
    var calls = 0, fed = 0
    input.withUnsafeBytes { all in
        for n in sizes {
            f.filter(UnsafeRawBufferPointer(rebasing: all[fed..<(fed + n)]), data: &out.data, replies: &replies)
            calls += 1
            fed += n
            // Each call answers AYT at most once; negotiation answers are 3 bytes per 3-byte command.
            require(replies.count <= TelnetFilter.aytReply.count * calls + 2 * fed + (offer ? TelnetCharacterMode.offer.count : 0),
                    "\(fed) bytes in \(calls) calls produced \(replies.count) reply bytes")
        }
    }
    (out.negotiation, out.ayt) = split(replies)
    require(out.ayt <= calls, "more AYT answers than calls")
    out.sawNegotiation = f.sawNegotiation
    out.mode = f.characterMode
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

    // Offering character mode.
    let offered = run(input, [input.count], sga: false, offer: true)
    // Offered when negotiation comes before any data byte (IAC IAC, EC and EL give data;
    // the other commands do not).
    var startsWithNegotiation = false
    var k = 0
    scan: while k < input.count {
        guard input[k] == TelnetCode.iac else { break }
        guard k + 1 < input.count else { break }
        switch input[k + 1] {
        case TelnetCode.iac, TelnetCode.ec, TelnetCode.el: break scan
        case TelnetCode.sb...TelnetCode.dont: startsWithNegotiation = true; break scan
        default: k += 2
        }
    }
    require((offered.mode != nil) == startsWithNegotiation, "offered \(offered.mode != nil), stream starts \(hex(input.prefix(2)))")
    if offered.mode != nil {
        let offer = TelnetCharacterMode.offer
        let flat = offered.negotiation.flatMap { $0 }
        require(flat.starts(with: offer), "the offer is not first: \(hex(flat.prefix(24)))")
    } else {
        require(offered.negotiation == run(input, [input.count], sga: false).negotiation, "not offered, yet answered differently")
    }
    for sizes in chunkings(count: input.count, &rng) {
        var o = run(input, sizes, sga: false, offer: true)
        o.ayt = offered.ayt
        require(o == offered, "cut \(sizes.prefix(40)) changed the character-mode outcome: \(String(describing: o.mode)) vs \(String(describing: offered.mode)), replies \(o.negotiation) vs \(offered.negotiation)")
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
