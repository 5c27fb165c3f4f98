import ChatProtocol

/// The host of each nick seen on the network (JOIN, NAMES with `userhost-in-names`, WHO and
/// WHOIS replies), so that `/ban nick` bans the address, as irssi and WeeChat do, not a nick
/// anyone may take once its owner changes it. Not fed by chat lines: the per-line path stays
/// as it was. Bounded: past `capacity` nicks it starts again from empty.
struct NickHosts: Sendable {
    static let capacity = 4096
    private var byNick: [String: String] = [:]

    var count: Int { byNick.count }

    /// Notes `nick`'s host; a missing or empty host, or one with spaces or wildcards in it
    /// (nothing a ban mask could be built from), is ignored.
    mutating func note(nick: String, host: String?, mapping: CaseMapping) {
        guard let host, !host.isEmpty, host.utf8.count <= 255,
              !host.contains(where: { $0 == " " || $0 == "*" || $0 == "?" || $0 == "!" || $0 == "@" || $0 == "," }),
              !nick.isEmpty else { return }
        if byNick.count >= Self.capacity { byNick.removeAll(keepingCapacity: true) }
        byNick[mapping.fold(nick)] = host
    }

    /// A source (`nick!user@host`) seen in a JOIN or NAMES entry.
    mutating func note(source: String, mapping: CaseMapping) {
        let s = IRCSource(parsing: source)
        note(nick: s.nick, host: s.host, mapping: mapping)
    }

    func host(of nick: String, mapping: CaseMapping) -> String? { byNick[mapping.fold(nick)] }

    /// The host moves with a nick change.
    mutating func rename(_ old: String, to new: String, mapping: CaseMapping) {
        guard let host = byNick.removeValue(forKey: mapping.fold(old)) else { return }
        byNick[mapping.fold(new)] = host
    }

    mutating func removeAll() { byNick.removeAll() }

    /// What `/ban` bans for `word`: `*!*@host` for a nick whose host is known, `nick!*@*` for
    /// one whose host is not, a mask as given (normalized); nil for neither.
    func banMask(for word: String, mapping: CaseMapping, maxLength: Int) -> String? {
        if !word.contains("!") && !word.contains("@") && !word.contains("*") && !word.contains("?"),
           let host = host(of: word, mapping: mapping),
           let mask = Names.normalizedMask("*!*@" + host, maxLength: maxLength) {  // checked as a typed mask is
            return mask
        }
        return Names.normalizedMask(word, maxLength: maxLength)
    }
}
