import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Soak: the faults injected besides the measured traffic (docs/BENCHMARKS.md, "Faults").
struct FaultConfig: Sendable {
    /// Percent of all the run's sessions killed with SIGKILL (needs --server-pid).
    var killPercent = 0.0
    /// Clients that register, then never read again.
    var stallers = 0
    /// Clients that send random bytes, overlong lines and telnet noise.
    var noisy = 0
    /// Clients that join and part #churnN channels, change nicks and send private and
    /// channel messages at random (never in #lobby, never to a measured client).
    var churn = 0
    var seed: UInt64 = 0
    /// After the senders stop: seconds to wait for the kills' and stalls' quit notices.
    var announceTimeout = 30.0
    /// After everyone left: seconds to wait for the hub to have no sessions left.
    var leakTimeout = 30.0
    /// Hub PSS growth allowed between before the first connect and after everyone left.
    var pssToleranceKiB = 8192

    /// Clients whose sessions are killed: kill-percent of every session of the run, the
    /// victims included (set by the command line).
    var victims = 0

    /// ceil(p% of all sessions), the victims included: n = p/100 × (others + n).
    func victimsFor(others: Int) -> Int {
        guard killPercent > 0 else { return 0 }
        let p = killPercent / 100
        return max(1, Int((p * Double(others) / (1 - p) - 1e-9).rounded(.up)))
    }

    var any: Bool { killPercent > 0 || stallers > 0 || noisy > 0 || churn > 0 }
}
