/// How the hub answered a SASL login (`authenticate` request).
public enum SASLOutcome: UInt8, Equatable, Sendable {
    /// Logged in (IRC 903, after 900).
    case success = 0
    /// Wrong account or password, a frozen account, a throttled address (IRC 904).
    case failure = 1
    /// Already logged in (IRC 907).
    case alreadyAuthenticated = 2
}
