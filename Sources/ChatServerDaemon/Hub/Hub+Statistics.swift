import ChatPOSIX

/// The statistics line (SIGUSR1).
extension Hub {
    func statisticsLine() -> String {
        let up = Double(Proc.monotonicNanos() - startedAt) / 1e9
        return "stats: uptime \(Int(up))s, clients \(slots.count) (registered \(state.registeredCount)), "
            + "channels \(state.channels.count), sessions forked \(stats.sessionsForked), "
            + "requests \(stats.requests), frames out \(stats.framesOut), bytes in \(stats.bytesIn), "
            + "bytes out \(stats.bytesOut), refused \(stats.refused), corrupt frames \(stats.corruptFrames), "
            + "queue overflows \(stats.queueOverflows), requests held \(stats.holds), waited for the delivery tick \(stats.ticksWaited), hub queue \(slots.queued().bytes) bytes"
    }
}
