import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Where things live in the counters shared by the parent and the workers.
struct SharedLayout {
    let senders: Int
    let workers: Int
    /// Lines sender `s` sent in all (valid once `done(s)` is 1).
    func sent(_ s: Int) -> Int { s }
    func done(_ s: Int) -> Int { senders + s }
    /// The lowest next-expected line of sender `s` over worker `w`'s live receivers
    /// (UInt64.max: none), for the senders' windows.
    func low(_ w: Int, _ s: Int) -> Int { 2 * senders + w * senders + s }
    /// Lines worker `w` has received so far (progress).
    func delivered(_ w: Int) -> Int { 2 * senders + workers * senders + w }
    var count: Int { 2 * senders + workers * senders + workers }
}
