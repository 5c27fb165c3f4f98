import ChatProtocol

/// How chat-tui logs in while it connects (the configuration's `sasl_*` keys): SASL PLAIN
/// with an account and its password, or EXTERNAL, where the TLS client certificate
/// (`tls_cert`) is the credential.
struct SASLLogin: Equatable, Sendable {
    enum Mechanism: String, Equatable, Sendable {
        case plain = "PLAIN", external = "EXTERNAL"
    }

    var mechanism: Mechanism
    /// The account (PLAIN's authentication identity); unused by EXTERNAL.
    var username = ""
    var password = ""

    /// The longest piece one `AUTHENTICATE` line carries (IRCv3 sasl-3.1).
    static let chunk = 400

    /// The `AUTHENTICATE` parameters that carry the answer to the server's `+`: PLAIN's
    /// `authzid NUL authcid NUL password` (both identities the account, as irssi and WeeChat
    /// send them), EXTERNAL's empty authorization identity, in base64 pieces of 400 bytes,
    /// with a `+` after a last piece of exactly 400 (and for an empty answer).
    var payloadLines: [String] {
        let message: [UInt8] = mechanism == .plain
            ? Array(username.utf8) + [0] + Array(username.utf8) + [0] + Array(password.utf8)
            : []
        let encoded = Array(Base64.encode(message).utf8)
        var lines: [String] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + Self.chunk, encoded.count)
            lines.append(String(decoding: encoded[start..<end], as: UTF8.self))
            start = end
        }
        if encoded.count % Self.chunk == 0 { lines.append("+") }
        return lines
    }
}
