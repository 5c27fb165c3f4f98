extension CivilTime {
    /// `YYYY-MM-DDThh:mm:ss.sssZ`: ISO 8601 with milliseconds, for a time in UTC (IRCv3
    /// server-time, the server's log lines). Written field by field, as cheaply as the log's
    /// own timestamp was.
    public var iso8601Milliseconds: String {
        let n = NumberFormat.self
        return "\(n.zeroPadded(year, width: 4))-\(n.twoDigits(month))-\(n.twoDigits(day))T\(n.twoDigits(hour)):\(n.twoDigits(minute)):\(n.twoDigits(second)).\(n.threeDigits(millisecond))Z"
    }
}
