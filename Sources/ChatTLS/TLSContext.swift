import CSSL

/// What every TLS connection of one side shares: the server's certificate chain and private
/// key, or a client's trust store. Made once (the server: at start-up and on each reload, in
/// the spawner; sessions inherit it across the fork).
public final class TLSContext {
    let raw: OpaquePointer
    public let isServer: Bool

    private init(raw: OpaquePointer, isServer: Bool) {
        self.raw = raw
        self.isServer = isServer
    }

    deinit { SSL_CTX_free(raw) }

    /// A server's context from PEM bytes: the certificate chain (leaf first) and its key.
    public static func server(chainPEM: [UInt8], keyPEM: [UInt8]) throws(TLSError) -> TLSContext {
        var err = [CChar](repeating: 0, count: 256)
        let ctx = chainPEM.withUnsafeBytes { chain in
            keyPEM.withUnsafeBytes { key in
                cssl_server_context(chain.baseAddress, Int32(chain.count), key.baseAddress, Int32(key.count), &err, err.count)
            }
        }
        guard let ctx else { throw TLSError(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        return TLSContext(raw: ctx, isServer: true)
    }

    /// A client's context with the system's CA store; certificates are judged after the
    /// handshake (`TLSConnection.verification`), so that a caller may trust one on first use.
    /// `systemStore` false: no CA store read (a client that trusts whatever it reaches).
    public static func client(systemStore: Bool = true) throws(TLSError) -> TLSContext {
        var err = [CChar](repeating: 0, count: 256)
        guard let ctx = cssl_client_context(systemStore ? 1 : 0, &err, err.count) else {
            throw TLSError(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSContext(raw: ctx, isServer: false)
    }

    /// Presents the certificate and private key of PEM bytes (one file holding both) to the
    /// servers this client context reaches (SASL EXTERNAL); throws when they do not parse or match.
    public func useClientCertificate(pem: [UInt8]) throws(TLSError) {
        var err = [CChar](repeating: 0, count: 256)
        let ok = pem.withUnsafeBytes { cssl_client_use_certificate(raw, $0.baseAddress, Int32($0.count), &err, err.count) }
        guard ok == 1 else { throw TLSError(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
    }

    /// The SHA-256 fingerprint of the first certificate in PEM bytes; nil when there is none.
    public static func fingerprint(ofPEM pem: [UInt8]) -> TLSFingerprint? {
        var md = [UInt8](repeating: 0, count: 32)
        let ok = pem.withUnsafeBytes { cssl_pem_fingerprint($0.baseAddress, Int32($0.count), &md) }
        return ok == 1 ? TLSFingerprint(bytes: md) : nil
    }
}

extension TLSContext {
    /// The signature of the function that signs for a context whose key is elsewhere: `kind`
    /// 1 (ECDSA over a digest, DER out) or 2 (an RSA private-key operation with `padding`),
    /// the input, and room for the answer; its length, or -1.
    public typealias Signer = @convention(c) (Int32, Int32, UnsafePointer<UInt8>?, Int32, UnsafeMutablePointer<UInt8>?, Int32) -> Int32

    /// Where every context made by `server(chainPEM:)` (without a key) sends its signatures.
    public static func signElsewhere(through signer: Signer) { cssl_set_signer(signer) }

    /// A server's context without its private key: the certificate chain only, and every
    /// signature of a handshake asked of the function given to `signElsewhere` (the process
    /// that runs TLS never holds the key).
    public static func server(chainPEM: [UInt8]) throws(TLSError) -> TLSContext {
        var err = [CChar](repeating: 0, count: 256)
        let ctx = chainPEM.withUnsafeBytes { chain in
            cssl_server_context_delegated(chain.baseAddress, Int32(chain.count), &err, err.count)
        }
        guard let ctx else { throw TLSError(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        return TLSContext(raw: ctx, isServer: true)
    }
}
