import ChatTLS

/// The TLS part of the rehearsal, played by the spawner each time it is given a certificate.
///
/// A session's first handshake is OpenSSL's first use of much of itself in that process: its
/// algorithm fetches fill the provider's method caches, the key exchange and the record layer
/// allocate their state. Each of those writes copies pages of the spawner into the session.
/// Played once here with the session's own record layer (`SessionTLS`) and the certificate in
/// force, they are done in pages every session then shares (with the heap given back after
/// the handshake, an idle TLS telnet user's private memory went from 336 to 232 KiB). The
/// spawner has no private key (the hub signs), so the rehearsal's handshake goes as far as the
/// server's signature and is refused there: everything before it (the ClientHello, the key
/// exchange, the handshake keys, the first encrypted records) is warm. What is left is
/// OpenSSL 3's own: every fetch and free of an algorithm takes a lock and moves a reference
/// count in objects spread over the spawner's heap, a page copied for each (docs/BENCHMARKS.md).
extension SessionRehearsal {
    /// Plays a client's handshake against `context` in memory; what is refused is expected.
    /// True when it went as far as the server's signature (for the tests).
    static func performTLS(context: TLSContext) -> Bool {
        askedToSign = false
        TLSContext.signElsewhere(through: refuseToSign)
        guard let client = try? TLSConnection(context: try TLSContext.client(systemStore: false), host: "rehearsal"),
              let server = try? SessionTLS(context: context, port: 6697, queueLimit: config.queueLimit) else { return false }
        var fromServer: [UInt8] = [], clientPlaintext: [UInt8] = []
        for _ in 0..<4 {
            try? client.readPlaintext(into: &clientPlaintext)
            var toServer: [UInt8] = []
            client.takeOutput(into: &toServer)
            guard !toServer.isEmpty else { break }
            toServer.withUnsafeBytes { server.connection.feed($0) }
            let failed = (try? server.connection.readPlaintext(into: &server.plaintext)) == nil
            server.collect()
            fromServer.removeAll(keepingCapacity: true)
            server.wire.drain { fromServer.append(contentsOf: $0) }
            fromServer.withUnsafeBytes { client.feed($0) }
            if failed { break }
        }
        server.releaseMemory()
        return askedToSign
    }

    /// Whether the last rehearsal's handshake asked for its signature.
    nonisolated(unsafe) private static var askedToSign = false

    /// The spawner's signer: it has no key (the sessions ask the hub).
    private static let refuseToSign: TLSContext.Signer = { _, _, _, _, _, _ in
        askedToSign = true
        return -1
    }
}
