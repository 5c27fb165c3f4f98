#if canImport(Glibc)
import Glibc
#endif
import CLinux

extension Proc {
    /// The children of `pid`, as the kernel lists them in /proc.
    public static func children(of pid: pid_t) -> [pid_t] {
        guard let bytes = try? FD.readFile("/proc/\(pid)/task/\(pid)/children", limit: 1 << 20) else { return [] }
        return bytes.split(separator: 0x20).compactMap { pid_t(String(decoding: $0, as: UTF8.self)) }
    }

    /// Proportional set size (shared pages split among their users) of `pid` in KiB, from
    /// /proc/PID/smaps_rollup; nil when the process is gone.
    public static func pssKiB(of pid: pid_t) -> Int? {
        guard let bytes = try? FD.readFile("/proc/\(pid)/smaps_rollup", limit: 8192) else { return nil }
        return parsePSS(String(decoding: bytes, as: UTF8.self))
    }

    /// The `Pss:` figure of a smaps_rollup text, in KiB.
    public static func parsePSS(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            return Int(line.dropFirst(4).split(separator: " ").first ?? "")
        }
        return nil
    }
}
