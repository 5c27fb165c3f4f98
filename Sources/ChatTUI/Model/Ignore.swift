import ChatProtocol

/// One `/ignore`: a `nick!user@host` mask (wildcards `*` `?`) and what of theirs is hidden.
struct Ignore: Equatable, Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case messages   // PRIVMSG, NOTICE, CTCP ACTION
        case joins      // JOIN, PART, QUIT (the nick list still follows them)
    }

    var mask: String
    var kinds: Set<Kind>

    /// At most this many ignores, each at most this long: typed by the user, but kept per line.
    static let limit = 200
    static let maskLength = 128

    func hides(_ kind: Kind, source: String, mapping: CaseMapping) -> Bool {
        kinds.contains(kind) && Names.maskMatches(mask: mask, source, casemapping: mapping)
    }

    var described: String {
        mask + (kinds.count == Kind.allCases.count ? "" : " (" + Kind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ", ") + ")")
    }
}
