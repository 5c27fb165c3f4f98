/// Where a connection's SASL login stands (`ClientState+SASL`); `idle` until the server's
/// capabilities are known.
enum SASLStage: Equatable, Sendable {
    /// Nothing asked yet (or no login configured).
    case idle
    /// `CAP REQ` asked for `sasl`: waiting for its ACK or NAK.
    case requested
    /// `AUTHENTICATE` sent: registration (CAP END) waits for 903 or a failure.
    case authenticating
    /// Over, logged in or not: nothing more to do on this connection.
    case done
}
