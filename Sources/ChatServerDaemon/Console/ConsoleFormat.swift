import ChatPOSIX
import ChatProtocol

/// Formatting for console output that only the console needs: times, tables, safe text.
/// Durations, counts and sizes are in `Durations` and `NumberFormat`.
enum ConsoleFormat {
    /// Local time of day or date and time for an epoch-millisecond stamp: `14:03:09` today,
    /// `2026-11-27 14:03` otherwise.
    static func time(millis: Int64, now: Int64) -> String {
        let t = CivilTime(epochSeconds: millis / 1000, utcOffsetSeconds: Proc.utcOffsetSeconds(atEpochSeconds: millis / 1000))
        let today = CivilTime(epochSeconds: now / 1000, utcOffsetSeconds: Proc.utcOffsetSeconds(atEpochSeconds: now / 1000))
        let clock = "\(NumberFormat.twoDigits(t.hour)):\(NumberFormat.twoDigits(t.minute))"
        if (t.year, t.month, t.day) == (today.year, today.month, today.day) {
            return clock + ":\(NumberFormat.twoDigits(t.second))"
        }
        return "\(t.year)-\(NumberFormat.twoDigits(t.month))-\(NumberFormat.twoDigits(t.day)) " + clock
    }

    /// A rate per second: two decimals below 10 (`3.25`), one above (`12.5`).
    static func rate(_ perSecond: Double) -> String {
        NumberFormat.fixed(perSecond, decimals: perSecond < 10 ? 2 : 1) ?? "?"
    }

    /// Columns padded to the widest cell; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> [String] {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for r in all { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return all.map { r in
            // No trailing blanks when the last columns are empty (a `who` row without flags).
            var line = r.enumerated().map { i, c in i == r.count - 1 ? c : c.padded(to: widths[i]) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Text from users or operators made safe for a terminal: no controls, no escapes.
    static func clean(_ s: String) -> String { TextSafety.sanitize(s) }

    /// One protocol line: no line breaks inside (they would end the line early).
    static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
