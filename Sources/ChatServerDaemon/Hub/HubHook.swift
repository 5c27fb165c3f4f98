/// Something else the hub's loop serves: the operator console (its terminal and control
/// socket), the password worker, systemd's notifications (`ServiceNotifier`). It sees the hub
/// only as a `ConsoleHost`.
protocol HubHook: AnyObject {
    /// Adds the hook's descriptors to the loop (`ConsoleHost.watch`); `index` is the hook's
    /// number there.
    func register(in host: ConsoleHost, index: Int) throws
    /// One of the hook's descriptors is ready; `data` is the number it was watched with.
    func handle(events: UInt32, data: UInt64, host: ConsoleHost)
    /// When the hook next wants `tick` (monotonic ns), if it does.
    func nextDeadline() -> UInt64?
    func tick(now: UInt64, host: ConsoleHost)
    /// Why a connection from `host` must be refused, if it must.
    func banReason(host: String) -> String?
    /// The hub is going down.
    func shutdown(host: ConsoleHost)
    /// A reload (SIGHUP, the console's `reload`) begins.
    func reloading(host: ConsoleHost)
    /// A reload is over; `error` says why it failed, if it did.
    func reloaded(host: ConsoleHost, error: String?)
}

extension HubHook {
    func nextDeadline() -> UInt64? { nil }
    func tick(now: UInt64, host: ConsoleHost) {}
    func banReason(host: String) -> String? { nil }
    func shutdown(host: ConsoleHost) {}
    func reloading(host: ConsoleHost) {}
    func reloaded(host: ConsoleHost, error: String?) {}
}
