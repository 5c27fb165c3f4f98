// IRCMessage: parsing (strict and lenient limits) and serialising.
//
// Oracles:
// - the byte parser and the String parser agree on valid UTF-8;
// - strict parses a subset of what lenient parses, and they agree where both succeed;
// - whatever parses serialises to a line without NUL/CR/LF that parses back to an equal
//   message, and serialising that gives the same line again (a fixed point);
// - a message built from arbitrary strings (a valid command, fuzzed tags, source and params)
//   serialises to a line that parses back with the same shape (same number of params, the
//   same tag keys minus those left empty), as `serialized()` documents.

let unlimited = IRCLimits(maxTagBytes: .max, maxBodyBytes: .max)

func parse(_ bytes: [UInt8], _ limits: IRCLimits) -> Result<IRCMessage, IRCParseError> {
    Result { () throws(IRCParseError) in try IRCMessage(parsing: bytes, limits: limits) }
}

func checkRoundTrip(_ m: IRCMessage, from input: [UInt8]) {
    let line = m.serialized()
    let bytes = Array(line.utf8)
    require(!bytes.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D },
            "serialized() contains NUL/CR/LF: \(hex(bytes))")
    var appended: [UInt8] = []
    m.appendLine(to: &appended)
    require(appended == bytes + [0x0D, 0x0A], "appendLine differs from serialized() + CRLF")
    switch parse(bytes, unlimited) {
    case .failure(let e):
        violation("serialised line does not parse (\(e)): input \(hex(input)) line \(hex(bytes))")
    case .success(let again):
        require(again == m, "round trip changed the message: \(m) -> \(line) -> \(again) (input \(hex(input)))")
        require(again.serialized() == line, "serialising is not a fixed point: \(line) vs \(again.serialized())")
    }
}

/// Cuts the input into fields at 0xFE bytes (never part of valid UTF-8, so free to use as a
/// separator); each field is decoded with U+FFFD repair. Fields keep NUL, CR, LF and spaces,
/// which `serialized()` must cope with.
func fields(_ bytes: [UInt8]) -> [String] {
    bytes.split(separator: 0xFE, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
}

func checkShape(_ input: [UInt8]) {
    // The first byte chooses the command, how many fields are tags, whether one is the source.
    guard let control = input.first else { return }
    let f = fields(Array(input.dropFirst()))
    let commands = ["PRIVMSG", "NOTICE", "001", "JOIN", "privmsg", "433", "KICK", "Mode"]
    let command = commands[Int(control & 7)]
    let tagCount = min(Int(control >> 3) & 3, f.count)
    let hasSource = control & 0x20 != 0
    var rest = f[...]
    var tags: [IRCTag] = []
    for t in rest.prefix(tagCount) {
        // key=value split at the first '=' of the field, if any.
        if let eq = t.utf8.firstIndex(of: UInt8(ascii: "=")) {
            tags.append(IRCTag(key: String(t[..<eq]), value: String(t[t.utf8.index(after: eq)...])))
        } else {
            tags.append(IRCTag(key: t))
        }
    }
    rest = rest.dropFirst(tagCount)
    var source: String?
    if hasSource, let s = rest.first { source = s; rest = rest.dropFirst() }
    var m = IRCMessage(tags: tags, source: source, command: command, params: Array(rest))
    m.trailingColon = control & 0x40 != 0
    let line = m.serialized()
    let bytes = Array(line.utf8)
    require(!bytes.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D }, "serialized() contains NUL/CR/LF")
    switch parse(bytes, unlimited) {
    case .failure(let e):
        violation("serialised message does not parse (\(e)): \(m.tags) \(String(describing: m.source)) \(m.params) -> \(hex(bytes))")
    case .success(let back):
        require(back.params.count == m.params.count,
                "param count changed \(m.params.count) -> \(back.params.count): params \(m.params.map { hex($0.utf8) }) -> line \(hex(bytes))")
        require(back.command == command, "command changed: \(command) -> \(back.command)")
        require(back.tags.count <= m.tags.count, "more tags came back than were written")
        // Serialising what came back is stable.
        checkRoundTrip(back, from: input)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)

    let strict = parse(input, .strict)
    let lenient = parse(input, .lenient)
    let whole = parse(input, unlimited)

    switch (strict, lenient) {
    case (.success(let s), .success(let l)):
        require(s == l, "strict and lenient disagree")
    case (.success, .failure(let e)):
        violation("strict accepted what lenient refused (\(e))")
    case (.failure(let e), .success):
        require(e.isTooLong, "strict refused with \(e) what lenient accepted; only length may differ")
    case (.failure(let a), .failure(let b)):
        if !a.isTooLong && !b.isTooLong { require(a == b, "different errors \(a) / \(b)") }
    }
    if case .success(let l) = lenient, case .success(let w) = whole { require(l == w, "lenient and unlimited disagree") }
    if case .failure(let e) = whole { require(!e.isTooLong, "unlimited limits reported \(e)") }

    // The String entry point on valid UTF-8 is the same parser.
    if let s = String(validating: input, as: UTF8.self) {
        let viaString = Result { () throws(IRCParseError) in try IRCMessage(parsing: s, limits: unlimited) }
        switch (whole, viaString) {
        case (.success(let a), .success(let b)): require(a == b, "bytes and String parse differ")
        case (.failure(let a), .failure(let b)): require(a == b, "bytes and String errors differ")
        default: violation("bytes and String parse disagree on success")
        }
    }

    if case .success(let m) = whole {
        require(!m.command.isEmpty, "empty command parsed")
        require(m.source.map { !$0.isEmpty && !$0.utf8.contains(0x20) } ?? true, "source empty or with a space")
        for (k, p) in m.params.enumerated() where k < m.params.count - 1 {
            require(!p.isEmpty && !p.utf8.contains(0x20) && p.utf8.first != UInt8(ascii: ":"),
                    "middle parameter \(k) not an atom: \(hex(p.utf8))")
        }
        _ = m.verb
        _ = m.numeric
        if let n = m.numeric { require(n >= 0 && n <= 999, "numeric out of range") }
        checkRoundTrip(m, from: input)
    }

    checkShape(input)
    return 0
}
