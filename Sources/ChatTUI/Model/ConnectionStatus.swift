import ChatProtocol

/// The connection as the status bar tells it.
enum ConnectionStatus: Equatable, Sendable {
    case idle
    case connecting
    case registering
    case connected
    case disconnected(reason: String, retryAt: Int64?)
}
