import ChatPOSIX
import ChatProtocol

/// `chat-bench codec`: the hub frame codec on its own, without a server or a socket: how long
/// encoding and decoding one message frame takes, the part of every delivery that the
/// protocol module decides. Each figure is the best of a few rounds (the machine may be busy).
struct CodecBench {
    let frames: Int
    let textSize: Int

    struct Figure {
        let name: String
        let nanosPerFrame: Double
        let bytesPerFrame: Int
    }

    func run() -> [Figure] {
        let text = String(repeating: "x", count: textSize)
        let event = HubEvent.message(source: "alice!alice@192.0.2.7", kind: .privmsg, target: "#lobby", text: text,
                                     time: 1_795_000_000_000)
        let request = HubRequest.message(kind: .privmsg, target: "#lobby", text: text)
        let eventFrame = event.frame(), requestFrame = request.frame()
        var stream: [UInt8] = []
        stream.reserveCapacity(eventFrame.count * frames)
        for _ in 0..<frames { stream += eventFrame }
        var sink = 0

        func best(_ body: () -> Void) -> Double {
            var fastest = UInt64.max
            for _ in 0..<5 {
                let start = Proc.monotonicNanos()
                body()
                fastest = min(fastest, Proc.monotonicNanos() - start)
            }
            return Double(fastest) / Double(frames)
        }

        let encodeEvent = best {
            var out: [UInt8] = []
            out.reserveCapacity(eventFrame.count * 64)
            for i in 0..<frames {
                if i & 63 == 0 { out.removeAll(keepingCapacity: true) }
                event.appendFrame(to: &out)
            }
            sink &+= out.count
        }
        let encodeRequest = best {
            var out: [UInt8] = []
            out.reserveCapacity(requestFrame.count * 64)
            for i in 0..<frames {
                if i & 63 == 0 { out.removeAll(keepingCapacity: true) }
                request.appendFrame(to: &out)
            }
            sink &+= out.count
        }
        // Decoding as a session does it: reads of 64 KiB into the decoder, each frame checked
        // (magic, version, length, CRC-32C) and its payload decoded.
        func decode(_ handle: (UInt8, UnsafeRawBufferPointer) -> Int) -> Double {
            best {
                var decoder = FrameDecoder()
                stream.withUnsafeBytes { all in
                    var at = 0
                    while at < all.count {
                        let n = min(65536, all.count - at)
                        decoder.append(UnsafeRawBufferPointer(rebasing: all[at..<at + n]))
                        at += n
                        while let got = try? decoder.next(handle) { sink &+= got }
                    }
                }
            }
        }
        let decodeEvent = decode { type, payload in
            (try? HubEvent(type: type, payload: payload)).map { if case .message(_, _, _, let t, _, _, _, _) = $0 { return t.utf8.count } else { return 0 } } ?? 0
        }
        let decodeView = decode { _, payload in MessageView(payload: payload)?.text.count ?? 0 }
        var line: [UInt8] = []
        line.reserveCapacity(1024)
        let renderIRC = decode { _, payload in
            guard let view = MessageView(payload: payload) else { return 0 }
            line.removeAll(keepingCapacity: true)
            _ = IRCRenderer.appendMessageLine(view, serverTime: false, to: &line)
            return line.count
        }
        // The hub cleans every message's text as it accepts it (`TextSafety.sanitize`), once per
        // message frame: plain ASCII takes the byte scan alone; other scripts look up each
        // scalar's category. Texts of the frame's text size.
        let ascii = Self.sample("The quick brown fox jumps over the lazy dog, 42 times. ", bytes: textSize)
        let unicode = Self.sample("Ça va? Größe, naïve café; 世界の猫 😀 Ωμέγα. ", bytes: textSize)
        func sanitize(_ text: String) -> Double {
            best { for _ in 0..<frames { sink &+= TextSafety.sanitize(text, keepIRCFormatting: true).utf8.count } }
        }
        let sanitizeASCII = sanitize(ascii)
        let sanitizeUnicode = sanitize(unicode)
        if sink == 42 { FD.writeAllIgnoringErrors(2, "") }  // keeps the work observable
        return [
            Figure(name: "encode message event", nanosPerFrame: encodeEvent, bytesPerFrame: eventFrame.count),
            Figure(name: "encode message request", nanosPerFrame: encodeRequest, bytesPerFrame: requestFrame.count),
            Figure(name: "decode message event", nanosPerFrame: decodeEvent, bytesPerFrame: eventFrame.count),
            Figure(name: "decode message view", nanosPerFrame: decodeView, bytesPerFrame: eventFrame.count),
            Figure(name: "decode and render IRC line", nanosPerFrame: renderIRC, bytesPerFrame: eventFrame.count),
            Figure(name: "sanitize ASCII text", nanosPerFrame: sanitizeASCII, bytesPerFrame: eventFrame.count),
            Figure(name: "sanitize non-ASCII text", nanosPerFrame: sanitizeUnicode, bytesPerFrame: eventFrame.count),
        ]
    }

    /// `pattern` repeated and cut to at most `bytes` bytes, on a character boundary.
    static func sample(_ pattern: String, bytes: Int) -> String {
        var out = ""
        while out.utf8.count < bytes {
            for c in pattern {
                if out.utf8.count + c.utf8.count > bytes { return out }
                out.append(c)
            }
        }
        return out
    }

    static func table(_ figures: [Figure], frames: Int, textSize: Int) -> String {
        var out = "hub frame codec: \(frames) frames, \(textSize)-byte message text, best of 5\n"
        for f in figures {
            let ns = (f.nanosPerFrame * 10).rounded() / 10
            let mb = (Double(f.bytesPerFrame) / f.nanosPerFrame * 1000).rounded()
            out += "  " + f.name + String(repeating: " ", count: max(1, 28 - f.name.count)) + "\(ns) ns/frame  (\(f.bytesPerFrame) bytes, \(Int(mb)) MB/s)\n"
        }
        return out
    }

    static func json(_ figures: [Figure], frames: Int, textSize: Int) -> String {
        let items = figures.map { f in
            "{\"name\":\"\(f.name)\",\"ns_per_frame\":\((f.nanosPerFrame * 10).rounded() / 10),\"bytes_per_frame\":\(f.bytesPerFrame)}"
        }
        return "{\"scenario\":\"codec\",\"frames\":\(frames),\"text_size\":\(textSize),\"results\":[\(items.joined(separator: ","))]}\n"
    }
}
