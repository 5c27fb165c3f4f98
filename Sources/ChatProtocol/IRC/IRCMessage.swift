// One IRC protocol line: `[@tags] [:source] COMMAND [params] [:trailing]`, after
// https://modern.ircdocs.horse (Message format) and IRCv3 message-tags.
// Parsing works on UTF-8 bytes in one pass; invalid UTF-8 is repaired to U+FFFD per atom.

/// One IRCv3 message tag. `value` is unescaped and `""` when the tag has no value.
public struct IRCTag: Equatable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String = "") {
        self.key = key
        self.value = value
    }
}

/// How long a line may be before parsing refuses it.
public struct IRCLimits: Equatable, Sendable {
    /// The tags section, counting the leading `@` and the space after it (IRCv3: 8191).
    public var maxTagBytes: Int
    /// Source, command and parameters, without the CRLF (RFC 1459: 512 - 2 = 510).
    public var maxBodyBytes: Int

    public init(maxTagBytes: Int, maxBodyBytes: Int) {
        self.maxTagBytes = maxTagBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// The protocol's limits, for what a server reads from its clients (answer 417 on excess).
    public static let strict = IRCLimits(maxTagBytes: 8191, maxBodyBytes: 510)
    /// For clients: real servers send longer lines than the RFC allows.
    public static let lenient = IRCLimits(maxTagBytes: 8191, maxBodyBytes: 8192)
}

/// Why a line is not an IRC message.
public enum IRCParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing but spaces.
    case emptyLine
    /// Tags and/or a source, but no command.
    case missingCommand
    /// A `:` with no source after it.
    case emptySource
    /// The command is neither letters nor a 3-digit numeric.
    case invalidCommand(String)
    /// A tag with a value but no key (`@=x`).
    case emptyTagKey
    /// The tags section (with its `@` and trailing space) exceeds the limit.
    case tagsTooLong(bytes: Int, limit: Int)
    /// The part after the tags exceeds the limit.
    case bodyTooLong(bytes: Int, limit: Int)
    /// NUL, CR or LF inside the line.
    case forbiddenByte(UInt8)

    /// The server answers these with 417 ERR_INPUTTOOLONG.
    public var isTooLong: Bool {
        switch self {
        case .tagsTooLong, .bodyTooLong: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .emptyLine: return "empty line"
        case .missingCommand: return "missing command"
        case .emptySource: return "empty source after ':'"
        case .invalidCommand(let c): return "invalid command \"\(c)\""
        case .emptyTagKey: return "tag without a key"
        case .tagsTooLong(let b, let l): return "tags section too long (\(b) bytes, limit \(l))"
        case .bodyTooLong(let b, let l): return "line too long (\(b) bytes, limit \(l))"
        case .forbiddenByte(let b): return "forbidden byte 0x\(b < 16 ? "0" : "")\(String(b, radix: 16)) in line"
        }
    }
}

public struct IRCMessage: Equatable, Sendable, CustomStringConvertible {
    /// In wire order. A key sent more than once keeps its first position and its last value.
    public var tags: [IRCTag]
    /// Without the leading ':'.
    public var source: String?
    /// As received; `verb` gives it uppercased.
    public var command: String
    public var params: [String]
    /// Write the last parameter with a ':' even when it does not need one, as servers
    /// conventionally do for text (message bodies, reasons, numeric texts). Not compared by `==`.
    public var trailingColon = false

    public static func == (a: IRCMessage, b: IRCMessage) -> Bool {
        a.tags == b.tags && a.source == b.source && a.command == b.command && a.params == b.params
    }

    public init(tags: [IRCTag] = [], source: String? = nil, command: String, params: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = command
        self.params = params
    }

    /// Parses one line, CR/LF already removed, with the lenient (client) limits.
    public init(parsing line: String) throws(IRCParseError) {
        try self.init(parsing: line, limits: .lenient)
    }

    public init(parsing line: String, limits: IRCLimits) throws(IRCParseError) {
        var line = line
        let result = line.withUTF8 { buf in
            Result { () throws(IRCParseError) in try IRCMessage.parse(buf, limits: limits) }
        }
        self = try result.get()
    }

    /// Parses one line of raw bytes, CR/LF already removed; invalid UTF-8 becomes U+FFFD.
    /// Limits count the raw bytes, as they were on the wire.
    public init(parsing bytes: some Collection<UInt8>) throws(IRCParseError) {
        try self.init(parsing: bytes, limits: .lenient)
    }

    public init(parsing bytes: some Collection<UInt8>, limits: IRCLimits) throws(IRCParseError) {
        let direct = bytes.withContiguousStorageIfAvailable { buf in
            Result { () throws(IRCParseError) in try IRCMessage.parse(buf, limits: limits) }
        }
        if let direct {
            self = try direct.get()
        } else {
            let copy = Array(bytes)
            let result = copy.withUnsafeBufferPointer { buf in
                Result { () throws(IRCParseError) in try IRCMessage.parse(buf, limits: limits) }
            }
            self = try result.get()
        }
    }

    /// The command in ASCII upper case.
    public var verb: String { Self.verb(of: command) }

    /// A command name in ASCII upper case (`privmsg` is `PRIVMSG`; other letters stay as
    /// they are): how commands compare, whatever case a client sends.
    public static func verb(of command: String) -> String {
        if !command.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { return command }
        return String(decoding: command.utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    /// The value of the tag `key` (`""` for a tag without value), nil when absent.
    public func tag(_ key: String) -> String? {
        tags.last(where: { $0.key == key })?.value
    }

    /// The numeric of a 3-digit command, nil for named commands.
    public var numeric: Int? {
        let u = command.utf8
        guard u.count == 3 else { return nil }
        var n = 0
        for b in u {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    public var description: String { serialized() }
}

// MARK: - Parsing

private let space: UInt8 = 0x20
private let colon: UInt8 = 0x3A
private let semicolon: UInt8 = 0x3B
private let equals: UInt8 = 0x3D
private let backslash: UInt8 = 0x5C

@inline(__always) private func string(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: p[from..<to]), as: UTF8.self)
}

extension IRCMessage {
    static func parse(_ p: UnsafeBufferPointer<UInt8>, limits: IRCLimits) throws(IRCParseError) -> IRCMessage {
        let n = p.count
        for b in p where b == 0 || b == 0x0A || b == 0x0D { throw .forbiddenByte(b) }

        var i = 0
        while i < n && p[i] == space { i += 1 }
        if i == n { throw .emptyLine }

        var tags: [IRCTag] = []
        if p[i] == UInt8(ascii: "@") {
            var end = i + 1
            while end < n && p[end] != space { end += 1 }
            let size = end - i + 1  // '@', the data and the space after it
            if size > limits.maxTagBytes { throw .tagsTooLong(bytes: size, limit: limits.maxTagBytes) }
            tags = try parseTags(p, from: i + 1, to: end)
            i = end
            while i < n && p[i] == space { i += 1 }
            if i == n { throw .missingCommand }
        }

        let bodyBytes = n - i
        if bodyBytes > limits.maxBodyBytes { throw .bodyTooLong(bytes: bodyBytes, limit: limits.maxBodyBytes) }

        var source: String?
        if p[i] == colon {
            let start = i + 1
            var end = start
            while end < n && p[end] != space { end += 1 }
            if end == start { throw .emptySource }
            source = string(p, start, end)
            i = end
            while i < n && p[i] == space { i += 1 }
            if i == n { throw .missingCommand }
        }

        let commandStart = i
        var allLetters = true, allDigits = true
        while i < n && p[i] != space {
            let b = p[i]
            allLetters = allLetters && ((b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A))
            allDigits = allDigits && (b >= 0x30 && b <= 0x39)
            i += 1
        }
        guard allLetters || (allDigits && i - commandStart == 3) else {
            throw .invalidCommand(string(p, commandStart, i))
        }
        let command = string(p, commandStart, i)

        var params: [String] = []
        while true {
            while i < n && p[i] == space { i += 1 }
            if i == n { break }
            if p[i] == colon {
                params.append(string(p, i + 1, n))
                break
            }
            let start = i
            while i < n && p[i] != space { i += 1 }
            params.append(string(p, start, i))
        }
        return IRCMessage(tags: tags, source: source, command: command, params: params)
    }

    private static func parseTags(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) throws(IRCParseError) -> [IRCTag] {
        var tags: [IRCTag] = []
        var index: [String: Int] = [:]  // only used once there are many tags
        var i = from
        while i < to {
            let start = i
            var eq = -1
            while i < to && p[i] != semicolon {
                if eq < 0 && p[i] == equals { eq = i }
                i += 1
            }
            let end = i
            i += 1  // past ';'
            if end == start { continue }  // empty element, e.g. a trailing ';'
            let keyEnd = eq < 0 ? end : eq
            if keyEnd == start { throw .emptyTagKey }
            let key = string(p, start, keyEnd)
            let value = eq < 0 ? "" : unescapeTagValue(p, from: eq + 1, to: end)
            // Duplicates: the last value wins (IRCv3), at the first position.
            if tags.count < 16 {
                if let k = tags.firstIndex(where: { $0.key == key }) {
                    tags[k].value = value
                    continue
                }
                if tags.count == 15 {
                    for (k, t) in tags.enumerated() { index[t.key] = k }
                    index[key] = tags.count
                }
            } else if let k = index[key] {
                tags[k].value = value
                continue
            } else {
                index[key] = tags.count
            }
            tags.append(IRCTag(key: key, value: value))
        }
        return tags
    }

    private static func unescapeTagValue(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        var hasEscape = false
        for k in from..<to where p[k] == backslash { hasEscape = true; break }
        if !hasEscape { return string(p, from, to) }
        var out: [UInt8] = []
        out.reserveCapacity(to - from)
        var k = from
        while k < to {
            let b = p[k]
            k += 1
            guard b == backslash else { out.append(b); continue }
            if k == to { break }  // a lone trailing backslash is dropped
            let e = p[k]
            k += 1
            switch e {
            case colon: out.append(semicolon)
            case UInt8(ascii: "s"): out.append(space)
            case backslash: out.append(backslash)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            default: out.append(e)  // invalid escape: the backslash is dropped
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - Serialising

extension IRCMessage {
    /// The line without CRLF. Never contains NUL, CR or LF (they are dropped). The last parameter
    /// gets a ':' only when it needs one (empty, starts with ':', or contains a space). Atoms that
    /// cannot be written as they are get repaired so that the line parses back with the same shape:
    /// spaces in the source, the command or a middle parameter become '_', an empty middle parameter
    /// becomes "*", and a middle parameter starting with ':' gets that ':' replaced by '_'.
    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        appendSerialized(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the line and its CRLF, ready for the socket.
    public func appendLine(to out: inout [UInt8]) {
        appendSerialized(to: &out)
        out.append(0x0D)
        out.append(0x0A)
    }

    /// Appends `serialized()` as bytes, without CRLF.
    public func appendSerialized(to out: inout [UInt8]) {
        if !tags.isEmpty {
            var first = true
            for t in tags {
                let keyStart = out.count + 1
                out.append(first ? UInt8(ascii: "@") : semicolon)
                for b in t.key.utf8 where !(b == 0 || b == 0x0A || b == 0x0D || b == space || b == semicolon || b == equals) {
                    out.append(b)
                }
                if out.count == keyStart {  // nothing left of the key: leave the tag out
                    out.removeLast()
                    continue
                }
                first = false
                guard !t.value.isEmpty else { continue }
                out.append(equals)
                for b in t.value.utf8 {
                    switch b {
                    case semicolon: out.append(backslash); out.append(colon)
                    case space: out.append(backslash); out.append(UInt8(ascii: "s"))
                    case backslash: out.append(backslash); out.append(backslash)
                    case 0x0D: out.append(backslash); out.append(UInt8(ascii: "r"))
                    case 0x0A: out.append(backslash); out.append(UInt8(ascii: "n"))
                    case 0: break
                    default: out.append(b)
                    }
                }
            }
            if !first { out.append(space) }
        }
        if let source {
            out.append(colon)
            let start = out.count
            appendAtom(source, to: &out)
            if out.count == start { out.removeLast() } else { out.append(space) }
        }
        appendAtom(command, to: &out)
        for (k, p) in params.enumerated() {
            out.append(space)
            if k == params.count - 1 {
                let u = p.utf8
                // Decide on what is written, after NUL/CR/LF are dropped: "\0" is empty then,
                // and "\r:x" starts with ':'.
                let first = u.first { !($0 == 0 || $0 == 0x0A || $0 == 0x0D) }
                if trailingColon || first == nil || first == colon || u.contains(space) { out.append(colon) }
                for b in u where !(b == 0 || b == 0x0A || b == 0x0D) { out.append(b) }
            } else if p.isEmpty {
                out.append(UInt8(ascii: "*"))
            } else {
                let start = out.count
                appendAtom(p, to: &out)
                if out.count > start && out[start] == colon { out[start] = UInt8(ascii: "_") }
                if out.count == start { out.append(UInt8(ascii: "*")) }
            }
        }
    }

    /// Writes one space-free atom: drops NUL/CR/LF, turns spaces into '_'.
    private func appendAtom(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0, 0x0A, 0x0D: break
            case space: out.append(UInt8(ascii: "_"))
            default: out.append(b)
            }
        }
    }
}

// MARK: - Splitting long text

extension IRCMessage {
    /// The longest start of `text` of at most `maxBytes` UTF-8 bytes that ends on a scalar
    /// boundary: how a server cuts a relayed line to fit 512 bytes (IRC servers cut, they do
    /// not split one message into two), leaving valid UTF-8 for clients that count on
    /// `UTF8ONLY`.
    public static func cutText(_ text: String, maxBytes: Int) -> String {
        let u = text.utf8
        if u.count <= maxBytes { return text }
        guard maxBytes > 0 else { return "" }
        var cut = u.index(u.startIndex, offsetBy: maxBytes)
        while cut > u.startIndex && (u[cut] & 0xC0) == 0x80 { cut = u.index(before: cut) }
        return String(text[..<cut])
    }

    /// Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes, never inside a Unicode scalar,
    /// preferring to cut after a space when one lies in the second half of a piece. The pieces
    /// joined give `text` back. A scalar longer than `maxBytes` (only when `maxBytes < 4`) makes a
    /// piece of its own. Empty text gives one empty piece.
    public static func splitText(_ text: String, maxBytes: Int) -> [String] {
        let limit = max(1, maxBytes)
        if text.utf8.count <= limit { return [text] }
        var text = text
        return text.withUTF8 { u in
            var pieces: [String] = []
            let n = u.count
            var start = 0
            while n - start > limit {
                var cut = start + limit
                while cut > start && (u[cut] & 0xC0) == 0x80 { cut -= 1 }  // back to a scalar start
                if cut == start {
                    cut = start + 1
                    while cut < n && (u[cut] & 0xC0) == 0x80 { cut += 1 }
                } else {
                    let floor = start + limit / 2
                    var j = cut
                    while j > floor && u[j - 1] != space { j -= 1 }
                    if j > floor { cut = j }  // u[j - 1] is a space
                }
                pieces.append(string(u, start, cut))
                start = cut
            }
            if start < n { pieces.append(string(u, start, n)) }
            return pieces
        }
    }
}
