/// Something else the hub's loop serves: the operator console (its terminal and control
/// socket). It sees the hub only as a `ConsoleHost`.
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
}

extension HubHook {
    func nextDeadline() -> UInt64? { nil }
    func tick(now: UInt64, host: ConsoleHost) {}
    func banReason(host: String) -> String? { nil }
    func shutdown(host: ConsoleHost) {}
}
