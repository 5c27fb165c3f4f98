#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, and the errno it left.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    public var description: String { "\(call): \(String(cString: strerror(errno)))" }

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

/// Runs a call that returns -1 on failure, without retrying (for calls where EINTR means
/// "a signal arrived, go back to the loop").
@inline(__always)
public func check<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(SystemError) -> T {
    let r = body()
    if r == -1 { throw SystemError(call) }
    return r
}
