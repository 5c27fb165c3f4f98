#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, and the errno it left.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    /// Says what went wrong where `strerror` would mislead.
    public var detail: String?

    public init(_ call: String, errno: Int32 = Glibc.errno, detail: String? = nil) {
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    public var description: String { "\(call): \(detail ?? String(cString: strerror(errno)))" }

    public var isWouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }
}

/// Runs a call that returns -1 on failure, retrying on EINTR. Every call in this layer goes
/// through here or `check` so nothing above it touches errno.
@inline(__always)
public func retrying<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let r = body()
        if r != -1 { return r }
        let e = errno
        if e == EINTR { continue }
        throw SystemError(call, errno: e)
    }
}

/// Runs one read or write on a non-blocking descriptor: EINTR is retried, EAGAIN is
/// `.wouldBlock`, 0 is `.eof` when `zeroIsEnd` (reads; a write of 0 bytes is `.done(0)`),
/// and any other failure is thrown.
@inline(__always)
public func transfer(_ call: String, zeroIsEnd: Bool, _ body: () -> Int) throws(SystemError) -> IOResult {
    while true {
        let n = body()
        if n > 0 || (n == 0 && !zeroIsEnd) { return .done(n) }
        if n == 0 { return .eof }
        let e = errno
        if e == EINTR { continue }
        if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
        throw SystemError(call, errno: e)
    }
}

/// Runs a call that returns -1 on failure, without retrying (for calls where EINTR means
/// "a signal arrived, go back to the loop").
@inline(__always)
public func check<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(SystemError) -> T {
    let r = body()
    if r == -1 { throw SystemError(call) }
    return r
}
