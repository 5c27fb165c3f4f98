import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// What the operator console may use of the hub.
extension Hub: ConsoleHost {
    var chat: ChatState { state }

    func connection(_ session: Int) -> ConnectionSummary? {
        slots[session].map { ConnectionSummary(host: $0.host, port: $0.port, pid: $0.life.pid) }
    }

    func forEachConnection(_ body: (Int, ConnectionSummary) -> Void) {
        slots.forEach { id, slot in body(id, ConnectionSummary(host: slot.host, port: slot.port, pid: slot.life.pid)) }
    }

    func send(_ event: HubEvent, to session: Int) { deliver(event.frame(), to: session) }

    var statistics: HubStatistics { stats }
    var connectionCount: Int { slots.count }
    func queuedForSessions() -> (bytes: Int, sessions: Int) { slots.queued() }
    var spawnerPID: pid_t? { spawnerProcess }
    var sessionPIDs: [pid_t] { Array(slots.processes) }

    var listening: [String] { listeners.map { "\($0.address)" } }
    var isShuttingDown: Bool { shutdownDeadline != nil }

    func watch(_ fd: Int32, events: UInt32, hook: Int, sub: Int) throws(SystemError) {
        try epoll.add(fd, events: events, data: Tag.hook(hook, sub))
    }

    func rewatch(_ fd: Int32, events: UInt32, hook: Int, sub: Int) {
        try? epoll.modify(fd, events: events, data: Tag.hook(hook, sub))
    }

    func unwatch(_ fd: Int32) { epoll.remove(fd) }
}
