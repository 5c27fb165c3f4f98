import ChatPOSIX

/// CPU time and memory of a server's whole process tree (the pid given and every
/// descendant), read from /proc.
///
/// CPU of a live process comes from /proc/PID/schedstat (nanoseconds on the CPU) when the
/// kernel has it, else from utime+stime in /proc/PID/stat (clock ticks). A child that exits
/// is added to its parent's cutime+cstime when it is reaped, so the tree's total is
/// "every live process's own time + the root's reaped children's"; deltas between two
/// samples then stay right even if a session ends in between (to tick precision).
struct TreeSample {
    var time: UInt64 = 0
    var processes = 0
    /// Seconds of CPU: the root alone, the other live processes, the root's reaped children.
    var rootCPU = 0.0
    var descendantsCPU = 0.0
    var reapedCPU = 0.0
    /// Proportional set size in KiB: the root, the rest.
    var rootPSS = 0
    var descendantsPSS = 0
    var pssComplete = true

    var totalCPU: Double { rootCPU + descendantsCPU + reapedCPU }
    var totalPSS: Int { rootPSS + descendantsPSS }

    /// nil when the process is gone.
    static func take(root: Int32, memory: Bool = true) -> TreeSample? {
        guard let rootStat = ProcessCPU.read(root) else { return nil }
        var s = TreeSample()
        s.time = Proc.monotonicNanos()
        s.rootCPU = cpuSeconds(root, rootStat)
        s.reapedCPU = rootStat.childrenSeconds
        s.processes = 1
        if memory {
            if let p = pss(root) { s.rootPSS = p } else { s.pssComplete = false }
        }
        var stack = children(root)
        while let pid = stack.popLast() {
            guard let st = ProcessCPU.read(pid) else { continue }
            s.processes += 1
            s.descendantsCPU += cpuSeconds(pid, st)
            if memory {
                if let p = pss(pid) { s.descendantsPSS += p } else { s.pssComplete = false }
            }
            stack += children(pid)
        }
        return s
    }

    static func children(_ pid: Int32) -> [Int32] { Proc.children(of: pid) }

    static func cpuSeconds(_ pid: Int32, _ st: ProcessCPU) -> Double {
        if let bytes = try? FD.readFile("/proc/\(pid)/schedstat"),
           let first = bytes.split(separator: 0x20).first,
           let ns = UInt64(String(decoding: first, as: UTF8.self)), ns > 0 {
            return Double(ns) / 1e9
        }
        return st.ownSeconds
    }

    /// KiB, from smaps_rollup.
    static func pss(_ pid: Int32) -> Int? { Proc.pssKiB(of: pid) }
}
