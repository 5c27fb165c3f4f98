#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// epoll, O(ready) per wait: the hub over thousands of session sockets, a session over its
/// three descriptors (registered once, not on every wake-up as with poll), the bench's workers.
public final class Epoll {
    public let fd: Int32
    /// Allocated by hand, not an `Array`: creating an array of a non-standard element type asks
    /// the Swift runtime for its metadata, which writes to the runtime's cache (a page that
    /// every forked session would copy).
    private let events: UnsafeMutableBufferPointer<epoll_event>

    public init(capacity: Int = 1024) throws(SystemError) {
        fd = try check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        events = .allocate(capacity: capacity)
        events.initialize(repeating: epoll_event())
    }

    deinit {
        FD.close(fd)
        events.deallocate()
    }

    public static let readable = EPOLLIN.rawValue
    public static let writable = EPOLLOUT.rawValue
    public static let edgeTriggered = EPOLLET.rawValue
    public static let hangup = EPOLLHUP.rawValue | EPOLLRDHUP.rawValue
    public static let error = EPOLLERR.rawValue

    public func add(_ target: Int32, events mask: UInt32, data: UInt64) throws(SystemError) {
        var ev = epoll_event()
        ev.events = mask
        ev.data.u64 = data
        _ = try check("epoll_ctl(ADD)") { epoll_ctl(fd, EPOLL_CTL_ADD, target, &ev) }
    }

    public func modify(_ target: Int32, events mask: UInt32, data: UInt64) throws(SystemError) {
        var ev = epoll_event()
        ev.events = mask
        ev.data.u64 = data
        _ = try check("epoll_ctl(MOD)") { epoll_ctl(fd, EPOLL_CTL_MOD, target, &ev) }
    }

    public func remove(_ target: Int32) {
        var ev = epoll_event()
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, target, &ev)
    }

    /// Waits up to `timeoutMS` and calls `body(data, events)` for each ready descriptor.
    /// EINTR counts as a timeout.
    public func wait(timeoutMS: Int32, _ body: (UInt64, UInt32) -> Void) throws(SystemError) {
        try report(epoll_wait(fd, events.baseAddress, Int32(events.count), timeoutMS), "epoll_wait", body)
    }

    /// `wait` with a timeout in nanoseconds (negative: none), for deadlines finer than a
    /// millisecond (`epoll_pwait2`, Linux 5.11): the hub's delivery tick (`Hub+Delivery`).
    public func wait(timeoutNanos: Int64, _ body: (UInt64, UInt32) -> Void) throws(SystemError) {
        var spec = timespec(tv_sec: Int(timeoutNanos / 1_000_000_000), tv_nsec: Int(timeoutNanos % 1_000_000_000))
        let n = timeoutNanos < 0
            ? epoll_pwait2(fd, events.baseAddress, Int32(events.count), nil, nil)
            : epoll_pwait2(fd, events.baseAddress, Int32(events.count), &spec, nil)
        try report(n, "epoll_pwait2", body)
    }

    private func report(_ n: Int32, _ call: String, _ body: (UInt64, UInt32) -> Void) throws(SystemError) {
        if n < 0 {
            if errno == EINTR { return }
            throw SystemError(call)
        }
        for i in 0..<Int(n) {
            let ev = events[i]
            body(ev.data.u64, ev.events)
        }
    }
}
