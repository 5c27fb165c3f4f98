/// What a MONITOR request does with the session's list of watched nicks (ircv3.net monitor).
public enum MonitorAction: UInt8, Sendable {
    /// `MONITOR + nicks`: watch them; answered with who of them is online and who is not.
    case add = 0
    /// `MONITOR - nicks`: stop watching them; no answer.
    case remove = 1
    /// `MONITOR C`: watch nobody.
    case clear = 2
    /// `MONITOR L`: the nicks watched.
    case list = 3
    /// `MONITOR S`: who of them is online and who is not.
    case status = 4
}
