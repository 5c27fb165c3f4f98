/// One ban: what it matches, why, who set it and until when.
struct Ban: Equatable {
    /// Its number in `bans` and for `unban N`: given when it is set, never reused, so a number
    /// an operator read a minute ago still names the same ban after others expired.
    var number = 0
    var target: BanTarget
    var reason: String
    var setBy: String
    var setAt: Int64  // ms
    var expiresAt: Int64?  // ms; nil: until lifted

    func isActive(now: Int64) -> Bool { expiresAt.map { now < $0 } ?? true }

    /// What a connected user it catches is told, and their channels see as their quit.
    var disconnectReason: String { "Banned by the server operator" + (reason.isEmpty ? "" : ": " + reason) }
}
