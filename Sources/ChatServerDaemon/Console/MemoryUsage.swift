import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

/// Proportional set size (PSS: shared pages split among their users) of the hub and its
/// sessions, from /proc/PID/smaps_rollup. With many sessions only a sample is read, so the
/// hub never spends long on it.
enum MemoryUsage {
    static let sampleLimit = 256

    static func measure(hub: pid_t, sessions: [pid_t]) -> (hubKB: Int, sessionsKB: Int, sessions: Int, sampled: Int) {
        let hubKB = pss(hub) ?? 0
        var total = 0, read = 0
        let step = max(1, sessions.count / sampleLimit)
        var i = 0
        while i < sessions.count && read < sampleLimit {
            if let kb = pss(sessions[i]) { total += kb; read += 1 }
            i += step
        }
        let estimate = read == 0 ? 0 : read < sessions.count ? total * sessions.count / read : total
        return (hubKB, estimate, sessions.count, read)
    }

    static func pss(_ pid: pid_t) -> Int? { Proc.pssKiB(of: pid) }
}
