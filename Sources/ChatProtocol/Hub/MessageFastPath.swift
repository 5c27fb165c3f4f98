/// The hot path of a chat server: a channel or private message event, read straight from its
/// frame payload and written as one output line, with no `String` or array per line. Both
/// functions produce exactly what the general renderers (`IRCRenderer`, `renderHuman`)
/// produce for the same event, and decline (return false) for anything unusual, which then
/// takes the general path.
public struct MessageView {
    public var source: UnsafeRawBufferPointer
    public var kind: UInt8
    public var target: UnsafeRawBufferPointer
    public var text: UnsafeRawBufferPointer
    public var time: Int64

    /// Reads a message event's payload (type `HubMessageType.eventMessage`), nil if malformed.
    public init?(payload: UnsafeRawBufferPointer) {
        var r = BinaryReader(payload)
        guard let s = try? r.rawString(), let k = try? r.u8(), k <= 2,
              let t = try? r.rawString(), let x = try? r.rawString(), let time = try? r.int(),
              r.remaining == 0 else { return nil }
        source = s
        kind = k
        target = t
        text = x
        self.time = time
    }

    var nick: UnsafeRawBufferPointer {
        if let bang = source.firstIndex(of: UInt8(ascii: "!")) { return UnsafeRawBufferPointer(rebasing: source[..<bang]) }
        return source
    }
}

extension BinaryReader {
    /// A string's bytes, borrowed from the payload (no copy, no validation).
    mutating func rawString() throws(PayloadError) -> UnsafeRawBufferPointer {
        let n = try byteCount()
        if n == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
    }
}

/// Whether `b` can go into an IRC line as it is: no NUL, CR or LF, and no space unless
/// `allowSpace`. Eight bytes at a time: a word with no byte below the smallest byte that
/// matters (0x0E, or 0x21 with spaces) needs no closer look.
@inline(__always)
private func fitsLine(_ b: UnsafeRawBufferPointer, allowSpace: Bool) -> Bool {
    guard let base = b.baseAddress else { return true }
    let n = b.count
    let below: UInt64 = allowSpace ? 0x0E0E_0E0E_0E0E_0E0E : 0x2121_2121_2121_2121
    var i = 0
    while i + 8 <= n {
        let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        // Nonzero iff some byte of x is below the threshold (the "hasless" trick; exact for
        // thresholds up to 0x80).
        if (x &- below) & ~x & 0x8080_8080_8080_8080 != 0 {
            for k in i..<(i + 8) where !fits(base.load(fromByteOffset: k, as: UInt8.self), allowSpace) { return false }
        }
        i += 8
    }
    while i < n {
        if !fits(base.load(fromByteOffset: i, as: UInt8.self), allowSpace) { return false }
        i += 1
    }
    return true
}

@inline(__always)
private func fits(_ c: UInt8, _ allowSpace: Bool) -> Bool {
    !(c == 0 || c == 0x0A || c == 0x0D || (c == 0x20 && !allowSpace))
}

/// Writes pieces of a line through a raw pointer: the renderers below know the line's length
/// before they start, so they build it in a stack buffer and append it to the output in one
/// copy instead of one checked append per piece.
struct LineWriter {
    private(set) var position: UnsafeMutableRawPointer

    init(_ start: UnsafeMutableRawPointer) { position = start }

    @inline(__always) mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        position.copyMemory(from: base, byteCount: bytes.count)
        position += bytes.count
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        position.storeBytes(of: byte, as: UInt8.self)
        position += 1
    }

    @inline(__always) mutating func put(_ text: StaticString) {
        put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { put($0) }
    }

    @inline(__always) mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }

    /// Appends exactly `count` bytes that `body` writes to `out`.
    @inline(__always)
    static func append(count: Int, to out: inout [UInt8], _ body: (inout LineWriter) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { raw in
            var w = LineWriter(raw.baseAddress!)
            body(&w)
            precondition(w.position == raw.baseAddress! + count, "LineWriter: length mismatch")
            out.append(contentsOf: UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}

extension IRCRenderer {
    /// Appends `:source PRIVMSG target :text` (NOTICE, or a CTCP ACTION) with CR LF.
    /// Returns false, appending nothing, where the general renderer must decide (a line over
    /// 512 bytes, bytes that need cleaning).
    public static func appendMessageLine(_ m: MessageView, context: IRCRenderContext, to out: inout [UInt8]) -> Bool {
        appendMessageLine(m, serverTime: context.serverTime, to: &out)
    }

    /// The same, for a client that did (`serverTime`) or did not negotiate `server-time`: the
    /// only part of the rendering context a message line depends on.
    public static func appendMessageLine(_ m: MessageView, serverTime: Bool, to out: inout [UInt8]) -> Bool {
        let notice = m.kind == 1
        let action = m.kind == 2
        let body = 1 + m.source.count + 1 + (notice ? 6 : 7) + 1 + m.target.count + 2
            + m.text.count + (action ? 9 : 0)
        guard body <= maxBody, !m.source.isEmpty, !m.target.isEmpty, m.target.first != UInt8(ascii: ":"),
              fitsLine(m.source, allowSpace: false), fitsLine(m.target, allowSpace: false),
              fitsLine(m.text, allowSpace: true)
        else { return false }
        let time = serverTime ? timestamp(epochMilliseconds: m.time) : ""
        let tag = serverTime ? 6 + time.utf8.count + 1 : 0
        LineWriter.append(count: tag + body + 2, to: &out) { w in
            if serverTime {
                w.put("@time=")
                w.put(time)
                w.put(UInt8(ascii: " "))
            }
            w.put(UInt8(ascii: ":"))
            w.put(m.source)
            w.put(notice ? " NOTICE " : " PRIVMSG ")
            w.put(m.target)
            w.put(" :")
            if action { w.put("\u{1}ACTION ") }
            w.put(m.text)
            if action { w.put(1) }
            w.put("\r\n")
        }
        return true
    }
}

/// The `[HH:MM] ` stamp of the last minute rendered, kept so a burst of lines formats it once.
public struct MinuteStamp {
    private var minute: Int64 = .min
    private var offset = 0
    private var bytes: [UInt8] = []
    public init() {}

    public mutating func stamp(epochMilliseconds ms: Int64, utcOffsetSeconds: Int) -> [UInt8] {
        // The local minute, not the UTC one: an offset that is not whole minutes (the local
        // mean times in the tz database) puts the two minutes' boundaries apart.
        let m = floorDivMod(localSeconds(floorDivMod(ms, 1000).0, utcOffsetSeconds), 60).0
        if m != minute || utcOffsetSeconds != offset {
            minute = m
            offset = utcOffsetSeconds
            bytes = Array(("[" + hourMinute(epochMilliseconds: ms, utcOffsetSeconds: utcOffsetSeconds) + "] ").utf8)
        }
        return bytes
    }
}

/// Appends a person's view of a message to their current channel (`[12:34] <alice> hi`,
/// `[12:34] * alice waves`) with CR LF. Returns false, appending nothing, for every other case
/// (private messages, notices, other channels, text with control or formatting bytes), which
/// `renderHuman` handles.
public func appendHumanChannelMessage(_ m: MessageView, currentChannel: [UInt8]?, utcOffsetSeconds: Int,
                                      stamp: inout MinuteStamp, to out: inout [UInt8]) -> Bool {
    guard m.kind != 1, let current = currentChannel, m.target.elementsEqual(current),
          !m.text.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
    let nick = m.nick
    guard !nick.contains(where: { $0 < 0x20 }) else { return false }
    let prefix = stamp.stamp(epochMilliseconds: m.time, utcOffsetSeconds: utcOffsetSeconds)
    LineWriter.append(count: prefix.count + nick.count + 3 + m.text.count + 2, to: &out) { w in
        w.put(prefix)
        if m.kind == 2 {
            w.put("* ")
            w.put(nick)
            w.put(UInt8(ascii: " "))
        } else {
            w.put(UInt8(ascii: "<"))
            w.put(nick)
            w.put("> ")
        }
        w.put(m.text)
        w.put("\r\n")
    }
    return true
}
