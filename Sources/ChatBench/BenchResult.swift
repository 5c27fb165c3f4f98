import ChatPOSIX
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Everything one run measured, merged over the workers.
struct BenchResult {
    var config: BenchConfig
    var descriptorLimit: UInt64 = 0
    // Clients.
    var ready = 0
    var connectFailed = 0
    var registerFailed = 0
    var dropped = 0
    var rampSeconds = 0.0
    var registration = Histogram<UInt64>.latency()
    var settleSeconds = 0.0
    // Lines.
    var sent: [UInt64] = []
    var receivers: [UInt64] = []
    var uniq: UInt64 = 0
    var duplicated: UInt64 = 0
    var reordered: UInt64 = 0
    var lines = LineCounts()
    var openGaps: UInt64 = 0
    var all = Histogram<UInt64>.latency()
    var first = Histogram<UInt64>.latency()
    var last = Histogram<UInt64>.latency()
    var windowSeconds = 0.0
    // Server and bench cost.
    /// Before any client connected.
    var serverBaseline: TreeSample?
    var serverBefore: TreeSample?
    var serverAfter: TreeSample?
    var benchCPU = 0.0
    var notes: [String] = []
    var progress: [String] = []
    // Soak faults and leaks (nil: not asked for).
    var faults: FaultResult?
    var leaks: LeakResult?

    var totalSent: UInt64 { sent.reduce(0, +) }
    var expectedDeliveries: UInt64 {
        zip(sent, receivers).reduce(0) { $0 + $1.0 * $1.1 }
    }
    var delivered: UInt64 { uniq }
    var lost: UInt64 { expectedDeliveries > uniq ? expectedDeliveries - uniq : 0 }
    var deliveredPerSecond: Double { windowSeconds > 0 ? Double(delivered) / windowSeconds : 0 }

    var serverCPU: Double? {
        guard let a = serverBefore, let b = serverAfter else { return nil }
        return b.totalCPU - a.totalCPU
    }
    var hubCPU: Double? {
        guard let a = serverBefore, let b = serverAfter else { return nil }
        return b.rootCPU - a.rootCPU
    }
    var cpuPerLineMicros: Double? {
        guard let c = serverCPU, delivered > 0 else { return nil }
        return c / Double(delivered) * 1e6
    }
    /// Typists only: the server's CPU over the keys typed in the window (each byte of a
    /// sent line is a key; the deliveries are counted in too).
    var typedKeys: UInt64 = 0
    var cpuPerKeyMicros: Double? {
        guard let c = serverCPU, typedKeys > 0 else { return nil }
        return c / Double(typedKeys) * 1e6
    }
    var sessions: Int { max((serverAfter?.processes ?? 1) - 1, 0) }
    /// Memory the clients cost the server: growth since before they connected, per client.
    var pssPerClientKiB: Double? {
        guard let a = serverBaseline, let b = serverAfter, ready > 0 else { return nil }
        return Double(b.totalPSS - a.totalPSS) / Double(ready)
    }
    var pssPerSessionKiB: Double? {
        guard let b = serverAfter, b.processes > 1 else { return nil }
        return Double(b.descendantsPSS) / Double(b.processes - 1)
    }
}
