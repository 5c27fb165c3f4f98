#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The allocations that fill the heap's holes (`Proc.plugHeapHoles`), each pointing to the one
/// before.
nonisolated(unsafe) private var heapPlugs: UnsafeMutableRawPointer?

extension Proc {
    /// Gives free heap pages back to the kernel (glibc keeps them after a peak).
    public static func releaseFreeMemory() { _ = malloc_trim(0) }

    /// Gives the whole pages inside `buffer` back to the kernel: a scratch buffer's contents
    /// are not needed between uses, and its next use faults in zero pages.
    public static func discardPages(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let start = (UInt(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (UInt(bitPattern: base) + UInt(buffer.count)) & ~(page - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED) }
    }

    /// Fills every free hole in the heap with a small allocation that is never freed, so
    /// that what is allocated next comes from the top of the heap, contiguous, in pages no
    /// one has used. For a process about to fork many children: a child's allocations then
    /// land in a few fresh pages of its own instead of in holes spread over the parent's
    /// pages, each of which it would copy. Returns the bytes plugged. (Chunks in glibc's
    /// per-thread cache are not holes to `mallinfo2` and are not plugged.)
    @discardableResult
    public static func plugHeapHoles(limit: Int = 4 << 20) -> Int {
        _ = malloc_trim(0)
        var plugged = 0
        while plugged < limit && clinux_heap_hole_bytes() > 0 {
            guard let plug = malloc(24) else { break }
            // Chained from a global, so the compiler cannot drop the allocation as unused.
            plug.storeBytes(of: heapPlugs, as: UnsafeMutableRawPointer?.self)
            heapPlugs = plug
            plugged += 32
        }
        return plugged
    }
}
