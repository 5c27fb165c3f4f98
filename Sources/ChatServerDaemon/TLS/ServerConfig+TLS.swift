/// The TLS part of the settings: the certificate, read (and checked) at start-up and on
/// every reload, all or nothing with the rest.
extension ServerConfig {
    mutating func reloadCertificate() throws {
        switch (limits.tlsCertificate, limits.tlsKey) {
        case (nil, nil):
            if !tlsListen.isEmpty { throw StartupError("--tls-listen needs --tls-cert and --tls-key (PEM files)") }
            certificate = nil
        case (let cert?, let key?):
            certificate = try ServerCertificate.load(certificate: cert, key: key)
        case (nil, _?):
            throw StartupError("--tls-key needs --tls-cert (the certificate chain, PEM)")
        case (_?, nil):
            throw StartupError("--tls-cert needs --tls-key (the private key, PEM)")
        }
    }

    /// A day: long enough for a client to keep to TLS between visits, short enough that a
    /// server that drops TLS (or its certificate's validity) strands no one for long. Ergo
    /// ships sts off, with about a month in its example; a TLS port here always offers sts.
    static let defaultSTSDuration = 86_400
    /// A year, the most `--sts-duration` takes.
    static let longestSTSDuration = 365 * 86_400
}

extension Limits {
    /// A path in the config file, relative to the file's directory.
    static func relative(_ value: String, to configFile: String) -> String {
        if value.hasPrefix("/") { return value }
        guard let slash = configFile.lastIndex(of: "/") else { return value }
        return String(configFile[...slash]) + value
    }
}
