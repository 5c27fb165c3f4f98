extension CivilTime {
    /// `YYYY-MM-DDThh:mm:ss.sssZ`: ISO 8601 with milliseconds, for a time in UTC (IRCv3
    /// server-time, the server's log lines). Written field by field, as cheaply as the log's
    /// own timestamp was.
    public var iso8601Milliseconds: String {
        let n = NumberFormat.self
        return "\(n.zeroPadded(year, width: 4))-\(n.twoDigits(month))-\(n.twoDigits(day))T\(n.twoDigits(hour)):\(n.twoDigits(minute)):\(n.twoDigits(second)).\(n.threeDigits(millisecond))Z"
    }
}

extension CivilTime {
    /// The UTC time `YYYY-MM-DDThh:mm:ss[.sss]Z` names, in milliseconds since 1970 (IRCv3
    /// `timestamp=` references); nil for anything else.
    public static func epochMilliseconds(iso8601 s: Substring) -> Int64? {
        let b = Array(s.utf8)
        guard b.count >= 20, b.last == UInt8(ascii: "Z") else { return nil }
        func digits(_ from: Int, _ n: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<from + n {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        let seps: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        for (i, c) in seps where b[i] != c.asciiValue! { return nil }
        guard let y = digits(0, 4), let mo = digits(5, 2), let d = digits(8, 2), let h = digits(11, 2),
              let mi = digits(14, 2), let sec = digits(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var ms: Int64 = 0
        if b.count > 20 {
            // A fraction: `.` and 1 to 9 digits, of which the first three count.
            guard b[19] == UInt8(ascii: "."), b.count - 21 >= 1, b.count - 21 <= 9,
                  let f = digits(20, b.count - 21) else { return nil }
            var frac = f, n = b.count - 21
            while n > 3 { frac /= 10; n -= 1 }
            while n < 3 { frac *= 10; n += 1 }
            ms = frac
        }
        let days = daysSinceEpoch(year: y, month: mo, day: d)
        return ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000) + ms
    }
}
