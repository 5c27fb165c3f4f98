/// The hub's counters since it started, for `stats` at the console and SIGUSR1.
struct HubStatistics {
    var sessionsForked = 0
    var requests = 0
    var framesOut = 0
    var bytesIn = 0
    var bytesOut = 0
    var refused = 0
    var forkFailures = 0
    var corruptFrames = 0
    var queueOverflows = 0
    /// Times a session's requests were left waiting (`Hub+Costs`).
    var holds = 0
    /// Times a session's events waited for the delivery tick (`Hub+Delivery`).
    var ticksWaited = 0
}
