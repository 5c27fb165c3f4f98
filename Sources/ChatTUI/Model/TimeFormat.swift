/// Clock arithmetic for timestamps, without Foundation: the civil calendar from day counts.
enum TimeFormat {
    /// "HH:MM" of `millis` since the epoch, shifted by `offset` seconds (local time).
    static func hoursMinutes(_ millis: Int64, utcOffset offset: Int) -> String {
        let (_, _, _, h, m, _) = civil(millis, offset)
        return two(h) + ":" + two(m)
    }

    /// "YYYY-MM-DD HH:MM:SS", for log files.
    static func dateTime(_ millis: Int64, utcOffset offset: Int) -> String {
        let (y, mo, d, h, mi, s) = civil(millis, offset)
        return "\(y)-\(two(mo))-\(two(d)) \(two(h)):\(two(mi)):\(two(s))"
    }

    /// "YYYY-MM-DD", for day-change lines and log names.
    static func date(_ millis: Int64, utcOffset offset: Int) -> String {
        let (y, mo, d, _, _, _) = civil(millis, offset)
        return "\(y)-\(two(mo))-\(two(d))"
    }

    /// Parses the IRCv3 server-time form "2024-01-02T03:04:05.678Z" (fraction optional, UTC)
    /// into milliseconds since the epoch.
    static func parseServerTime(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard u.count >= 20, u.last == UInt8(ascii: "Z") else { return nil }
        /// The decimal number in `len` bytes from `from`; nil if one is not a digit. A run of
        /// more than four digits is only checked (its value, 0, is not used): it could overflow.
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                let b = u[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                if len <= 4 { v = v * 10 + Int(b - 0x30) }
            }
            return v
        }
        guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
              let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var ms = 0
        if u.count > 20 {
            // Milliseconds are the first three fraction digits; more are checked to be digits
            // and otherwise ignored (a value of many digits would overflow any integer).
            guard u[19] == UInt8(ascii: "."), u.count - 21 >= 1 else { return nil }
            let digits = u.count - 21
            guard num(20, digits) != nil, let frac = num(20, min(digits, 3)) else { return nil }
            ms = digits >= 3 ? frac : frac * (digits == 1 ? 100 : 10)
        }
        let days = daysFromCivil(y, mo, d)
        return (Int64(days) * 86400 + Int64(h * 3600 + mi * 60 + s)) * 1000 + Int64(ms)
    }

    /// The latest moment `epochMillis` accepts: the end of year 9999 (seconds since the epoch).
    static let maxEpochSeconds: Int64 = 253_402_300_799

    /// A time in seconds since the epoch as a server sends it (329, 333, 317): milliseconds,
    /// or nil when it is not plain digits or lies after year 9999, so no arithmetic on a
    /// number a server made up can overflow.
    static func epochMillis(_ text: String) -> Int64? {
        guard let s = boundedSeconds(text), s <= maxEpochSeconds else { return nil }
        return s * 1000
    }

    /// A count of seconds (317's idle time): at most 12 digits, so any sum or product with
    /// it stays far from overflowing; nil otherwise.
    static func boundedSeconds(_ text: String) -> Int64? {
        let u = text.utf8
        guard (1...12).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    /// "3 d 4 h", "2 h 5 min", "7 min 3 s", "12 s": a duration as a person reads it.
    static func duration(seconds: Int64) -> String {
        let (d, h, m, s) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
        if d > 0 { return "\(d) d \(h) h" }
        if h > 0 { return "\(h) h \(m) min" }
        if m > 0 { return "\(m) min \(s) s" }
        return "\(s) s"
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    private static func civil(_ millis: Int64, _ offset: Int) -> (Int, Int, Int, Int, Int, Int) {
        let secs = Int(floorDiv(millis, 1000)) + offset
        let days = floorDiv(Int64(secs), 86400)
        let rem = secs - Int(days) * 86400
        let (y, m, d) = civilFromDays(Int(days))
        return (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // Howard Hinnant's algorithms for the proleptic Gregorian calendar.
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
