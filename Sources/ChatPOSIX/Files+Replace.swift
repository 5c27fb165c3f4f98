#if canImport(Glibc)
import Glibc
#endif

extension Files {
    /// Replaces the file at `path` with `text` all at once: written to a temporary file
    /// beside it, synced, then renamed over it, so a crash or a full disk leaves the old file
    /// whole. A symlink is followed (the file it points to is replaced, the link kept).
    public static func replace(_ path: String, with text: String, mode: UInt32) throws(SystemError) {
        var target = path
        if let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        let temporary = target + ".tmp-\(getpid())"
        let fd = try FD.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, mode: mode_t(mode))
        do throws(SystemError) {
            defer { FD.close(fd) }
            try FD.writeAll(fd, text)
            guard fsync(fd) == 0 else { throw SystemError("fsync(\(temporary))") }
        } catch {
            FD.unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let failure = SystemError("rename(\(temporary), \(target))")
            FD.unlink(temporary)
            throw failure
        }
    }
}
