// What the chat-tui client does with bytes from an IRC server, using only ChatProtocol:
// the client's model (`Sources/ChatTUI/Model`, branch `tui`) is not on main yet, so this
// target drives the same library calls its IRC-line handling makes, in the same order:
// `LineFramer(maxLineLength: 16_384)` over the socket stream → `IRCMessage(parsing:)`
// (lenient limits, raw bytes) → `IRCSource(parsing:)` of the source, `tag("time")`, `numeric`,
// `verb` → `TextSafety.sanitize` of every parameter it shows → replies it builds from the
// line (PONG, CTCP answers) parsed back as the server would.
//
// Oracles:
// - a parsed line's source, command and parameters hold no NUL, CR or LF;
// - `IRCSource` splits and joins back to the same source;
// - every shown text is sanitized (no control, escape or bidi override left);
// - a reply built from a parameter is exactly one IRC line that parses to the intended
//   command and parameters: nothing a server sends can inject a second command.

func controlFree(_ s: String) -> Bool { !s.utf8.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D } }

func shown(_ s: String) {
    let out = TextSafety.sanitize(s)
    for u in out.unicodeScalars {
        let v = u.value
        require(v >= 0x20 && v != 0x7F && !(0x80...0x9F).contains(v)
                    && !(0x202A...0x202E).contains(v) && !(0x2066...0x2069).contains(v),
                "shown text keeps U+\(String(v, radix: 16)): \(hex(s.utf8))")
    }
}

func reply(_ line: String, expect command: String, _ params: [String]) {
    let bytes = Array(line.utf8)
    require(controlFree(line), "reply contains NUL/CR/LF: \(hex(bytes))")
    guard let m = try? IRCMessage(parsing: bytes, limits: IRCLimits(maxTagBytes: .max, maxBodyBytes: .max)) else {
        violation("reply does not parse: \(hex(bytes))")
    }
    require(m.verb == command && m.params == params, "reply \(hex(bytes)) parsed as \(m), expected \(command) \(params)")
}

func handle(_ bytes: [UInt8]) {
    let m: IRCMessage
    do {
        m = try IRCMessage(parsing: bytes)
    } catch {
        _ = error.description  // the client shows it
        return
    }
    require(m.source.map(controlFree) ?? true, "source with NUL/CR/LF")
    require(controlFree(m.command) && m.params.allSatisfy(controlFree), "command or params with NUL/CR/LF")
    if let s = m.source {
        let src = IRCSource(parsing: s)
        require(src.description == s, "IRCSource round trip: \(s) -> \(src.description)")
        _ = src.isServer
        shown(src.nick)
    }
    _ = m.tag("time")
    _ = m.numeric
    let verb = m.verb
    for p in m.params { shown(p) }
    for t in m.tags { shown(t.value) }

    // Replies the client builds from what the server sent.
    if verb == "PING" {
        let token = m.params.last ?? ""
        reply("PONG :" + token, expect: "PONG", [token])
    }
    if verb == "PRIVMSG", m.params.count >= 2, let s = m.source, m.params[1].hasPrefix("\u{1}") {
        let from = IRCSource(parsing: s).nick
        var body = m.params[1].dropFirst()
        if body.hasSuffix("\u{1}") { body = body.dropLast() }
        let command = body.prefix { $0 != " " }.uppercased()
        let arg = String(body.dropFirst(command.count).drop { $0 == " " })
        if command == "PING", !from.isEmpty, !from.hasPrefix(":") {
            reply("NOTICE \(from) :\u{1}PING \(arg)\u{1}", expect: "NOTICE", [from, "\u{1}PING \(arg)\u{1}"])
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    let sizes = chunkings(count: input.count, &rng)
    var framer = LineFramer(maxLineLength: 16_384)
    for piece in pieces(input, sizes[rng.below(sizes.count)]) {
        framer.push(Array(piece)) { event in
            if case .line(let l) = event { handle(l) }
        }
    }
    framer.finish { event in
        if case .line(let l) = event { handle(l) }
    }
    return 0
}
