/// A registered account (NickServ REGISTER): its name as registered, the argon2id hash of its
/// password (never the password), when it was registered (Unix seconds), and whether the
/// operator froze it (a frozen account cannot be logged into), and its client certificates.
struct Account: Equatable {
    var name: String
    var hash: String
    var registeredAt: Int64
    var frozen = false
    /// The SHA-256 fingerprints of the TLS client certificates that log in to it (NickServ
    /// CERT, SASL EXTERNAL), 64 lower-case hex digits each, in the order added.
    var certificates: [String] = []
}
