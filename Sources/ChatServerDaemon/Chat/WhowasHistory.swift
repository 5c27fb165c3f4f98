import ChatProtocol

/// Who had a nick before: the hub's memory of users who quit or changed nick, for WHOWAS.
///
/// Bounded twice: at most `perNick` entries for one nick (its newest) and `capacity` in all,
/// the oldest going first whoever they were. An entry holds a nick (30 bytes at most), a user
/// name (16), an address, a real name (100) and the server's name: with the defaults, 10 per
/// nick and 4,096 in all, the history stays under about 2 MB however many come and go, and
/// a lookup touches one nick's entries only.
struct WhowasHistory {
    let perNick: Int
    let capacity: Int
    /// Every entry in the order it came, a ring of at most `capacity`; nil where an entry
    /// was dropped as its nick's oldest.
    private var ring: [(key: String, entry: WhowasEntry)?] = []
    private var next = 0
    /// Each nick's entries (folded nick → places in `ring`), oldest first.
    private var byNick: [String: [Int]] = [:]

    init(perNick: Int = 10, capacity: Int = 4096) {
        self.perNick = max(1, perNick)
        self.capacity = max(1, capacity)
    }

    /// How many entries are kept, all nicks together.
    var count: Int { byNick.values.reduce(0) { $0 + $1.count } }

    /// Remembers `entry` under `key` (its nick folded by the server's casemapping).
    mutating func remember(_ entry: WhowasEntry, key: String) {
        let place = next
        next = (next + 1) % capacity
        if place < ring.count {
            // The ring is full: this place holds the oldest entry of all, the first of its nick's.
            if let old = ring[place] { forget(place, of: old.key) }
            ring[place] = (key, entry)
        } else {
            ring.append((key, entry))
        }
        var places = byNick[key] ?? []
        places.append(place)
        if places.count > perNick {
            ring[places.removeFirst()] = nil
        }
        byNick[key] = places
    }

    /// The entries under `key`, newest first: `count` of them, all when `count` is 0.
    func find(key: String, count: Int) -> [WhowasEntry] {
        guard let places = byNick[key] else { return [] }
        let wanted = count > 0 ? min(count, places.count) : places.count
        return places.reversed().prefix(wanted).compactMap { ring[$0]?.entry }
    }

    private mutating func forget(_ place: Int, of key: String) {
        guard var places = byNick[key], let i = places.firstIndex(of: place) else { return }
        places.remove(at: i)
        byNick[key] = places.isEmpty ? nil : places
    }
}
