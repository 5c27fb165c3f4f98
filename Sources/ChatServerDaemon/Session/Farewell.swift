/// Why a session ends a connection on its own, with a last line to the client (worded by its
/// `Conversation`) and a quit reason for the hub.
enum Farewell: Equatable {
    /// No registration (nick) within the registration timeout.
    case registrationTimeout
    /// No answer to a PING within `seconds`.
    case pingTimeout(seconds: Int)
    /// The operator signalled the session (SIGTERM, SIGINT).
    case serverShuttingDown
    /// More lines held back by flood control than a paste would explain.
    case excessFlood
    /// The hub's channel ended or carried something unreadable; `why` says which.
    case hubLost(String)

    /// The quit reason the hub announces to others.
    var reason: String {
        switch self {
        case .registrationTimeout: return "Registration timeout"
        case .pingTimeout(let seconds): return "Ping timeout: \(seconds) seconds"
        case .serverShuttingDown: return "Server shutting down"
        case .excessFlood: return "Excess flood"
        case .hubLost(let why): return why
        }
    }

    /// Whether the hub is told (not when it is the one that went away).
    var tellsHub: Bool {
        if case .hubLost = self { return false }
        return true
    }
}
