import CSystemd
import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the server is doing (`sd_notify`, for a unit of `Type=notify`): ready
/// once it listens, reloading and ready again around a reload, stopping, a one-line status
/// when it changes, and the watchdog's pings.
///
/// It is made only when systemd asked for notifications (`NOTIFY_SOCKET`), so a server started
/// any other way sends nothing. The pings come from the hub's loop (`tick`): a hub stuck in a
/// turn stops pinging and systemd restarts it. A notification that cannot be sent (a bad
/// `NOTIFY_SOCKET`) is logged once and changes nothing else.
final class ServiceNotifier: HubHook {
    /// Sends one notification: more than 0 when sent, 0 or less (a negative errno) when not.
    typealias Sender = (String) -> Int32

    /// The status line changes at most this often (ns), and is looked at no more often.
    static let statusInterval: UInt64 = 3_000_000_000
    /// A watchdog shorter than twice this (ns) is pinged at this pace, not in a busy loop.
    static let shortestPing: UInt64 = 100_000_000

    private let send: Sender
    /// Where notifications go, for the log.
    private let destination: String
    /// Half of `WATCHDOG_USEC` (ns), if systemd watches this process.
    let pingInterval: UInt64?
    private var nextPing: UInt64?
    private var nextStatusCheck: UInt64 = 0
    private var lastStatus = ""
    private var stopping = false
    private var warned = false

    init(destination: String, watchdogMicroseconds: UInt64?, send: @escaping Sender) {
        self.destination = destination
        self.send = send
        pingInterval = watchdogMicroseconds.map { usec in
            let (ns, overflow) = usec.multipliedReportingOverflow(by: 500)
            return overflow ? UInt64.max / 2 : max(ns, Self.shortestPing)
        }
    }

    /// The notifier systemd asked for, or nil when `NOTIFY_SOCKET` is unset. The watchdog is on
    /// when `WATCHDOG_USEC` is set (and `WATCHDOG_PID`, if set, is this process).
    static func fromEnvironment() -> ServiceNotifier? {
        guard let socket = Proc.environment("NOTIFY_SOCKET"), !socket.isEmpty else { return nil }
        var usec: UInt64 = 0
        let watchdog = sd_watchdog_enabled(0, &usec) > 0 && usec > 0 ? usec : nil
        return ServiceNotifier(destination: socket, watchdogMicroseconds: watchdog) { sd_notify(0, $0) }
    }

    /// The server listens and serves: READY=1, with the first status line and watchdog ping.
    func ready(host: ConsoleHost) {
        let now = Proc.monotonicNanos()
        lastStatus = Self.status(of: host)
        nextStatusCheck = now + Self.statusInterval
        notify("READY=1\nSTATUS=\(lastStatus)" + (pingInterval == nil ? "" : "\nWATCHDOG=1"), log: host.log)
        if let pingInterval { nextPing = now + pingInterval }
    }

    /// `users, channels, connections`, in the singular for one.
    static func status(of host: ConsoleHost) -> String {
        [NumberFormat.count(host.chat.registeredCount, "user"), NumberFormat.count(host.chat.channels.count, "channel"),
         NumberFormat.count(host.connectionCount, "connection")].joined(separator: ", ")
    }

    private func notify(_ message: String, log: Logger) {
        let result = send(message)
        guard result <= 0, !warned else { return }
        warned = true
        let why = result < 0 ? String(cString: strerror(-result)) : "NOTIFY_SOCKET is not usable"
        log.warning("cannot notify the service manager at \(TextSafety.sanitize(String(destination.prefix(120)))): \(why); carrying on without")
    }

    // MARK: HubHook

    /// No descriptor of its own: each notification is a datagram of its own (libsystemd's).
    func register(in host: ConsoleHost, index: Int) throws {}
    func handle(events: UInt32, data: UInt64, host: ConsoleHost) {}

    func nextDeadline() -> UInt64? {
        let status = stopping || lastStatus.isEmpty ? nil : nextStatusCheck
        switch (nextPing, status) {
        case let (ping?, status?): return min(ping, status)
        case let (ping?, nil): return ping
        case let (nil, status): return status
        }
    }

    func tick(now: UInt64, host: ConsoleHost) {
        if let next = nextPing, now >= next, let pingInterval {
            notify("WATCHDOG=1", log: host.log)
            nextPing = now + pingInterval
        }
        // Before READY=1 (`lastStatus` empty) and once stopping, the status is not ours to change.
        if !stopping, !lastStatus.isEmpty, now >= nextStatusCheck {
            nextStatusCheck = now + Self.statusInterval
            let status = Self.status(of: host)
            if status != lastStatus {
                lastStatus = status
                notify("STATUS=\(status)", log: host.log)
            }
        }
    }

    /// RELOADING=1, with the monotonic time that systemd 253 and later ask for.
    func reloading(host: ConsoleHost) {
        notify("RELOADING=1\nMONOTONIC_USEC=\(Proc.monotonicNanos() / 1000)\nSTATUS=reloading", log: host.log)
    }

    /// READY=1 again after a reload, with why it failed if it did (the old settings stay).
    func reloaded(host: ConsoleHost, error: String?) {
        guard !stopping else { return }
        lastStatus = Self.status(of: host)
        let failure = error.map { "reload failed, the old settings stay: \(TextSafety.sanitize(String($0.prefix(200)))); " } ?? ""
        notify("READY=1\nSTATUS=\(failure)\(lastStatus)", log: host.log)
    }

    func shutdown(host: ConsoleHost) {
        stopping = true
        notify("STOPPING=1\nSTATUS=shutting down", log: host.log)
    }
}
