/// A message event read in place from its frame's payload: the hot path of a chat server.
/// The fast renderers (`IRCRenderer.appendMessageLine` in IRCRenderer+FastPath.swift,
/// `appendHumanChannelMessage` in HumanRenderer+FastPath.swift) write it as one output line
/// with no `String` or array per line, exactly as the general renderers would, and decline
/// (return false) anything unusual, which then takes the general path.
public struct MessageView {
    public var source: UnsafeRawBufferPointer
    public var kind: UInt8
    public var target: UnsafeRawBufferPointer
    public var text: UnsafeRawBufferPointer
    public var time: Int64
    /// The hub's number for the message (IRCv3 `msgid`; 0 for none).
    public var id: UInt64
    /// Client-only tags as escaped on the wire, empty for none.
    public var tags: UnsafeRawBufferPointer
    /// The account the sender is logged in to, empty for none (account-tag).
    public var account: UnsafeRawBufferPointer

    /// Reads a message event's payload (type `HubMessageType.eventMessage`), nil if malformed.
    public init?(payload: UnsafeRawBufferPointer) {
        var r = BinaryReader(payload)
        guard let s = try? r.rawString(), let k = try? r.u8(), k <= 2,
              let t = try? r.rawString(), let x = try? r.rawString(), let time = try? r.int(),
              let id = try? r.varint(), let tags = try? r.rawString(), let account = try? r.rawString(),
              r.remaining == 0 else { return nil }
        source = s
        kind = k
        target = t
        text = x
        self.time = time
        self.id = id
        self.tags = tags
        self.account = account
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
