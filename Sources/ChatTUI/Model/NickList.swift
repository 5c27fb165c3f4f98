import ChatProtocol

/// The members of one channel, kept sorted for display: operators first, then voiced users,
/// then everyone else, each group by case-folded nick.
struct NickList: Sendable {
    struct Member: Equatable, Sendable {
        var nick: String
        /// Status symbols the member holds, highest first (e.g. "@+").
        var prefixes: String
        /// The symbol shown before the nick: the highest one held.
        var shownPrefix: Character? { prefixes.first }
    }

    /// The server's PREFIX: mode letters and their symbols, highest first. Default `(ov)@+`.
    var modes: [Character] = ["o", "v"]
    var symbols: [Character] = ["@", "+"]
    var mapping: CaseMapping = .rfc1459

    private var members: [String: Member] = [:]   // by folded nick
    private var sortedCache: [Member]?

    var count: Int { members.count }
    var isEmpty: Bool { members.isEmpty }

    func contains(_ nick: String) -> Bool { members[mapping.fold(nick)] != nil }
    func member(_ nick: String) -> Member? { members[mapping.fold(nick)] }

    /// Members in display order.
    mutating func sorted() -> [Member] {
        if let s = sortedCache { return s }
        let s = members.values.sorted(by: areInDisplayOrder)
        sortedCache = s
        return s
    }

    /// Display order without caching (for a `let` list).
    func displayOrder() -> [Member] { sortedCache ?? members.values.sorted(by: areInDisplayOrder) }

    private func rank(_ m: Member) -> Int {
        guard let p = m.shownPrefix, let i = symbols.firstIndex(of: p) else { return symbols.count }
        return i
    }

    private func areInDisplayOrder(_ a: Member, _ b: Member) -> Bool {
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra < rb }
        let fa = mapping.fold(a.nick), fb = mapping.fold(b.nick)
        if fa != fb { return fa < fb }
        return a.nick < b.nick
    }

    /// Adds or updates a member from a NAMES entry such as "@+alice" (leading status symbols).
    mutating func add(namesEntry entry: String) {
        var prefixes = ""
        var nick = Substring(entry)
        while let c = nick.first, symbols.contains(c) {
            prefixes.append(c)
            nick = nick.dropFirst()
        }
        // userhost-in-names gives nick!user@host: keep the nick.
        if let bang = nick.firstIndex(of: "!") { nick = nick[..<bang] }
        guard !nick.isEmpty else { return }
        add(String(nick), prefixes: normalized(prefixes))
    }

    mutating func add(_ nick: String, prefixes: String = "") {
        members[mapping.fold(nick)] = Member(nick: nick, prefixes: normalized(prefixes))
        sortedCache = nil
    }

    @discardableResult
    mutating func remove(_ nick: String) -> Bool {
        let removed = members.removeValue(forKey: mapping.fold(nick)) != nil
        if removed { sortedCache = nil }
        return removed
    }

    /// Renames a member, keeping its status. Returns whether the old nick was here.
    @discardableResult
    mutating func rename(_ old: String, to new: String) -> Bool {
        guard var m = members.removeValue(forKey: mapping.fold(old)) else { return false }
        m.nick = new
        members[mapping.fold(new)] = m
        sortedCache = nil
        return true
    }

    /// Applies a channel mode change for a member (`+o alice`); other modes are ignored.
    mutating func setMode(_ mode: Character, on: Bool, for nick: String) {
        guard let i = modes.firstIndex(of: mode), i < symbols.count else { return }
        let key = mapping.fold(nick)
        guard var m = members[key] else { return }
        let symbol = symbols[i]
        if on {
            if !m.prefixes.contains(symbol) { m.prefixes.append(symbol) }
        } else {
            m.prefixes.removeAll { $0 == symbol }
        }
        m.prefixes = normalized(m.prefixes)
        members[key] = m
        sortedCache = nil
    }

    mutating func removeAll() {
        members.removeAll()
        sortedCache = nil
    }

    /// Adopts a new PREFIX and case mapping, keeping the members.
    mutating func configure(modes: [Character], symbols: [Character], mapping: CaseMapping) {
        self.modes = modes
        self.symbols = symbols
        if mapping != self.mapping {
            self.mapping = mapping
            members = Dictionary(members.values.map { (mapping.fold($0.nick), $0) }, uniquingKeysWith: { a, _ in a })
        }
        sortedCache = nil
    }

    /// Status symbols in rank order, each once, unknown ones dropped.
    private func normalized(_ prefixes: String) -> String {
        String(symbols.filter { prefixes.contains($0) })
    }

    /// Nicks only, display order.
    mutating func nicks() -> [String] { sorted().map(\.nick) }
}
