#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// A process's `/proc/PID/stat`: the fields after its command name (which may hold spaces and
/// parentheses, so it is skipped up to the last ")"), proc(5)'s field 3 onwards.
public struct ProcessStat {
    private let fields: [ArraySlice<UInt8>]

    /// nil when the process is gone.
    public init?(pid: pid_t) {
        guard let bytes = try? FD.readFile("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")")),
              close + 2 < bytes.count else { return nil }
        let fields = bytes[(close + 2)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 14 else { return nil }
        self.fields = fields
    }

    /// Exited but not reaped yet.
    public var isZombie: Bool { fields[0].first == UInt8(ascii: "Z") }
    public var parent: pid_t { pid_t(truncatingIfNeeded: number(1)) }
    /// The session it belongs to (its own pid after `setsid`).
    public var session: pid_t { pid_t(truncatingIfNeeded: number(3)) }
    /// Clock ticks (`Proc.clockTicksPerSecond`) of CPU, user + system: the process's own,
    /// and its reaped children's.
    public var ownTicks: UInt64 { number(11) + number(12) }
    public var childrenTicks: UInt64 { number(13) + number(14) }

    private func number(_ i: Int) -> UInt64 { UInt64(String(decoding: fields[i], as: UTF8.self)) ?? 0 }
}
