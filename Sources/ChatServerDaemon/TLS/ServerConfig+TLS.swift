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
}

extension Limits {
    /// A path in the config file, relative to the file's directory.
    static func relative(_ value: String, to configFile: String) -> String {
        if value.hasPrefix("/") { return value }
        guard let slash = configFile.lastIndex(of: "/") else { return value }
        return String(configFile[...slash]) + value
    }
}
