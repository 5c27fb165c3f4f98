/// How nick and channel names compare (ISUPPORT CASEMAPPING).
public enum CaseMapping: Sendable {
    /// A-Z fold to a-z.
    case ascii
    /// As `ascii`, and `[`, `]`, `\`, `^` fold to `{`, `}`, `|`, `~` (the Scandinavian rule).
    case rfc1459

    /// The ISUPPORT token value.
    public var name: String { self == .ascii ? "ascii" : "rfc1459" }

    public init?(name: String) {
        switch name {
        case "ascii": self = .ascii
        case "rfc1459": self = .rfc1459
        default: return nil
        }
    }

    @inline(__always) public func fold(byte b: UInt8) -> UInt8 {
        if b >= 0x41 && b <= 0x5A { return b + 0x20 }
        if self == .rfc1459 && b >= 0x5B && b <= 0x5E { return b + 0x20 }  // [\]^ -> {|}~
        return b
    }

    /// The lower-case form used as a dictionary key. Bytes outside the mapping are kept.
    public func fold(_ s: String) -> String {
        if !s.utf8.contains(where: { fold(byte: $0) != $0 }) { return s }
        return String(decoding: s.utf8.map { fold(byte: $0) }, as: UTF8.self)
    }

    /// `names` without repeats (`#Big` repeats `#big`), in their first order: a list request
    /// answers each target once, however often it was named.
    public func unique(_ names: [String]) -> [String] {
        guard names.count > 1 else { return names }
        var seen = Set<String>()
        return names.filter { seen.insert(fold($0)).inserted }
    }

    public func equal(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where fold(byte: p) != fold(byte: q) { return false }
        return true
    }
}

/// Validation and matching of nicks, channels and masks. ASCII rules, byte based.
public enum Names {
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// `[ ] \ ` _ ^ { | }`
    @inline(__always) static func isNickSpecial(_ b: UInt8) -> Bool { (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7D) }

    /// First a letter or one of `[]\`_^{|}`; then letters, digits, those and `-`; 1...maxLength bytes.
    public static func isValidNick(_ s: String, maxLength: Int = 30) -> Bool {
        let u = s.utf8
        guard let first = u.first, u.count <= maxLength else { return false }
        guard isLetter(first) || isNickSpecial(first) else { return false }
        for b in u.dropFirst() where !(isLetter(b) || isDigit(b) || isNickSpecial(b) || b == UInt8(ascii: "-")) {
            return false
        }
        return true
    }

    /// `#` and at least one more byte, 2...maxLength bytes, no space, comma, BEL or other control
    /// character (nor DEL). Other UTF-8 is allowed, except what cannot be shown safely in a
    /// list or on a terminal: C1 controls, format characters (bidi overrides and isolates,
    /// zero-width characters) and separators of any kind, by Unicode category.
    public static func isValidChannel(_ s: String, maxLength: Int = 50) -> Bool {
        let u = s.utf8
        guard u.count >= 2, u.count <= maxLength, u.first == UInt8(ascii: "#") else { return false }
        var ascii = true
        for b in u {
            if b < 0x21 || b == 0x7F || b == UInt8(ascii: ",") { return false }
            if b >= 0x80 { ascii = false }
        }
        if ascii { return true }
        for scalar in s.unicodeScalars where TextSafety.cannotBeShown(scalar) { return false }
        return true
    }

    /// Glob match for ban masks and WHO: `*` is any run (also empty), `?` exactly one character
    /// (one Unicode scalar); everything else literal, compared under `casemapping`. No escapes.
    /// Linear-time backtracking on the last `*` only, so hostile masks cannot blow up.
    public static func maskMatches(mask: String, _ string: String, casemapping: CaseMapping = .rfc1459) -> Bool {
        let m = ContiguousArray(mask.utf8), s = ContiguousArray(string.utf8)
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        @inline(__always) func nextScalar(_ k: Int) -> Int {
            var k = k + 1
            while k < s.count && (s[k] & 0xC0) == 0x80 { k += 1 }
            return k
        }
        var mi = 0, si = 0
        var starM = -1, starS = 0
        while si < s.count {
            if mi < m.count && m[mi] == star {
                starM = mi
                starS = si
                mi += 1
            } else if mi < m.count && m[mi] == question {
                mi += 1
                si = nextScalar(si)
            } else if mi < m.count && casemapping.fold(byte: m[mi]) == casemapping.fold(byte: s[si]) {
                mi += 1
                si += 1
            } else if starM >= 0 {
                mi = starM + 1
                starS = nextScalar(starS)
                si = starS
            } else {
                return false
            }
        }
        while mi < m.count && m[mi] == star { mi += 1 }
        return mi == m.count
    }

    /// `mask` as a full `nick!user@host` mask: `bob` is `bob!*@*`, `*@host` is `*!*@host`,
    /// `bob!u` is `bob!u@*`. Nil for an empty, overlong or unsafe one (bans on the server,
    /// bans and ignores in the client).
    public static func normalizedMask(_ mask: String, maxLength: Int) -> String? {
        guard !mask.isEmpty, mask.utf8.count <= maxLength, !mask.hasPrefix(":"),
              !mask.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ",") }),
              TextSafety.isSafe(mask) else { return nil }
        let bang = mask.firstIndex(of: "!"), at = mask.firstIndex(of: "@")
        switch (bang, at) {
        case (nil, nil): return mask + "!*@*"
        case (nil, _?): return "*!" + mask
        case (_?, nil): return mask + "@*"
        case (let b?, let a?): return b < a ? mask : nil
        }
    }

    /// A key under which names that look alike collide, so that a server can refuse `A1ice`
    /// while `alice` is connected. First the case is folded per `casemapping`; then, within
    /// ASCII, `0` becomes `o`, and `1`, `l` and `|` become `i` (after rfc1459 folding `I`, `\`
    /// already are `i`, `|`). Deliberately small: no multi-letter look-alikes (`rn`/`m`), no
    /// digits other than 0 and 1, and non-ASCII is left alone (nicks are ASCII anyway).
    public static func impersonationKey(_ s: String, casemapping: CaseMapping = .rfc1459) -> String {
        String(decoding: s.utf8.map { b -> UInt8 in
            let f = casemapping.fold(byte: b)
            switch f {
            case UInt8(ascii: "0"): return UInt8(ascii: "o")
            case UInt8(ascii: "1"), UInt8(ascii: "l"), UInt8(ascii: "|"): return UInt8(ascii: "i")
            default: return f
            }
        }, as: UTF8.self)
    }
}
