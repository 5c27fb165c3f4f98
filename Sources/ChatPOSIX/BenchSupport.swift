#if canImport(Glibc)
import Glibc
#endif
import CLinux

// System calls the load generator (chat-bench) needs beyond what the server uses:
// memory shared between forked workers, per-process CPU and memory
// from /proc, and waiting for one particular child.

/// Anonymous memory shared with the processes forked after it was made: a table of
/// 64-bit counters that workers publish and read without a round trip through the parent.
/// Each slot has one writer; readers may see a slightly old value, never a torn one
/// (aligned 64-bit stores and loads are single instructions on the machines we run on).
public final class SharedCounters: @unchecked Sendable {
    public let count: Int
    private let base: UnsafeMutablePointer<UInt64>

    public init(count: Int) throws(SystemError) {
        self.count = max(count, 1)
        let bytes = self.count * 8
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
        if p == MAP_FAILED || p == nil { throw SystemError("mmap") }
        base = p!.bindMemory(to: UInt64.self, capacity: self.count)
        base.initialize(repeating: 0, count: self.count)
    }

    deinit { munmap(base, count * 8) }

    @inline(__always) public func load(_ i: Int) -> UInt64 {
        // A volatile-style load: the compiler may not keep it in a register across calls.
        UnsafeMutableRawPointer(base + i).load(as: UInt64.self)
    }

    @inline(__always) public func store(_ i: Int, _ v: UInt64) {
        UnsafeMutableRawPointer(base + i).storeBytes(of: v, as: UInt64.self)
    }
}

extension Proc {
    /// Waits for one child to end (blocking); nil when it is not our child.
    @discardableResult
    public static func wait(for pid: pid_t) -> ExitStatus? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { return ExitStatus(waitStatus: status) }
            if r < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Clock ticks per second for /proc/PID/stat times.
    public static var clockTicksPerSecond: Int {
        let t = sysconf(Int32(_SC_CLK_TCK))
        return t > 0 ? t : 100
    }

    /// CPU seconds used by this process's reaped children (user + system).
    public static func childrenCPUSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds used by this process so far (user + system).
    public static func selfCPUSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// Sleeps (in the caller's thread; the bench parent has nothing else to do).
    public static func sleep(nanos: UInt64) {
        var ts = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }

    public static var onlineCPUs: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }
}
