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

    /// Reads a message event's payload (type `HubEvent.messageType`), nil if malformed.
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

extension HubEvent {
    public static let messageType: UInt8 = 71
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

@inline(__always)
private func hasLineBreakingBytes(_ b: UnsafeRawBufferPointer) -> Bool {
    b.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D }
}

extension IRCRenderer {
    /// Appends `:source PRIVMSG target :text` (NOTICE, or a CTCP ACTION) with CR LF.
    /// Returns false, appending nothing, where the general renderer must decide (a line over
    /// 512 bytes, bytes that need cleaning).
    public static func appendMessageLine(_ m: MessageView, context: IRCRenderContext, to out: inout [UInt8]) -> Bool {
        let command: StaticString = m.kind == 1 ? "NOTICE" : "PRIVMSG"
        let action = m.kind == 2
        let body = 1 + m.source.count + 1 + command.utf8CodeUnitCount + 1 + m.target.count + 2
            + m.text.count + (action ? 9 : 0)
        guard body <= maxBody, !m.source.isEmpty, !m.target.isEmpty,
              !m.source.contains(UInt8(ascii: " ")), !m.target.contains(UInt8(ascii: " ")),
              m.target.first != UInt8(ascii: ":"),
              !hasLineBreakingBytes(m.source), !hasLineBreakingBytes(m.target), !hasLineBreakingBytes(m.text)
        else { return false }
        if context.serverTime {
            out.append(contentsOf: "@time=".utf8)
            out.append(contentsOf: timestamp(epochMilliseconds: m.time).utf8)
            out.append(UInt8(ascii: " "))
        }
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: m.source)
        out.append(UInt8(ascii: " "))
        command.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: m.target)
        out.append(contentsOf: " :".utf8)
        if action { out.append(contentsOf: "\u{1}ACTION ".utf8) }
        out.append(contentsOf: m.text)
        if action { out.append(1) }
        out.append(0x0D)
        out.append(0x0A)
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
    out.append(contentsOf: stamp.stamp(epochMilliseconds: m.time, utcOffsetSeconds: utcOffsetSeconds))
    if m.kind == 2 {
        out.append(contentsOf: "* ".utf8)
        out.append(contentsOf: nick)
        out.append(UInt8(ascii: " "))
    } else {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: nick)
        out.append(contentsOf: "> ".utf8)
    }
    out.append(contentsOf: m.text)
    out.append(0x0D)
    out.append(0x0A)
    return true
}
