/// IRCv3 client-only tags (`+draft/reply=abc`, `+typing=active`) as they travel between
/// sessions: one string, escaped as on the wire, without the `@` and the space
/// (https://ircv3.net/specs/extensions/message-tags). The sender's session builds it from its
/// client's tags (`wire`), the hub checks it (`isWellFormed`) as it checks every field from a
/// session, and the recipients' sessions write it as it is (or parse it back, `tags`).
public enum ClientTags {
    /// The most tag data a client may send, the `@` and the space aside; the spec's limit.
    public static let maxBytes = RequestLimits.tags

    /// The client-only tags of `tags` (those whose key starts with `+`), escaped and joined
    /// with `;`; `""` when there are none. Server tags the client sent (`label`, `time`) are
    /// not relayed.
    public static func wire(_ tags: [IRCTag]) -> String {
        let relayed = tags.filter { $0.key.utf8.count > 1 && $0.key.hasPrefix("+") && validKey($0.key) }
        if relayed.isEmpty { return "" }
        var m = IRCMessage(command: "X")
        m.tags = relayed
        let line = m.serialized()  // "@tags X"
        return String(line.dropFirst().dropLast(2))
    }

    /// Whether `wire` can go into a line as it is: at most `maxBytes`, no NUL, CR, LF or
    /// space, and each tag's key a client-only one (`+…`) of the key alphabet. What a hostile
    /// session sends that is not is dropped by the hub.
    public static func isWellFormed(_ wire: String) -> Bool {
        guard !wire.isEmpty, wire.utf8.count <= maxBytes else { return false }
        if wire.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }) { return false }
        for tag in wire.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            let key = tag.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard key.count > 1, key.first == UInt8(ascii: "+"), validKey(String(decoding: key, as: UTF8.self)) else {
                return false
            }
        }
        return true
    }

    /// `wire` as tags again, values unescaped (for the general renderer).
    public static func tags(_ wire: String) -> [IRCTag] {
        guard !wire.isEmpty, let m = try? IRCMessage(parsing: Array(("@" + wire + " X").utf8)) else { return [] }
        return m.tags
    }

    /// A key: an optional `+`, an optional vendor (`example.com/`), then letters, digits and `-`.
    private static func validKey(_ key: String) -> Bool {
        key.utf8.dropFirst(key.hasPrefix("+") ? 1 : 0).allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".")
        }
    }
}
