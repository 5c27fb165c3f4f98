#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Thin wrappers over descriptor calls. Descriptors are plain `Int32`s: the event loops keep
/// tables of them and own their lifetimes explicitly.
public enum FD {
    public static func close(_ fd: Int32) {
        // Linux frees the descriptor even when close reports EINTR: never retry.
        _ = Glibc.close(fd)
    }

    /// Reads into `buffer`; `.eof` at end of stream, `.wouldBlock` when nothing is there.
    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult {
        try transfer("read", zeroIsEnd: true) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// One read of at most `max` bytes, for the few places that read a little at a time (a
    /// terminal, a console's socket): the bytes; `[]` when nothing is there now; nil at the end
    /// of the stream or on an error (for these callers both mean "gone").
    public static func readSome(_ fd: Int32, max: Int) -> [UInt8]? {
        var result: IOResult = .eof
        let bytes = [UInt8](unsafeUninitializedCapacity: max) { buffer, count in
            result = (try? read(fd, into: UnsafeMutableRawBufferPointer(buffer))) ?? .eof
            if case .done(let n) = result { count = n } else { count = 0 }
        }
        switch result {
        case .done: return bytes
        case .wouldBlock: return []
        case .eof: return nil
        }
    }

    /// Writes as much of `bytes` as the descriptor takes now.
    @inline(__always)
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        if bytes.isEmpty { return .done(0) }
        return try transfer("write", zeroIsEnd: false) { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// Writes the byte ranges `ranges` of `base`, in order, with one `writev` (at most 1,024
    /// ranges: the rest is for the next call, as after a short write).
    public static func writev(_ fd: Int32, _ base: UnsafeRawPointer, _ ranges: [Range<Int>]) throws(SystemError) -> IOResult {
        let count = min(ranges.count, 1024)
        if count == 0 { return .done(0) }
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { iov throws(SystemError) -> IOResult in
            for i in 0..<count {
                iov[i] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + ranges[i].lowerBound),
                               iov_len: ranges[i].count)
            }
            return try transfer("writev", zeroIsEnd: false) { Glibc.writev(fd, iov.baseAddress, Int32(count)) }
        }
    }

    /// Writes all of `bytes` to a blocking descriptor (or until it fails).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var off = 0
        while off < bytes.count {
            let r: Result<IOResult, SystemError> = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try write(fd, UnsafeRawBufferPointer(rebasing: raw[off...])) }
            }
            switch try r.get() {
            case .done(let n): off += n
            case .wouldBlock:
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = Glibc.poll(&p, 1, 1000)
            case .eof: return
            }
        }
    }

    public static func writeAll(_ fd: Int32, _ text: String) throws(SystemError) {
        try writeAll(fd, Array(text.utf8))
    }

    public static func setNonBlocking(_ fd: Int32, _ on: Bool = true) throws(SystemError) {
        let flags = try check("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
        let new = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if new != flags { _ = try check("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, new) } }
    }

    /// A pipe; both ends close-on-exec, optionally non-blocking.
    public static func pipe(nonBlocking: Bool = true) throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let flags = O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        _ = try check("pipe2") { fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress, flags) } }
        return (fds[0], fds[1])
    }

    public static func dup2(_ from: Int32, _ to: Int32) throws(SystemError) {
        _ = try retrying("dup2") { Glibc.dup2(from, to) }
    }

    /// Closes every descriptor from `first` up.
    public static func closeAll(from first: Int32) {
        if close_range(UInt32(first), UInt32.max, 0) == 0 { return }
        // Older kernels: walk up to the descriptor limit.
        var lim = rlimit()
        getrlimit(RLIMIT_NOFILE_VALUE, &lim)
        let top = Int32(clamping: min(lim.rlim_cur, 65536))
        var fd = first
        while fd < top { _ = Glibc.close(fd); fd += 1 }
    }

}

/// `RLIMIT_NOFILE` as the Glibc module exposes it (an enum on Linux).
let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

extension FD {
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(SystemError) -> Int32 {
        try retrying("open(\(path))") { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// The whole content of a (small) regular file. Anything else is refused without waiting:
    /// a FIFO in place of a MOTD would otherwise block the hub in `open` until someone wrote.
    public static func readFile(_ path: String, limit: Int = 1 << 20) throws(SystemError) -> [UInt8] {
        let fd = try open(path, O_RDONLY | O_NONBLOCK)
        defer { close(fd) }
        var st = stat()
        _ = try check("fstat(\(path))") { fstat(fd, &st) }
        if st.st_mode & S_IFMT != S_IFREG {
            let what = st.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
            throw SystemError("open(\(path))", errno: EINVAL, detail: "\(what)")
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while out.count < limit {
            let r: Result<IOResult, SystemError> = chunk.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try read(fd, into: raw) }
            }
            switch try r.get() {
            case .done(let n): out.append(contentsOf: chunk[..<n])
            case .eof, .wouldBlock: return out
            }
        }
        return out
    }

    /// Writes a small file whole (pidfiles).
    public static func writeFile(_ path: String, _ text: String, mode: mode_t = 0o644) throws(SystemError) {
        let fd = try open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        defer { close(fd) }
        try writeAll(fd, text)
    }

    public static func unlink(_ path: String) { _ = Glibc.unlink(path) }
}

extension FD {
    /// Right after fork: keeps only stdin/out/err and `fds`, and moves `fds` to consecutive
    /// descriptors from `first` (in order), whatever numbers they had. Everything else
    /// inherited is closed first, so this works even when the parent's table was full.
    public static func keepOnly(_ fds: [Int32], movingTo first: Int32) throws(SystemError) -> [Int32] {
        var previous: Int32 = 2
        for fd in fds.sorted() {
            if fd > previous + 1 { closeRange(previous + 1, fd - 1) }
            previous = fd
        }
        closeAll(from: previous + 1)
        // Out of the way (above every target), then down into place.
        let high = first + Int32(fds.count)
        var temp: [Int32] = []
        for fd in fds {
            temp.append(try check("fcntl(F_DUPFD)") { fcntl(fd, F_DUPFD, high) })
            Glibc.close(fd)
        }
        var out: [Int32] = []
        for (i, fd) in temp.enumerated() {
            let target = first + Int32(i)
            try dup2(fd, target)
            Glibc.close(fd)
            out.append(target)
        }
        return out
    }

    static func closeRange(_ from: Int32, _ to: Int32) {
        if close_range(UInt32(from), UInt32(to), 0) == 0 { return }
        var fd = from
        while fd <= to { _ = Glibc.close(fd); fd += 1 }
    }
}

extension FD {
    /// Gives `fd`, when it is a terminal or a pipe, an open file description of its own that
    /// is non-blocking (reopened through /proc, so the shell's description, shared with the
    /// other standard descriptors, stays as it was). A server's output then never waits for a
    /// terminal or a reader that stopped (a stalled ssh session, Ctrl-S, a paused pager).
    /// False when `fd` is something else (a file) or could not be reopened.
    @discardableResult
    public static func reopenNonBlocking(_ fd: Int32) -> Bool {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFCHR || st.st_mode & S_IFMT == S_IFIFO else { return false }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { return false }
        let fresh = Glibc.open("/proc/self/fd/\(fd)", (flags & O_ACCMODE) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fresh >= 0 else { return false }
        defer { Glibc.close(fresh) }
        return Glibc.dup2(fresh, fd) == fd  // dup2 clears close-on-exec on `fd`
    }

    /// Writes what a non-blocking `fd` takes now and drops the rest; true when all of it went.
    @discardableResult
    public static func writeWithoutWaiting(_ fd: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let r = bytes.withUnsafeBytes { raw in try? write(fd, raw) }
            guard case .done(let n)? = r, n > 0 else { return false }
            bytes = bytes.dropFirst(n)
        }
        return true
    }

    /// For last-resort messages (start-up errors): best effort, no error to handle.
    public static func writeAllIgnoringErrors(_ fd: Int32, _ text: String) {
        try? writeAll(fd, text)
    }
}

extension FD {
    // The few file calls the client's log files need.

    /// Opens `path` for appending, creating it (mode 0600) if needed.
    public static func openForAppend(_ path: String) throws(SystemError) -> Int32 {
        try retrying("open(\(path))") { Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
    }

    /// Creates a directory and its missing parents (mode 0700 for new ones).
    public static func makeDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw SystemError("mkdir(\(prefix))") }
            prefix += "/"
        }
    }
}
