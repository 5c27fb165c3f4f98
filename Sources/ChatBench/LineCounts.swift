/// What a worker counts about the lines and bytes its clients read and write; the parent
/// sums the workers' counts into the run's result.
struct LineCounts {
    /// Lines whose marker or checksum did not parse.
    var corrupted: UInt64 = 0
    /// A sender's own lines sent back to it.
    var echoes: UInt64 = 0
    /// Lines that are not bench lines (notices, replies).
    var otherLines: UInt64 = 0
    var bytesIn: UInt64 = 0
    var bytesOut: UInt64 = 0
    /// Lines longer than a client's carry area.
    var overlong: UInt64 = 0
    /// Passes of the sender loop held back by the window.
    var windowStalls: UInt64 = 0

    /// How many values `values` holds.
    static let count = 7

    /// The counts in the order the worker's report carries them.
    var values: [UInt64] { [corrupted, echoes, otherLines, bytesIn, bytesOut, overlong, windowStalls] }

    /// Adds a worker's counts, `count` values in the order of `values`.
    mutating func add(_ v: ArraySlice<UInt64>) {
        let i = v.startIndex
        corrupted += v[i]; echoes += v[i + 1]; otherLines += v[i + 2]; bytesIn += v[i + 3]
        bytesOut += v[i + 4]; overlong += v[i + 5]; windowStalls += v[i + 6]
    }
}
