import ChatProtocol

/// A channel's modes: its flags, key and member limit, and its three mask lists (bans, ban
/// exceptions, invite exceptions), each at most `listLimit` long so that a channel's memory
/// stays bounded. Pure: `ChatState+Modes` decides who may change it and announces changes.
struct ChannelModes: Equatable {
    /// The modes without a parameter.
    struct Flags: OptionSet, Equatable {
        let rawValue: UInt8
        static let inviteOnly = Flags(rawValue: 1)  // i
        static let moderated = Flags(rawValue: 2)  // m
        static let noExternal = Flags(rawValue: 4)  // n
        static let secret = Flags(rawValue: 8)  // s
        static let topicLock = Flags(rawValue: 16)  // t

        /// The flag a letter names, nil for any other letter.
        init?(letter: Character) {
            switch letter {
            case "i": self = .inviteOnly
            case "m": self = .moderated
            case "n": self = .noExternal
            case "s": self = .secret
            case "t": self = .topicLock
            default: return nil
            }
        }
        init(rawValue: UInt8) { self.rawValue = rawValue }
    }

    /// A new channel's modes: no messages from outside, as the servers people run do.
    var flags: Flags = [.noExternal]
    var key: String?
    var limit: Int?
    private(set) var bans: [ModeListEntry] = []
    private(set) var exceptions: [ModeListEntry] = []
    private(set) var inviteExceptions: [ModeListEntry] = []

    /// Masks per list (ISUPPORT `MAXLIST=beI:100`); past it a new mask is refused with 478.
    static let listLimit = 100
    /// The longest key, in bytes (RFC 2812 says 23).
    static let keyLength = 23
    /// The longest mask kept, in bytes: room for a nick, a user name and a host.
    static let maskLength = 128
    /// The highest member limit.
    static let maxLimit = 1_000_000

    /// Whether a member's message needs a closer look (moderated, or someone is banned): the
    /// one comparison on a channel message's path when neither is so.
    var checksSpeech: Bool { flags.contains(.moderated) || !bans.isEmpty }

    /// The list a list letter names.
    func list(_ letter: Character) -> [ModeListEntry] {
        switch letter {
        case "e": return exceptions
        case "I": return inviteExceptions
        default: return bans
        }
    }

    /// What adding a mask did.
    enum Addition: Equatable { case added(String), present, full }

    /// Adds `mask` (normalised) to the list `letter` names.
    mutating func add(_ letter: Character, mask: String, by: String, at: Int64, casemapping: CaseMapping) -> Addition {
        var l = list(letter)
        if l.contains(where: { casemapping.equal($0.mask, mask) }) { return .present }
        if l.count >= Self.listLimit { return .full }
        l.append(ModeListEntry(mask: mask, setBy: by, setAt: at))
        setList(letter, l)
        return .added(mask)
    }

    /// Removes `mask` from the list `letter` names; the mask as it was stored, nil when absent.
    mutating func remove(_ letter: Character, mask: String, casemapping: CaseMapping) -> String? {
        var l = list(letter)
        guard let i = l.firstIndex(where: { casemapping.equal($0.mask, mask) }) else { return nil }
        let removed = l.remove(at: i).mask
        setList(letter, l)
        return removed
    }

    private mutating func setList(_ letter: Character, _ l: [ModeListEntry]) {
        switch letter {
        case "e": exceptions = l
        case "I": inviteExceptions = l
        default: bans = l
        }
    }

    /// Whether `source` (`nick!user@host`) matches a mask of the list `letter` names.
    func matches(_ letter: Character, _ source: String, casemapping: CaseMapping) -> Bool {
        list(letter).contains { Names.maskMatches(mask: $0.mask, source, casemapping: casemapping) }
    }

    /// Banned: a ban matches and no exception does.
    func isBanned(_ source: String, casemapping: CaseMapping) -> Bool {
        !bans.isEmpty && matches("b", source, casemapping: casemapping) && !matches("e", source, casemapping: casemapping)
    }

    /// The modes as 324 shows them: `+iklmnst key 10`, `+` when none; the key as `*`
    /// unless `showKey` (members see it, outsiders do not).
    func summary(showKey: Bool) -> String {
        var letters = "+", args: [String] = []
        if flags.contains(.inviteOnly) { letters.append("i") }
        if let key {
            letters.append("k")
            args.append(showKey ? key : "*")
        }
        if let limit {
            letters.append("l")
            args.append(String(limit))
        }
        for letter in ChannelModeChange.flagLetters where letter != "i" {
            if let f = Flags(letter: letter), flags.contains(f) { letters.append(letter) }
        }
        return ([letters] + args).joined(separator: " ")
    }

    /// `mask` as a full `nick!user@host` mask (`Names.normalizedMask`), at most `maskLength` bytes.
    static func normalizedMask(_ mask: String) -> String? { Names.normalizedMask(mask, maxLength: maskLength) }

    /// A key may be set: 1 to 23 bytes of printable ASCII, no space or comma (RFC 2812).
    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= keyLength
            && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") }
    }

    /// A limit from its parameter: digits only, 1 to `maxLimit`; nil otherwise.
    static func parseLimit(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 9, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int(s), n >= 1, n <= maxLimit else { return nil }
        return n
    }
}
