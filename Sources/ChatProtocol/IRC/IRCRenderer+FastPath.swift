extension IRCRenderer {
    /// Appends `:source PRIVMSG target :text` (NOTICE, or a CTCP ACTION) with CR LF.
    /// Returns false, appending nothing, where the general renderer must decide (a line over
    /// 512 bytes, bytes that need cleaning).
    public static func appendMessageLine(_ m: MessageView, context: IRCRenderContext, to out: inout [UInt8]) -> Bool {
        appendMessageLine(m, serverTime: context.serverTime, messageTags: context.messageTags,
                          accountTag: context.capabilities.contains(.accountTag), to: &out)
    }

    /// The same, for a client that did (`serverTime`) or did not negotiate `server-time`, and
    /// did or did not negotiate `message-tags` (then `msgid` and the sender's client-only
    /// tags come first): the only parts of the rendering context a message line depends on.
    /// `accountTag`: the client negotiated account-tag (`account=` when the sender is logged in).
    public static func appendMessageLine(_ m: MessageView, serverTime: Bool, messageTags: Bool = false,
                                         accountTag: Bool = false, to out: inout [UInt8]) -> Bool {
        if messageTags || (accountTag && m.account.count != 0) {
            return appendTaggedMessageLine(m, serverTime: serverTime, messageTags: messageTags, accountTag: accountTag, to: &out)
        }
        guard let body = bodyBytes(m) else { return false }
        let time = serverTime ? timestamp(epochMilliseconds: m.time) : ""
        let tag = serverTime ? 6 + time.utf8.count + 1 : 0
        LineWriter.append(count: tag + body + 2, to: &out) { w in
            if serverTime {
                w.put("@time=")
                w.put(time)
                w.put(UInt8(ascii: " "))
            }
            putBody(m, &w)
        }
        return true
    }

    /// `appendMessageLine` for a client with message-tags: `@msgid=…;+tags;time=… ` before
    /// the line. Off the common path (a plain client takes the branch above), so kept apart.
    /// With account-tag alone, only `account=` (and `time=`) come first.
    private static func appendTaggedMessageLine(_ m: MessageView, serverTime: Bool, messageTags: Bool, accountTag: Bool,
                                                to out: inout [UInt8]) -> Bool {
        guard let body = bodyBytes(m), m.tags.count <= ClientTags.maxBytes, fitsLine(m.tags, allowSpace: false)
        else { return false }
        let account = accountTag && m.account.count != 0
        // An account name is a nick: a `\\` in it needs escaping, left to the general path.
        if account && (!fitsLine(m.account, allowSpace: false) || m.account.contains(UInt8(ascii: "\\"))
                       || m.account.contains(UInt8(ascii: ";"))) { return false }
        let time = serverTime ? timestamp(epochMilliseconds: m.time) : ""
        let id = messageTags && m.id != 0, tags = messageTags && !m.tags.isEmpty
        var tagBytes = 0
        if id { tagBytes += 6 + 16 + 1 }  // "msgid=" + 16 hex digits + ";"
        if tags { tagBytes += m.tags.count + 1 }
        if account { tagBytes += 8 + m.account.count + 1 }  // "account=" + name + ";"
        if serverTime { tagBytes += 5 + time.utf8.count + 1 }
        let tag = tagBytes == 0 ? 0 : tagBytes + 1  // '@' and ' ' for the last ';'
        LineWriter.append(count: tag + body + 2, to: &out) { w in
            if tagBytes > 0 {
                var first = true
                func separator(_ w: inout LineWriter) {
                    w.put(first ? UInt8(ascii: "@") : UInt8(ascii: ";"))
                    first = false
                }
                if id {
                    separator(&w)
                    w.put("msgid=")
                    putHex(m.id, &w)
                }
                if tags {
                    separator(&w)
                    w.put(m.tags)
                }
                if account {
                    separator(&w)
                    w.put("account=")
                    w.put(m.account)
                }
                if serverTime {
                    separator(&w)
                    w.put("time=")
                    w.put(time)
                }
                w.put(UInt8(ascii: " "))
            }
            putBody(m, &w)
        }
        return true
    }

    /// The bytes of `:source PRIVMSG target :text` without CR LF, or nil where the general
    /// renderer must decide (over 510 bytes, an empty or odd name, NUL, CR or LF).
    @inline(__always)
    private static func bodyBytes(_ m: MessageView) -> Int? {
        let body = 1 + m.source.count + 1 + (m.kind == 1 ? 6 : 7) + 1 + m.target.count + 2
            + m.text.count + (m.kind == 2 ? 9 : 0)
        guard body <= maxBody, !m.source.isEmpty, !m.target.isEmpty, m.target.first != UInt8(ascii: ":"),
              fitsLine(m.source, allowSpace: false), fitsLine(m.target, allowSpace: false),
              fitsLine(m.text, allowSpace: true)
        else { return nil }
        return body
    }

    /// Writes `:source PRIVMSG target :text` (NOTICE, or a CTCP ACTION) and CR LF.
    @inline(__always)
    private static func putBody(_ m: MessageView, _ w: inout LineWriter) {
        let action = m.kind == 2
        w.put(UInt8(ascii: ":"))
        w.put(m.source)
        w.put(m.kind == 1 ? " NOTICE " : " PRIVMSG ")
        w.put(m.target)
        w.put(" :")
        if action { w.put("\u{1}ACTION ") }
        w.put(m.text)
        if action { w.put(1) }
        w.put("\r\n")
    }

    /// `id` as the `msgid` tag's value: 16 lowercase hex digits.
    public static func messageID(_ id: UInt64) -> String {
        var out: [UInt8] = []
        LineWriter.append(count: 16, to: &out) { putHex(id, &$0) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func putHex(_ id: UInt64, _ w: inout LineWriter) {
        let digits: StaticString = "0123456789abcdef"
        for shift in stride(from: 60, through: 0, by: -4) {
            w.put(digits.utf8Start[Int((id >> UInt64(shift)) & 0xF)])
        }
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
