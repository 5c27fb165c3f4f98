/// Lines the user sent, browsed with Up and Down. The line being written is kept aside while
/// browsing, so Down past the newest entry gives it back.
public struct History: Equatable, Sendable {
    public let limit: Int
    public private(set) var entries: [String] = []
    private var position: Int?        // index into entries while browsing
    private var draft = ""

    public init(limit: Int = 500) { self.limit = limit }

    public mutating func add(_ line: String) {
        position = nil
        guard !line.isEmpty else { return }
        if entries.last != line { entries.append(line) }
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// Up: the previous entry, or nil when there is none older.
    public mutating func older(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        switch position {
        case nil:
            draft = current
            position = entries.count - 1
        case let p? where p > 0:
            position = p - 1
        default:
            return nil
        }
        return entries[position!]
    }

    /// Down: the next entry, the saved draft after the newest, nil when not browsing.
    public mutating func newer() -> String? {
        guard let p = position else { return nil }
        if p + 1 < entries.count {
            position = p + 1
            return entries[p + 1]
        }
        position = nil
        return draft
    }

    public mutating func stopBrowsing() { position = nil }
}
