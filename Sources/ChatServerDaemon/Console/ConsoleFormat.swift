import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Pure formatting for console output: durations, sizes, times, tables.
enum ConsoleFormat {
    /// `45s`, `3m12s`, `2h05m`, `3d4h`.
    static func duration(seconds: Int64) -> String {
        let s = max(seconds, 0)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        if s < 86400 { return "\(s / 3600)h\(two(s / 60 % 60))m" }
        return "\(s / 86400)d\(s / 3600 % 24)h"
    }

    /// `1 channel`, `2 channels`: a count with its noun, singular for one.
    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// `512 B`, `12.3 KiB`, `4.0 MiB`, `1.2 GiB`.
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return "\(fixed(v, 1)) \(units[i])"
    }

    static func rate(_ perSecond: Double) -> String { fixed(perSecond, perSecond < 10 ? 2 : 1) }

    static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "?" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        guard r < 9e15 else { return "\(v)" }
        let whole = Int64(r) / Int64(scale), frac = Int64(r) % Int64(scale)
        var f = String(frac)
        while f.count < decimals { f = "0" + f }
        return (v < 0 ? "-" : "") + "\(whole)" + (decimals > 0 ? "." + f : "")
    }

    /// Local time of day or date and time for an epoch-millisecond stamp: `14:03:09` today,
    /// `2026-11-27 14:03` otherwise.
    static func time(millis: Int64, now: Int64) -> String {
        var t = time_t(millis / 1000)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var n = time_t(now / 1000)
        var today = tm()
        localtime_r(&n, &today)
        let clock = "\(two(Int64(tmv.tm_hour))):\(two(Int64(tmv.tm_min)))"
        if tmv.tm_year == today.tm_year && tmv.tm_yday == today.tm_yday {
            return clock + ":\(two(Int64(tmv.tm_sec)))"
        }
        return "\(tmv.tm_year + 1900)-\(two(Int64(tmv.tm_mon + 1)))-\(two(Int64(tmv.tm_mday))) " + clock
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

    private static func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
