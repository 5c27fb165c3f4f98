#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Socket calls.
public enum Socket {
    static let stream = Int32(SOCK_STREAM.rawValue)

    /// A non-blocking, close-on-exec listening socket bound to `address`.
    public static func listen(_ address: SocketAddress, backlog: Int32 = 4096) throws(SystemError) -> Int32 {
        let fd = try check("socket") { socket(address.family, stream | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            if address.family != AF_UNIX {
                try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            }
            if address.family == AF_INET6 {
                // Our default listens on 0.0.0.0 and [::] side by side.
                try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
            }
            _ = try check("bind(\(address))") { address.withSockaddr { bind(fd, $0, $1) } }
            _ = try check("listen") { Glibc.listen(fd, backlog) }
        } catch {
            FD.close(fd)
            throw error
        }
        return fd
    }

    /// Accepts one connection, non-blocking and close-on-exec. nil when none is waiting.
    public static func accept(_ fd: Int32) throws(SystemError) -> (Int32, SocketAddress)? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let c = withUnsafeMutablePointer(to: &storage) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(fd, $0, &len, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if c >= 0 { return (c, SocketAddress(storage: storage, length: len)) }
            let e = errno
            switch e {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SystemError("accept", errno: e)
            }
        }
    }

    /// Connects (blocking) to the first address that answers.
    /// `receiveBuffer` sets SO_RCVBUF before connecting (tests use a small one to play a
    /// client that stops reading).
    public static func connect(_ addresses: [SocketAddress], receiveBuffer: Int32? = nil) throws(SystemError) -> Int32 {
        var last = SystemError("connect", errno: EADDRNOTAVAIL)
        for a in addresses {
            guard let fd = try? check("socket", { socket(a.family, stream | Int32(SOCK_CLOEXEC.rawValue), 0) }) else { continue }
            if let receiveBuffer { try? setOption(fd, SOL_SOCKET, SO_RCVBUF, receiveBuffer) }
            var rc: Int32
            repeat { rc = a.withSockaddr { Glibc.connect(fd, $0, $1) } } while rc == -1 && errno == EINTR
            if rc == 0 { return fd }
            last = SystemError("connect(\(a))")
            FD.close(fd)
        }
        throw last
    }

    /// Starts a non-blocking connect. Returns the socket, and whether it is already connected
    /// (loopback often is); otherwise wait until it is writable and call `finishConnect`.
    public static func startConnect(_ address: SocketAddress) throws(SystemError) -> (fd: Int32, connected: Bool) {
        let fd = try check("socket") {
            socket(address.family, stream | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        while true {
            let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
            if rc == 0 { return (fd, true) }
            let e = errno
            if e == EINTR { continue }
            if e == EINPROGRESS { return (fd, false) }
            FD.close(fd)
            throw SystemError("connect(\(address))", errno: e)
        }
    }

    /// SO_ERROR: 0 once a non-blocking connect has succeeded, else its errno.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var v: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) != 0 { return errno }
        return v
    }

    /// After a started connect reports writable: throws the error it ended with, if any.
    public static func finishConnect(_ fd: Int32) throws(SystemError) {
        let err = pendingError(fd)
        if err != 0 { throw SystemError("connect", errno: err) }
    }

    public static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var v = value
        _ = try check("setsockopt") { setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) }
    }

    public static func setNoDelay(_ fd: Int32) {
        try? setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    public static func localAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        try address("getsockname") { getsockname(fd, $0, $1) }
    }

    /// The address a `getsockname`-shaped call fills in.
    private static func address(_ call: String,
                                _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try check(call) {
            withUnsafeMutablePointer(to: &storage) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) }
            }
        }
        return SocketAddress(storage: storage, length: length)
    }

    /// Half-closes the sending side, so the peer reads EOF after the data we queued.
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// The uid and pid of the peer of a Unix socket.
    public static func peerCredentials(_ fd: Int32) throws(SystemError) -> (uid: UInt32, pid: Int32) {
        var uid: UInt32 = 0
        var pid: Int32 = 0
        _ = try check("getsockopt(SO_PEERCRED)") { clinux_peer_uid(fd, &uid, &pid) }
        return (uid, pid)
    }

    /// A connected pair of Unix sequenced-packet sockets (each send is one message, kept
    /// whole), close-on-exec, optionally non-blocking.
    public static func packetPair(nonBlocking: Bool = false) throws(SystemError) -> (Int32, Int32) {
        try unixPair(Int32(SOCK_SEQPACKET.rawValue), nonBlocking: nonBlocking)
    }

    /// Sends `bytes` and up to four descriptors as one message.
    public static func send(_ fd: Int32, _ bytes: [UInt8], passing fds: [Int32] = []) throws(SystemError) -> IOResult {
        try transfer("sendmsg", zeroIsEnd: false) {
            bytes.withUnsafeBytes { raw in
                fds.withUnsafeBufferPointer { clinux_send_with_fds(fd, raw.baseAddress, raw.count, $0.baseAddress, Int32($0.count)) }
            }
        }
    }

    /// Receives one message into `buffer` and up to four descriptors with it.
    public static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> (IOResult, [Int32]) {
        var fds: [Int32] = [-1, -1, -1, -1]
        var count: Int32 = 0
        let result = try transfer("recvmsg", zeroIsEnd: true) {
            count = 4
            return fds.withUnsafeMutableBufferPointer {
                clinux_receive_with_fds(fd, buffer.baseAddress, buffer.count, $0.baseAddress, &count)
            }
        }
        return (result, Array(fds[..<Int(count)]))
    }

    /// The address of the peer of a connected socket.
    public static func peerAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        try address("getpeername") { getpeername(fd, $0, $1) }
    }

    /// Whether `fd` is a sequenced-packet socket (what a process that expects one was given).
    public static func isSequencedPacket(_ fd: Int32) -> Bool {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0 && type == Int32(SOCK_SEQPACKET.rawValue)
    }

    /// A connected pair of Unix stream sockets, close-on-exec, optionally non-blocking.
    public static func pair(nonBlocking: Bool = false) throws(SystemError) -> (Int32, Int32) {
        try unixPair(stream, nonBlocking: nonBlocking)
    }

    private static func unixPair(_ type: Int32, nonBlocking: Bool) throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        let flags = type | Int32(SOCK_CLOEXEC.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        _ = try check("socketpair") { socketpair(AF_UNIX, flags, 0, &fds) }
        return (fds[0], fds[1])
    }
}
