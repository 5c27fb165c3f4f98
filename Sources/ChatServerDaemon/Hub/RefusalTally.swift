/// Refused connections counted by address and reason over a window of 10 seconds, so that a
/// flood of thousands makes a few log lines, not one each (megabytes): the first refusal of
/// each kind is logged at once, and at the window's end those that came again are summed up,
/// `refused 8804 connections from 127.0.0.1 in the last 10 s: too many connections from one
/// address`. At most 64 addresses are told apart per window; the rest are summed by reason.
struct RefusalTally {
    static let window: UInt64 = 10_000_000_000
    static let maxAddresses = 64

    private struct Kind: Hashable {
        var host: String
        var reason: String
    }

    private var counts: [Kind: Int] = [:]
    /// Refusals from addresses beyond `maxAddresses`, by reason.
    private var others: [String: Int] = [:]
    private var started: UInt64?

    /// When the summary is due (nil: nothing counted).
    var deadline: UInt64? { started.map { $0 + Self.window } }

    /// Counts a refusal; true when it is the first of its kind in this window (log it now).
    mutating func count(host: String, reason: String, now: UInt64) -> Bool {
        if started == nil { started = now }
        let kind = Kind(host: host, reason: reason)
        if let n = counts[kind] {
            counts[kind] = n + 1
            return false
        }
        if counts.count >= Self.maxAddresses {
            others[reason, default: 0] += 1
            return false
        }
        counts[kind] = 1
        return true
    }

    /// The summary lines once the window is over (or at once with `force`), most refused
    /// first; then a new window. Kinds refused only once were logged already and add nothing.
    mutating func summary(now: UInt64, force: Bool) -> [String] {
        guard let started, force || now >= started + Self.window else { return [] }
        let seconds = max(1, (now - started + 500_000_000) / 1_000_000_000)
        let span = "in the last \(seconds) s"
        var lines = counts.filter { $0.value > 1 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : ($0.key.host, $0.key.reason) < ($1.key.host, $1.key.reason) }
            .map { "refused \($0.value) connections from \($0.key.host) \(span): \($0.key.reason)" }
        for (reason, n) in others.sorted(by: { $0.key < $1.key }) {
            lines.append("refused \(n) more connection\(n == 1 ? "" : "s") from other addresses \(span): \(reason)")
        }
        counts.removeAll()
        others.removeAll()
        self.started = nil
        return lines
    }
}
