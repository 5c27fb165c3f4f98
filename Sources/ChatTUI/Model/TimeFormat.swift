import ChatProtocol

/// The client's timestamps: how it shows times (`CivilTime` does the calendar) and reads the
/// ones a server sends.
enum TimeFormat {
    /// "HH:MM" of `millis` since the epoch, shifted by `offset` seconds (local time).
    static func hoursMinutes(_ millis: Int64, utcOffset offset: Int) -> String {
        let t = CivilTime(epochMilliseconds: millis, utcOffsetSeconds: offset)
        return two(t.hour) + ":" + two(t.minute)
    }

    /// "YYYY-MM-DD HH:MM:SS", for log files.
    static func dateTime(_ millis: Int64, utcOffset offset: Int) -> String {
        let t = CivilTime(epochMilliseconds: millis, utcOffsetSeconds: offset)
        return "\(t.year)-\(two(t.month))-\(two(t.day)) \(two(t.hour)):\(two(t.minute)):\(two(t.second))"
    }

    /// "YYYY-MM-DD", for day-change lines and log names.
    static func date(_ millis: Int64, utcOffset offset: Int) -> String {
        let t = CivilTime(epochMilliseconds: millis, utcOffsetSeconds: offset)
        return "\(t.year)-\(two(t.month))-\(two(t.day))"
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
        let days = CivilTime.daysSinceEpoch(year: Int64(y), month: Int64(mo), day: Int64(d))
        return (days * 86400 + Int64(h * 3600 + mi * 60 + s)) * 1000 + Int64(ms)
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

    private static func two(_ v: Int64) -> String { NumberFormat.twoDigits(v) }
}
