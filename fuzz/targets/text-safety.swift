// TextSafety: UTF-8 repair, sanitizing, IRC formatting removal.
//
// Oracles:
// - `repairUTF8` equals the standard library's decoding with replacement (both follow the
//   Unicode "maximal subpart" practice); valid input comes back byte for byte;
//   `UTF8Scan.isValid` agrees with the standard library's validation; `lastUnitLength`
//   agrees with a forward scan at every end;
// - the bytes `sanitizeBytes` writes are well-formed UTF-8 on their own (checked before
//   `String` could quietly repair them) and never longer than the input;
// - `sanitize` output holds no C0 control, DEL, C1 control, ESC or bidi override/isolate;
//   with `keepIRCFormatting` only the IRC formatting controls remain;
// - idempotent: sanitize(sanitize(x)) == sanitize(x), for both modes; `isSafe` agrees;
// - sanitize(x) == stripIRCFormatting(sanitize(x, keepIRCFormatting: true)), as documented;
// - text with nothing to remove is returned unchanged.

func forbidden(_ s: String, keepIRC: Bool) -> String? {
    for u in s.unicodeScalars {
        let v = u.value
        if v < 0x20 {
            if keepIRC && TextSafety.isIRCControl(UInt8(v)) { continue }
            return "C0 control U+\(String(v, radix: 16))"
        }
        if v == 0x7F { return "DEL" }
        if v >= 0x80 && v <= 0x9F { return "C1 control U+\(String(v, radix: 16))" }
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return "bidi control U+\(String(v, radix: 16))" }
        // Beyond these, the policy is by Unicode category: format characters (zero-width,
        // bidi marks, U+FEFF), line and paragraph separators, and spaces other than the space.
        guard v >= 0x80 else { continue }
        switch u.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator:
            return "\(u.properties.generalCategory) U+\(String(v, radix: 16))"
        case .spaceSeparator:
            return "space separator U+\(String(v, radix: 16))"
        default: continue
        }
    }
    return nil
}

func checkSanitize(_ s: String) {
    for keep in [false, true] {
        // The raw state machine output, before String gets a chance to repair it.
        var copy = s
        let raw: [UInt8] = copy.withUTF8 { p in
            [UInt8](unsafeUninitializedCapacity: p.count) { buf, n in
                n = TextSafety.sanitizeBytes(UnsafeRawBufferPointer(p), into: buf)
            }
        }
        require(raw.count <= s.utf8.count, "sanitizeBytes grew the text")
        require(stdlibValidUTF8(raw), "sanitizeBytes produced invalid UTF-8 from \(hex(s.utf8)): \(hex(raw))")

        let out = TextSafety.sanitize(s, keepIRCFormatting: keep)
        if let what = forbidden(out, keepIRC: keep) {
            violation("sanitize(keepIRC: \(keep)) left \(what): \(hex(s.utf8)) -> \(hex(out.utf8))")
        }
        require(out.utf8.count <= s.utf8.count, "sanitize grew the text")
        require(TextSafety.sanitize(out, keepIRCFormatting: keep) == out,
                "sanitize not idempotent (keepIRC: \(keep)): \(hex(s.utf8)) -> \(hex(out.utf8))")
        require(TextSafety.isSafe(out, keepIRCFormatting: keep), "isSafe false on sanitized text")
        if TextSafety.isSafe(s, keepIRCFormatting: keep) { require(out == s, "safe text was changed") }
        if forbidden(s, keepIRC: keep) == nil && !s.unicodeScalars.contains(where: { $0.value == 0x1B }) {
            require(out == s, "text with nothing to remove was changed: \(hex(s.utf8)) -> \(hex(out.utf8))")
        }
    }
    let plain = TextSafety.sanitize(s)
    let viaIRC = TextSafety.stripIRCFormatting(TextSafety.sanitize(s, keepIRCFormatting: true))
    require(plain == viaIRC, "sanitize(s) != strip(sanitize(s, keepIRC)): \(hex(s.utf8)) -> \(hex(plain.utf8)) / \(hex(viaIRC.utf8))")
    let stripped = TextSafety.stripIRCFormatting(s)
    require(!stripped.utf8.contains { TextSafety.isIRCControl($0) }, "stripIRCFormatting left a formatting code")
    require(stripped.utf8.count <= s.utf8.count, "stripIRCFormatting grew the text")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)

    let valid = input.withUnsafeBytes { UTF8Scan.isValid($0) }
    require(valid == stdlibValidUTF8(input), "UTF8Scan.isValid disagrees with the standard library on \(hex(input))")

    let repaired = TextSafety.repairUTF8(input)
    let reference = String(decoding: input, as: UTF8.self)
    require(Array(repaired.utf8) == Array(reference.utf8),
            "repairUTF8 differs from the standard library: \(hex(input)) -> \(hex(repaired.utf8)) vs \(hex(reference.utf8))")
    if valid { require(Array(repaired.utf8) == input, "valid input was changed") }
    require(TextSafety.repairUTF8(repaired.utf8) == repaired, "repair not idempotent")
    require(TextSafety.repairUTF8(input[...]) == repaired, "slice and array repair differ")

    // lastUnitLength (backspace) against a forward scan, at the first and last ends.
    input.withUnsafeBytes { p in
        var units: [Int] = []  // end offset of each unit
        var i = 0
        while i < p.count {
            i += abs(UTF8Scan.unit(p, at: i, end: p.count))
            units.append(i)
        }
        require(i == p.count, "units overran the buffer")
        // Units cut at `end` are the forward scan of p[0..<end].
        for end in Set(Array(0...min(p.count, 64)) + Array(max(0, p.count - 32)...p.count)) {
            var j = 0, last = 0
            while j < end { last = abs(UTF8Scan.unit(p, at: j, end: end)); j += last }
            require(UTF8Scan.lastUnitLength(p, end: end) == last,
                    "lastUnitLength(end: \(end)) = \(UTF8Scan.lastUnitLength(p, end: end)), forward scan says \(last) in \(hex(input))")
        }
    }

    checkSanitize(repaired)
    return 0
}
