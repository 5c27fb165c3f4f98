import ChatTLS

/// Whether to talk to a TLS server, from what its certificate is and what we know: a pinned
/// fingerprint (`--tls-fingerprint`) decides alone; otherwise a certificate the system's CA
/// store vouches for (with the host name) is trusted, and a self-signed one is trusted on
/// first use, as ssh does: remembered per host, refused loudly if it changes.
enum CertificateTrust: Equatable {
    case trusted
    /// Never seen: ask the user (`problem`: why the CA check failed).
    case unknown(problem: String)
    /// Remembered for this host, and now another: refuse.
    case changed(remembered: TLSFingerprint)
    /// Not the one `--tls-fingerprint` pinned.
    case pinMismatch(pinned: TLSFingerprint)

    static func judge(presented: TLSFingerprint, verificationProblem: String?, pinned: TLSFingerprint?,
                      remembered: TLSFingerprint?) -> CertificateTrust {
        if let pinned { return pinned == presented ? .trusted : .pinMismatch(pinned: pinned) }
        if let remembered, remembered != presented { return .changed(remembered: remembered) }
        if remembered != nil { return .trusted }
        guard let problem = verificationProblem else { return .trusted }
        return .unknown(problem: problem)
    }

    /// One line for a refusal (nil when trusted): what happened and what to do.
    func refusal(host: String, presented: TLSFingerprint, knownHostsPath: String) -> String? {
        switch self {
        case .trusted: return nil
        case .unknown(let problem):
            return "the certificate of \(host) is not trusted (\(problem)); its fingerprint is \(presented): restart chat-tui to be asked, or pin it with --tls-fingerprint"
        case .changed(let remembered):
            return "THE CERTIFICATE OF \(host) HAS CHANGED: it was \(remembered), it is now \(presented). Someone may be intercepting the connection. If the server really has a new certificate, remove its line from \(knownHostsPath)"
        case .pinMismatch(let pinned):
            return "the certificate of \(host) is \(presented), not the \(pinned) given with --tls-fingerprint"
        }
    }
}
