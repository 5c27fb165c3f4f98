/// Numbers as text without Foundation (which the server may not use).
public enum NumberFormat {
    /// `value` rounded to `decimals` places (`12.30`, `-0.5`, `7` for no decimals); nil when
    /// it is not finite. A value that rounds to zero has no minus sign. Beyond 9e15 units of
    /// the last place, where a `Double` no longer holds every integer, Swift's own spelling.
    public static func fixed(_ value: Double, decimals: Int) -> String? {
        guard value.isFinite else { return nil }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(value) * scale).rounded()
        guard r < 9e15 else { return "\(value)" }
        let whole = Int64(r) / Int64(scale), fraction = Int64(r) % Int64(scale)
        let sign = value < 0 && r != 0 ? "-" : ""
        if decimals == 0 { return sign + String(whole) }
        var f = String(fraction)
        while f.utf8.count < decimals { f = "0" + f }
        return sign + String(whole) + "." + f
    }
}
