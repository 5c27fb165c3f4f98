import ChatPOSIX

/// One network's connection as the event loop holds it: the server, the socket, the
/// addresses left to try, the reconnect timer and its backoff, TLS and the log files. The
/// loop keeps one a network, in the order of `ClientNetworks.networks`.
final class NetworkLink {
    let host: String
    let port: Int
    /// ircs:// or --tls: how to speak TLS and whom to trust (nil: plaintext).
    let tls: ClientTLS?
    var logs: LogFiles?
    /// The server said, in plaintext, that its port speaks TLS.
    var serverSaidTLS = false
    var connection: Connection?
    var addresses: [SocketAddress] = []
    var lastConnectError = ""
    var connectedAt: Int64?
    /// When the connect in progress gives up (a server that never answers a SYN would
    /// otherwise keep us waiting for the kernel's two minutes).
    var connectDeadline: Int64?
    var reconnectAt: Int64?
    var backoff = ReconnectBackoff()
    /// The last read stopped at its budget with more waiting.
    var socketHasMore = false

    init(host: String, port: Int, tls: ClientTLS?) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    var server: String { "\(host):\(port)" }
}
