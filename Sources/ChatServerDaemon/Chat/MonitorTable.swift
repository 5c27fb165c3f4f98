/// Who watches whom (IRCv3 MONITOR): each session's watched nicks, bounded, and for each nick
/// the sessions watching it, so that a nick coming or going finds its watchers at once.
/// Nicks are keys as the hub folds them; each session's list keeps them as it spelled them.
struct MonitorTable {
    /// The most nicks one session watches (ISUPPORT `MONITOR`).
    static let limit = 100

    private var watchers: [String: Set<Int>] = [:]
    /// Per session: folded nick → as the session spelled it, in the order added.
    private var watched: [Int: [(key: String, nick: String)]] = [:]

    /// Adds `nick` (folded `key`) to `session`'s list; false when the list is full. Watching a
    /// nick again changes nothing.
    mutating func add(_ key: String, nick: String, for session: Int) -> Bool {
        var list = watched[session] ?? []
        if list.contains(where: { $0.key == key }) { return true }
        guard list.count < Self.limit else { return false }
        list.append((key, nick))
        watched[session] = list
        watchers[key, default: []].insert(session)
        return true
    }

    mutating func remove(_ key: String, for session: Int) {
        guard var list = watched[session], let i = list.firstIndex(where: { $0.key == key }) else { return }
        list.remove(at: i)
        watched[session] = list.isEmpty ? nil : list
        watchers[key]?.remove(session)
        if watchers[key]?.isEmpty == true { watchers[key] = nil }
    }

    /// Forgets everything `session` watches (MONITOR C, or the session is gone).
    mutating func clear(_ session: Int) {
        for entry in watched[session] ?? [] { remove(entry.key, for: session) }
    }

    /// The nicks `session` watches, as it spelled them, in the order added.
    func list(_ session: Int) -> [String] { (watched[session] ?? []).map(\.nick) }

    /// The sessions watching the nick `key`, in no order.
    func watching(_ key: String) -> Set<Int> { watchers[key] ?? [] }
}
