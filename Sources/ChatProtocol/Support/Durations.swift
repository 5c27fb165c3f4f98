/// Durations as people read them, in the two largest units that matter (`3d 4h`, not
/// `3d 4h 12m 5s`): the one home for the formats the human dialect, the console and the
/// client show. Each format is the same split into days, hours, minutes and seconds.
public enum Durations {
    /// The largest unit of a split duration.
    public enum Unit: Sendable { case seconds, minutes, hours, days }

    /// The two largest units of `seconds`: `(3, 4, .days)` for 3 days and 4 hours. A
    /// negative count is all seconds.
    @inline(__always)
    public static func split(_ seconds: Int64) -> (whole: Int64, part: Int64, unit: Unit) {
        let (d, h, m, s) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
        if d > 0 { return (d, h, .days) }
        if h > 0 { return (h, m, .hours) }
        if m > 0 { return (m, s, .minutes) }
        return (s, 0, .seconds)
    }

    /// `42s`, `5m 3s`, `2h 7m`, `3d 4h` (the human dialect's WHOIS idle time); negative is 0.
    public static func short(_ seconds: Int64) -> String {
        let (whole, part, unit) = split(max(seconds, 0))
        switch unit {
        case .seconds: return "\(whole)s"
        case .minutes: return "\(whole)m \(part)s"
        case .hours: return "\(whole)h \(part)m"
        case .days: return "\(whole)d \(part)h"
        }
    }

    /// `45s`, `3m12s`, `2h05m`, `3d4h` (the console's tables); negative is 0.
    public static func compact(_ seconds: Int64) -> String {
        let (whole, part, unit) = split(max(seconds, 0))
        switch unit {
        case .seconds: return "\(whole)s"
        case .minutes: return "\(whole)m\(NumberFormat.twoDigits(part))s"
        case .hours: return "\(whole)h\(NumberFormat.twoDigits(part))m"
        case .days: return "\(whole)d\(part)h"
        }
    }

    /// `12 s`, `7 min 3 s`, `2 h 5 min`, `3 d 4 h` (the client's WHOIS idle time).
    public static func spaced(_ seconds: Int64) -> String {
        let (whole, part, unit) = split(seconds)
        switch unit {
        case .seconds: return "\(whole) s"
        case .minutes: return "\(whole) min \(part) s"
        case .hours: return "\(whole) h \(part) min"
        case .days: return "\(whole) d \(part) h"
        }
    }

    /// `1 second`, `90 seconds`, `5 minutes`, `3 hours`, `2 days`: a whole number of the
    /// largest unit that divides it exactly, from two of that unit up (the console's
    /// shutdown announcements, which users read).
    public static func words(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 && seconds >= 2 * 86_400 { return "\(seconds / 86_400) days" }
        if seconds % 3600 == 0 && seconds >= 2 * 3600 { return "\(seconds / 3600) hours" }
        if seconds % 60 == 0 && seconds >= 120 { return "\(seconds / 60) minutes" }
        return seconds == 1 ? "1 second" : "\(seconds) seconds"
    }
}
