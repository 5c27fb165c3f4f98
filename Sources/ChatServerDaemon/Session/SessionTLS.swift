import ChatTLS

/// A TLS session's record layer and what it owes the client: the connection (OpenSSL over
/// memory buffers) and the encrypted bytes not yet written to the socket.
final class SessionTLS {
    let connection: TLSConnection
    /// Bytes for the socket: handshake and records, or the one plaintext line that tells a
    /// plaintext client this port speaks TLS.
    var wire: SendQueue
    /// The port the client reached, for "try ircs://host:PORT".
    let port: Int
    /// Whether the client has sent anything (a TLS client speaks first: its ClientHello).
    var heardFrom = false
    /// When the handshake finished: the quiet period that decides the dialect starts then.
    var handshakeDoneAt: UInt64?
    /// The SHA-256 fingerprint of the client's certificate (lower-case hex), once the handshake
    /// is done; nil when it presented none.
    var clientCertificate: String?
    /// Plaintext read but not yet framed (reused).
    var plaintext: [UInt8] = []

    init(context: TLSContext, port: Int, queueLimit: Int) throws(TLSError) {
        connection = try TLSConnection(context: context)
        self.port = port
        // Records add a little to every line; the bound is the plaintext one, and some.
        wire = SendQueue(limit: queueLimit + queueLimit / 8 + 64 * 1024)
    }

    /// Moves what the connection has for the network (handshake, records, alerts) to `wire`.
    func collect() {
        guard connection.hasOutput else { return }
        var out: [UInt8] = []
        connection.takeOutput(into: &out)
        wire.append(out)
    }

    /// Drops the buffers an idle connection does not need (with the session's, after a burst).
    func releaseMemory() {
        wire.releaseMemory()
        plaintext = []
    }

    /// The first byte of a TLS record that carries a handshake (a ClientHello).
    static let handshakeRecord: UInt8 = 0x16

    /// A fatal TLS alert (handshake_failure), what a plain port answers a ClientHello with, so
    /// that a TLS client reports a failed handshake rather than garbage.
    static let handshakeFailureAlert: [UInt8] = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]

    /// How long a client on a TLS port may stay silent before it is taken for a person with a
    /// plaintext client and told to use TLS (a TLS client sends its ClientHello at once).
    static let silenceBeforeHintNanos: UInt64 = 3_000_000_000
}
