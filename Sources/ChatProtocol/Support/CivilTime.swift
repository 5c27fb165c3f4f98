/// A moment as calendar fields (proleptic Gregorian calendar, local time for a given offset
/// from UTC), computed without Foundation: the one calendar conversion for the server's
/// renderers and the client. Each caller formats the fields its own way (`NumberFormat`).
public struct CivilTime: Equatable, Sendable {
    public var year: Int64
    /// 1...12
    public var month: Int64
    /// 1...31
    public var day: Int64
    public var hour: Int64
    public var minute: Int64
    public var second: Int64
    public var millisecond: Int64

    /// The moment `epochMilliseconds` after 1970-01-01 UTC, shifted by `utcOffsetSeconds`.
    /// Times before 1970 count back from midnight (-1 ms is 23:59:59.999 the day before).
    @inline(__always)
    public init(epochMilliseconds: Int64, utcOffsetSeconds: Int = 0) {
        let (seconds, millisecond) = Self.floorDivMod(epochMilliseconds, 1000)
        self.init(epochSeconds: seconds, utcOffsetSeconds: utcOffsetSeconds)
        self.millisecond = millisecond
    }

    /// The moment `epochSeconds` after 1970-01-01 UTC, shifted by `utcOffsetSeconds`
    /// (saturating rather than overflowing at the ends of `Int64`).
    @inline(__always)
    public init(epochSeconds: Int64, utcOffsetSeconds: Int = 0) {
        let (days, secondOfDay) = Self.floorDivMod(Self.localSeconds(epochSeconds, utcOffsetSeconds), 86_400)
        (year, month, day) = Self.date(daysSinceEpoch: days)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        millisecond = 0
    }

    /// `a` divided by `b` (> 0), rounded towards minus infinity, and the matching remainder
    /// in 0..<b.
    @inline(__always)
    public static func floorDivMod(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Local Unix seconds: UTC seconds plus the offset, saturating instead of overflowing.
    @inline(__always)
    public static func localSeconds(_ epochSeconds: Int64, _ utcOffsetSeconds: Int) -> Int64 {
        let (sum, overflow) = epochSeconds.addingReportingOverflow(Int64(utcOffsetSeconds))
        if !overflow { return sum }
        return utcOffsetSeconds > 0 ? Int64.max : Int64.min
    }

    /// Year, month (1...12) and day (1...31) of a day counted from 1970-01-01
    /// (Howard Hinnant's `civil_from_days`).
    public static func date(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = floorDivMod(z, 146_097).quotient
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The day, counted from 1970-01-01, of a year, month (1...12) and day (Howard Hinnant's
    /// `days_from_civil`).
    public static func daysSinceEpoch(year y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
