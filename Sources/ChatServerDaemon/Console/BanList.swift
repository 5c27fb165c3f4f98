import ChatPOSIX
import ChatProtocol

/// The bans in force, in memory (they do not survive a restart). Pure: time is passed in.
struct BanList {
    private(set) var bans: [Ban] = [] { didSet { hasNickMasks = bans.contains { !$0.target.matchesAtConnect } } }
    static let limit = 10000

    /// Whether some ban needs the nick or user to decide (checked after registration). Kept
    /// up to date on every change: the hub asks on every turn of its loop.
    private(set) var hasNickMasks = false
    private var lastNumber = 0

    /// Adds or replaces (same target, same number) a ban; false when the list is full.
    @discardableResult
    mutating func add(_ ban: Ban) -> Bool {
        var ban = ban
        if let i = bans.firstIndex(where: { $0.target == ban.target }) {
            ban.number = bans[i].number
            bans[i] = ban
            return true
        }
        guard bans.count < Self.limit else { return false }
        lastNumber += 1
        ban.number = lastNumber
        bans.append(ban)
        return true
    }

    /// Removes the ban on `text` (its target as written, or its number as `bans` shows it).
    mutating func remove(_ text: String) -> Ban? {
        if let n = Int(text), let i = bans.firstIndex(where: { $0.number == n }) { return bans.remove(at: i) }
        let wanted = BanTarget.parse(text)
        guard let i = bans.firstIndex(where: { $0.target == wanted || $0.target.description == text }) else { return nil }
        return bans.remove(at: i)
    }

    /// Drops expired bans and returns them.
    mutating func expire(now: Int64) -> [Ban] {
        guard bans.contains(where: { !$0.isActive(now: now) }) else { return [] }
        let gone = bans.filter { !$0.isActive(now: now) }
        bans.removeAll { !$0.isActive(now: now) }
        return gone
    }

    /// The ban that refuses a connection from `host`, if any.
    func banAtConnect(host: String, now: Int64) -> Ban? {
        bans.first { $0.isActive(now: now) && $0.target.matches(host: host) }
    }

    /// The ban that applies to a registered user, if any.
    func ban(source: String, host: String, now: Int64) -> Ban? {
        bans.first { $0.isActive(now: now) && $0.target.matches(source: source, host: host) }
    }
}
