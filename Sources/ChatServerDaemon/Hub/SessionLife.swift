#if canImport(Glibc)
import Glibc
#endif

/// Where a session is in its life, as the hub sees it: being forked, running, or closed
/// (its process exiting, the hub waiting for its exit status).
enum SessionLife {
    /// Waiting for the spawner to fork the session.
    case spawning(PendingSpawn)
    /// The session runs as `pid`.
    case running(pid: pid_t)
    /// The session closed its channel at `since` (monotonic ns): it is exiting, and its exit
    /// status (from SIGCHLD) will tell the others why it left.
    case closed(pid: pid_t, since: UInt64)
    /// The session closed its channel before the spawner's reply came; the reply still says
    /// whether it ran (its pid) or the fork failed.
    case closedWhileSpawning(PendingSpawn, since: UInt64)

    /// The session's process, once the spawner has reported it.
    var pid: pid_t? {
        switch self {
        case .running(let pid), .closed(let pid, _): return pid
        case .spawning, .closedWhileSpawning: return nil
        }
    }

    /// The connection while the spawner has not answered for it.
    var pendingSpawn: PendingSpawn? {
        switch self {
        case .spawning(let p), .closedWhileSpawning(let p, _): return p
        case .running, .closed: return nil
        }
    }

    /// When the session closed its channel; nil while it is open.
    var closedAt: UInt64? {
        switch self {
        case .closed(_, let since), .closedWhileSpawning(_, let since): return since
        case .spawning, .running: return nil
        }
    }

    /// Whether events may still go to the session.
    @inline(__always)
    var isOpen: Bool {
        switch self {
        case .spawning, .running: return true
        case .closed, .closedWhileSpawning: return false
        }
    }

    /// The session closed its channel at `now`.
    mutating func close(at now: UInt64) {
        switch self {
        case .spawning(let p): self = .closedWhileSpawning(p, since: now)
        case .running(let pid): self = .closed(pid: pid, since: now)
        case .closed, .closedWhileSpawning: break
        }
    }

    /// The request went to the spawner with the session's end of the pair (the hub closes its
    /// copy).
    mutating func requestSent() {
        guard case .spawning(var p) = self else { return }
        p.sessionEnd = nil
        self = .spawning(p)
    }

    /// The spawner forked the session as `pid`.
    mutating func started(pid: pid_t) {
        switch self {
        case .spawning: self = .running(pid: pid)
        case .closedWhileSpawning(_, let since): self = .closed(pid: pid, since: since)
        case .running, .closed: break
        }
    }
}
