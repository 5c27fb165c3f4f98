// LineFramer: the same stream fed whole, at one data-derived cut, byte by byte and in a
// data-derived mix of chunks, with and without editing, for a few line limits.
//
// Oracles:
// - every way of cutting the stream gives the same events as a plain byte-at-a-time
//   reference model written from the documentation (not from the implementation);
// - no line is longer than the limit, the pending buffer and its capacity stay bounded;
// - lines never contain CR or LF, and with editing never BS, DEL or ^U;
// - `push` and `pushBorrowing` deliver the same bytes.

/// The documented behaviour, one byte at a time, as simply as possible.
func reference(_ bytes: [UInt8], max: Int, editing: Bool) -> [LineFramer.Event] {
    var events: [LineFramer.Event] = []
    var line: [UInt8] = []
    var discarding = false
    var afterCR = false
    for b in bytes {
        if afterCR {
            afterCR = false
            if b == 0x0A || b == 0x00 { continue }  // CR LF and CR NUL are one line end
        }
        if b == 0x0A || b == 0x0D {
            if discarding { discarding = false } else { events.append(.line(line)) }
            line = []
            afterCR = b == 0x0D
            continue
        }
        if editing && (b == 0x08 || b == 0x7F || b == 0x15) {
            if discarding { continue }
            if b == 0x15 {
                line = []
            } else if !line.isEmpty {
                // Remove the last unit as a forward scan of the whole line splits it.
                var i = 0, last = 0
                line.withUnsafeBytes { p in
                    while i < p.count {
                        last = abs(UTF8Scan.unit(p, at: i, end: p.count))
                        i += last
                    }
                }
                line.removeLast(last)
            }
            continue
        }
        if discarding { continue }
        if line.count + 1 > max {
            events.append(.overlong)
            line = []
            discarding = true
            continue
        }
        line.append(b)
    }
    if !discarding && !line.isEmpty { events.append(.line(line)) }
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    let limits = [1 + rng.below(8), 8 + rng.below(64), 512]
    for max in limits {
        for editing in [false, true] {
            let expected = reference(input, max: max, editing: editing)
            for sizes in chunkings(count: input.count, &rng) {
                var framer = LineFramer(maxLineLength: max, editing: editing)
                var got: [LineFramer.Event] = []
                var borrowed: [LineFramer.Event] = []
                var shadow = LineFramer(maxLineLength: max, editing: editing)
                input.withUnsafeBytes { all in
                    var at = 0
                    for n in sizes {
                        let raw = UnsafeRawBufferPointer(rebasing: all[at..<(at + n)])
                        at += n
                        framer.push(raw) { got.append($0) }
                        shadow.pushBorrowing(raw) { e in
                            switch e {
                            case .line(let p): borrowed.append(.line(Array(p)))
                            case .overlong: borrowed.append(.overlong)
                            }
                        }
                        require(framer.pendingCount <= max, "pending \(framer.pendingCount) > max \(max)")
                        // "nor is it given capacity for more (the allocator may round up a little)"
                        require(framer.bufferCapacity <= Swift.max(max, 64) + 64,
                                "buffer capacity \(framer.bufferCapacity) for max \(max)")
                    }
                }
                framer.finish { got.append($0) }
                shadow.finish { e in borrowed.append(e) }
                require(framer.pendingCount == 0 && !framer.isDiscarding, "finish did not reset")
                require(got == borrowed, "push and pushBorrowing differ")
                if got != expected {
                    violation("max \(max) editing \(editing) chunks \(sizes.prefix(40)): got \(got.prefix(8)) expected \(expected.prefix(8))")
                }
                for case .line(let l) in got {
                    require(l.count <= max, "line of \(l.count) bytes > max \(max)")
                    require(!l.contains(0x0A) && !l.contains(0x0D), "line contains CR or LF")
                    if editing { require(!l.contains { $0 == 0x08 || $0 == 0x7F || $0 == 0x15 }, "editing key in a line") }
                }
            }
        }
    }
    // `reset` forgets everything mid-line.
    var framer = LineFramer(maxLineLength: 16, editing: true)
    framer.push(input) { _ in }
    framer.reset()
    var after: [LineFramer.Event] = []
    framer.push([0x61, 0x0A]) { after.append($0) }
    require(after == [.line([0x61])], "reset left state behind: \(after)")
    return 0
}
