/// The `[HH:MM] ` stamp of the last minute rendered, kept so a burst of lines formats it once.
public struct MinuteStamp {
    private var minute: Int64 = .min
    private var offset = 0
    private var bytes: [UInt8] = []
    public init() {}

    public mutating func stamp(epochMilliseconds ms: Int64, utcOffsetSeconds: Int) -> [UInt8] {
        // The local minute, not the UTC one: an offset that is not whole minutes (the local
        // mean times in the tz database) puts the two minutes' boundaries apart.
        let m = CivilTime.floorDivMod(CivilTime.localSeconds(CivilTime.floorDivMod(ms, 1000).quotient, utcOffsetSeconds), 60).quotient
        if m != minute || utcOffsetSeconds != offset {
            minute = m
            offset = utcOffsetSeconds
            bytes = Array(("[" + hourMinute(epochMilliseconds: ms, utcOffsetSeconds: utcOffsetSeconds) + "] ").utf8)
        }
        return bytes
    }
}
