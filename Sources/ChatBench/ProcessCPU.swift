import ChatPOSIX

/// The CPU seconds a process used, its own and its reaped children's (from `ProcessStat`);
/// `read` gives nil for a process that is gone or a zombie.
struct ProcessCPU {
    var ownSeconds: Double
    var childrenSeconds: Double

    static func read(_ pid: Int32) -> ProcessCPU? {
        guard let st = ProcessStat(pid: pid), !st.isZombie else { return nil }
        let ticks = Double(Proc.clockTicksPerSecond)
        return ProcessCPU(ownSeconds: Double(st.ownTicks) / ticks, childrenSeconds: Double(st.childrenTicks) / ticks)
    }
}
