import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// What the fault process reported, and what the parent found after everyone left.
struct FaultResult {
    var victims = 0, kills = 0, killMisses = 0, killedAnnounced = 0, victimsDroppedEarly = 0
    var stallers = 0, stallersAnnounced = 0, stallersAnnouncedBeforeEnd = 0
    var noisy = 0, noisyConnects = 0, noisyBytes: UInt64 = 0, overlong = 0, telnetNoise = 0, randomChunks = 0
    var churn = 0, joins = 0, parts = 0, nickChanges = 0, privateMessages = 0, channelMessages = 0, churnDropped = 0
    var watcherAlive = false
    var quitsSeen = 0
    /// Error replies to churn clients (other than "No such nick" for a private message).
    var churnErrors = 0
    var churnWriteFailures = 0
    /// The churn traffic's exactly-once check (ChurnLedger).
    var churnCheck = ChurnReport()
    var seed: UInt64 = 0

    init() {}

    init(_ v: [UInt64], seed: UInt64) {
        func i(_ k: Int) -> Int { k < v.count ? Int(v[k]) : -1 }
        victims = i(0); kills = i(1); killMisses = i(2); killedAnnounced = i(3); victimsDroppedEarly = i(4)
        stallers = i(5); stallersAnnounced = i(6); stallersAnnouncedBeforeEnd = i(7)
        noisy = i(8); noisyConnects = i(9); noisyBytes = v.count > 10 ? v[10] : 0; overlong = i(11); telnetNoise = i(12); randomChunks = i(13)
        churn = i(14); joins = i(15); parts = i(16); nickChanges = i(17); privateMessages = i(18); channelMessages = i(19)
        churnDropped = i(20); watcherAlive = i(21) == 1; quitsSeen = i(22)
        churnErrors = i(23); churnWriteFailures = i(24)
        churnCheck = ChurnReport(values: v.dropFirst(25))
        self.seed = seed
    }
}
