// FrameDecoder, HubRequest and HubEvent decoding.
//
// Each input is used twice:
// 1. as a raw byte stream into a FrameDecoder (bad magic, versions, lengths, checksums,
//    partial frames), cut in several ways;
// 2. as records `[type u8][length u16 LE][payload]…` (the last one clipped to what is left),
//    each wrapped in a valid frame with a correct CRC, so that the fuzzer reaches the payload
//    decoders past the checksum.
//
// Oracles:
// - the frames and the failure do not depend on how the stream was cut; a failure repeats;
// - after taking every whole frame, at most one partial frame stays buffered;
// - a payload wrapped by `HubFrame.make` comes out of the decoder unchanged;
// - every payload goes through both `HubRequest(type:payload:)` and `HubEvent(type:payload:)`;
//   whatever decodes re-encodes to a frame that decodes to an equal value, and that second
//   encoding is byte-for-byte stable.

struct Decoded: Equatable {
    var frames: [(UInt8, [UInt8])] = []
    var failure: FrameError?
    static func == (a: Decoded, b: Decoded) -> Bool {
        a.failure == b.failure && a.frames.count == b.frames.count
            && zip(a.frames, b.frames).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

func decode(_ stream: [UInt8], _ sizes: [Int]) -> Decoded {
    var d = FrameDecoder()
    var out = Decoded()
    outer: for piece in pieces(stream, sizes) {
        d.append(Array(piece))
        while true {
            do {
                let got = try d.next { type, payload in (type, Array(payload)) }
                guard let got else { break }
                out.frames.append(got)
            } catch let e as FrameError {
                out.failure = e
                // Once corrupt, always corrupt.
                do { _ = try d.next { _, _ in 0 }; violation("decoder recovered after \(e)") } catch {}
                break outer
            } catch {
                violation("unexpected error \(error)")
            }
        }
        require(d.buffered < HubFrame.headerSize + HubFrame.maxPayload, "decoder holds \(d.buffered) bytes after draining")
    }
    return out
}

func decodeOne(_ frame: [UInt8]) -> (UInt8, [UInt8]) {
    var d = FrameDecoder()
    d.append(frame)
    do {
        guard let got = try d.next({ t, p in (t, Array(p)) }) else { violation("re-encoded frame incomplete") }
        require(d.buffered == 0, "re-encoded frame has trailing bytes")
        return got
    } catch {
        violation("re-encoded frame does not decode: \(error)")
    }
}

func checkPayload(type: UInt8, _ payload: [UInt8]) {
    payload.withUnsafeBytes { raw in
        if let req = try? HubRequest(type: type, payload: raw) {
            require(req.messageType.rawValue == type, "request type code \(req.messageType.rawValue) != frame type \(type)")
            let frame = req.frame()
            let (t, p) = decodeOne(frame)
            let again = p.withUnsafeBytes { try? HubRequest(type: t, payload: $0) }
            require(again == req, "request round trip: \(req) -> \(String(describing: again))")
            require(again!.frame() == frame, "request encoding not stable")
        }
        if let ev = try? HubEvent(type: type, payload: raw) {
            require(ev.messageType.rawValue == type, "event type code \(ev.messageType.rawValue) != frame type \(type)")
            let frame = ev.frame()
            let (t, p) = decodeOne(frame)
            let again = p.withUnsafeBytes { try? HubEvent(type: t, payload: $0) }
            require(again == ev, "event round trip: \(ev) -> \(String(describing: again))")
            require(again!.frame() == frame, "event encoding not stable")
            if type == HubMessageType.eventMessage.rawValue {
                require(MessageView(payload: raw) != nil, "a decodable message event is not a MessageView")
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)

    // 1. Raw stream.
    let whole = decode(input, [input.count])
    for sizes in chunkings(count: input.count, &rng) {
        let cut = decode(input, sizes)
        require(cut == whole, "cutting \(sizes.prefix(20)) changed the decoded frames or failure")
    }
    for (type, payload) in whole.frames { checkPayload(type: type, payload) }

    // 2. Records wrapped in valid frames.
    var records: [(UInt8, [UInt8])] = []
    var i = 0
    while i < input.count {
        let type = input[i]
        var length = 0
        if i + 1 < input.count { length = Int(input[i + 1]) }
        if i + 2 < input.count { length |= Int(input[i + 2]) << 8 }
        let start = min(i + 3, input.count)
        let end = min(start + length, input.count)
        records.append((type, Array(input[start..<end])))
        i = end
    }
    var stream: [UInt8] = []
    for (type, payload) in records {
        HubFrame.append(type: type, to: &stream) { w in w.bytes.append(contentsOf: payload) }
    }
    let sizes = chunkings(count: stream.count, &rng)
    let framed = decode(stream, sizes[rng.below(sizes.count)])
    require(framed.failure == nil, "valid frames failed: \(String(describing: framed.failure))")
    require(framed.frames.count == records.count, "frames lost: \(framed.frames.count) of \(records.count)")
    for (got, sent) in zip(framed.frames, records) {
        require(got.0 == sent.0 && got.1 == sent.1, "frame changed in transit")
        checkPayload(type: got.0, got.1)
    }

    // A flipped bit after the magic is caught.
    if !stream.isEmpty && stream.count > 2 {
        var bad = stream
        let at = 2 + rng.below(min(stream.count, HubFrame.headerSize + 64) - 2)
        bad[at] ^= UInt8(1) << UInt8(rng.below(8))
        let r = decode(bad, [bad.count])
        // The corrupted frame is the first one only when `at` lies in it; it must then fail
        // (or, for a length byte, wait for more bytes), never yield a wrong first frame.
        if let first = r.frames.first, let sent = records.first {
            require(first.0 == sent.0 && first.1 == sent.1, "a flipped bit at \(at) went unnoticed")
        }
    }
    return 0
}
