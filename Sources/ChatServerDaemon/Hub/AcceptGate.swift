/// Whether the hub takes new connections. Listeners leave the epoll set while accepting is
/// paused or the spawner is behind (a readable listener would wake the hub at once), and come
/// back after.
struct AcceptGate {
    /// Out of descriptors or memory: no accepting until then (monotonic ns).
    var pausedUntil: UInt64?
    /// Whether the listeners are in the epoll set.
    var listening = true

    /// Whether the listeners should be in the epoll set.
    func wantsListening(spawnerBehind: Bool) -> Bool { pausedUntil == nil && !spawnerBehind }
}
