#if canImport(Glibc)
import Glibc
#endif
import CLinux

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
