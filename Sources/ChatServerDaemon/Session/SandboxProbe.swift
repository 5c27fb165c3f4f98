import ChatPOSIX

/// A session that tests its own sandbox, for the tests only: in a debug build, the variable
/// `CHAT_SERVER_SANDBOX_PROBE` in the server's environment (`NAME`, or `NAME@N` for the Nth
/// session only) makes sessions try one thing the sandbox must stop, at their start, so that
/// the tests see what a compromised session would really get. Release builds never read it.
enum SandboxProbe: String {
    /// Before its filter, the session makes installing a filter fail (as a kernel without
    /// seccomp filters would): its own installation then fails for real.
    case refuseFilter = "refuse-filter"
    /// Under its filter, the session writes to stderr (the server's terminal or log) and
    /// tells its client what happened.
    case writeStderr = "write-stderr"
    /// Under its filter, the session maps executable memory.
    case mapExecutable = "map-executable"

    static let variable = "CHAT_SERVER_SANDBOX_PROBE"

    /// What the server's environment asks for, and for which session (1 for the first one the
    /// spawner forks; nil for all); read once, by the spawner.
    static func fromEnvironment() -> (probe: SandboxProbe, session: Int?)? {
        #if DEBUG
        guard let value = Proc.environment(variable) else { return nil }
        let parts = value.split(separator: "@", maxSplits: 1).map(String.init)
        guard let probe = parts.first.flatMap(SandboxProbe.init(rawValue:)) else { return nil }
        return (probe, parts.count == 2 ? Int(parts[1]) : nil)
        #else
        return nil
        #endif
    }

    /// What a marker written to stderr says; the tests look for it in the server's log.
    static let stderrMarker = "sandbox probe wrote this to stderr"

    /// Right before the session installs its filter.
    func beforeFilter() {
        if self == .refuseFilter { try? Proc.refuseLaterSeccompFilters() }
    }

    /// Right after: the forbidden act. `client` is the client's socket, told the outcome.
    func underFilter(client: Int32) {
        switch self {
        case .refuseFilter:
            break
        case .writeStderr:
            let outcome: String
            do {
                try FD.writeAll(2, Self.stderrMarker + "\n")
                outcome = "written"
            } catch {
                outcome = "refused (\(error))"
            }
            FD.writeAllIgnoringErrors(client, "sandbox probe: stderr \(outcome)\r\n")
        case .mapExecutable:
            let outcome = (try? Proc.mapExecutablePage()) == nil ? "refused" : "mapped"
            FD.writeAllIgnoringErrors(client, "sandbox probe: executable memory \(outcome)\r\n")
        }
    }
}
