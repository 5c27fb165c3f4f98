/// One client's SASL exchange (IRCv3 sasl-3.1/3.2, `AUTHENTICATE`), mechanisms PLAIN and
/// EXTERNAL: what to answer each `AUTHENTICATE` line, without I/O. The session sends the
/// login it yields to the hub (`authenticate`, `authenticateExternal`) and renders the hub's
/// verdict.
///
/// `AUTHENTICATE PLAIN` → `AUTHENTICATE +`; then the payload in base64, in lines of 400
/// bytes (a line of exactly 400 means more follows; `+` alone is an empty last piece);
/// `authzid NUL authcid NUL password`, with `authzid` empty or the same as `authcid`.
/// `AUTHENTICATE EXTERNAL` → `AUTHENTICATE +`; then the authorization identity the same way
/// (usually `+`, none): the TLS client certificate is the credential (RFC 4422 appendix A).
public struct SASLExchange: Equatable, Sendable {
    /// What the session does with one `AUTHENTICATE` line.
    public enum Step: Equatable, Sendable {
        /// Send `AUTHENTICATE +`: the client may send its payload.
        case challenge
        /// A 400-byte piece was kept: wait for the rest.
        case more
        /// Ask the hub to log `account` in with `password`.
        case login(account: String, password: String)
        /// Ask the hub to log in by the client's certificate; `account` is the authorization
        /// identity, empty for "whichever account holds the certificate".
        case external(account: String)
        /// 904: a payload that is not base64 or not a PLAIN message, or longer than `maxPayload`.
        case failed
        /// 905: a line of the payload is longer than 400 bytes.
        case tooLong
        /// 906: the client aborted (`AUTHENTICATE *`).
        case aborted
        /// 908 (the mechanisms offered), then 904: a mechanism other than PLAIN and EXTERNAL.
        case unknownMechanism
    }

    /// The mechanisms offered (`CAP LS 302`'s `sasl=` value and 908).
    public static let mechanisms = "PLAIN,EXTERNAL"
    /// The longest piece a line carries.
    public static let chunk = 400
    /// The longest whole payload, in base64 bytes: room for a 300-byte password and two names.
    public static let maxPayload = 1200

    /// The base64 received so far; nil while no exchange is under way.
    private var payload: [UInt8]?
    /// Whether the exchange under way is EXTERNAL's.
    private var external = false

    public init() {}

    /// Whether an exchange is under way (between `AUTHENTICATE PLAIN` and its end).
    public var isUnderWay: Bool { payload != nil }

    /// The answer to `AUTHENTICATE <parameter>`.
    public mutating func receive(_ parameter: String) -> Step {
        if parameter == "*" {
            payload = nil
            return .aborted
        }
        guard var kept = payload else {
            switch parameter.uppercased() {
            case "PLAIN": external = false
            case "EXTERNAL": external = true
            default: return .unknownMechanism
            }
            payload = []
            return .challenge
        }
        if parameter.utf8.count > Self.chunk {
            payload = nil
            return .tooLong
        }
        // Endless 400-byte lines: a failure (904), as irctest and Ergo have it.
        if kept.count + parameter.utf8.count > Self.maxPayload {
            payload = nil
            return .failed
        }
        if parameter != "+" { kept.append(contentsOf: parameter.utf8) }
        if parameter.utf8.count == Self.chunk {
            payload = kept
            return .more
        }
        payload = nil
        guard let bytes = Base64.decode(String(decoding: kept, as: UTF8.self)) else { return .failed }
        if external {
            guard !bytes.contains(0), let authzid = String(validating: bytes, as: UTF8.self) else { return .failed }
            return .external(account: authzid)
        }
        return Self.plain(bytes).map { .login(account: $0.account, password: $0.password) } ?? .failed
    }

    /// `authzid NUL authcid NUL password` (RFC 4616): the account and password; nil when the
    /// message is malformed, a part is not UTF-8, `authcid` or the password is empty, or
    /// `authzid` names another account than `authcid`.
    public static func plain(_ message: [UInt8]) -> (account: String, password: String)? {
        let parts = message.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty, !parts[2].contains(0) else { return nil }
        guard let authzid = String(validating: parts[0], as: UTF8.self),
              let authcid = String(validating: parts[1], as: UTF8.self),
              let password = String(validating: parts[2], as: UTF8.self) else { return nil }
        guard authzid.isEmpty || authzid == authcid else { return nil }
        return (authcid, password)
    }
}
