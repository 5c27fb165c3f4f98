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

    /// `n` in at least two digits (`07`, `42`): clock fields.
    public static func twoDigits(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `n` in at least three digits (`007`, `042`, `421`): milliseconds, IRC numerics.
    public static func threeDigits(_ n: Int64) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }

    /// `n` in at least `width` digits, zeros first and the sign before them (`0042`, `-0005`).
    public static func zeroPadded(_ n: Int64, width: Int) -> String {
        let s = String(n < 0 ? -n : n)
        if n >= 0 && s.utf8.count >= width { return s }
        let zeros = String(repeating: "0", count: max(0, width - s.utf8.count))
        return (n < 0 ? "-" : "") + zeros + s
    }

    /// `1 channel`, `2 channels`: a count with its noun, singular for one.
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// `512 B`, `12.3 KiB`, `4.0 MiB`, `1.2 GiB`: a size in binary units, one decimal.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return "\(fixed(v, decimals: 1) ?? "?") \(units[i])"
    }
}
