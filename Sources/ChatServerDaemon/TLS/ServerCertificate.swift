import ChatPOSIX
import ChatProtocol
import ChatTLS

/// The server's TLS certificate chain and private key as read from their PEM files, checked
/// (they parse, and the key is the certificate's) by building a context from them. The hub
/// reads them at start-up and on every reload and hands them to the spawner, which builds the
/// context the sessions inherit (docs/SECURITY.md says what a session can read).
struct ServerCertificate: Equatable {
    var chainPEM: [UInt8]
    var keyPEM: [UInt8]
    var fingerprint: TLSFingerprint

    /// The most the two files may hold together: they travel to the spawner in one frame.
    static let maxBytes = 60 * 1024

    /// Reads and checks both files; a `StartupError` naming the file and the problem.
    static func load(certificate: String, key: String) throws -> ServerCertificate {
        func read(_ path: String, _ what: String) throws -> [UInt8] {
            do { return try FD.readFile(path, limit: maxBytes) } catch {
                throw StartupError("cannot read the TLS \(what) \(path): \(error)")
            }
        }
        let chain = try read(certificate, "certificate"), keyBytes = try read(key, "key")
        if chain.count + keyBytes.count > maxBytes {
            throw StartupError("the TLS certificate and key together are over \(maxBytes / 1024) KiB")
        }
        do {
            _ = try TLSContext.server(chainPEM: chain, keyPEM: keyBytes)
        } catch {
            throw StartupError("bad TLS certificate \(certificate) or key \(key): \(error)")
        }
        guard let fingerprint = TLSContext.fingerprint(ofPEM: chain) else {
            throw StartupError("bad TLS certificate \(certificate): no PEM certificate in it")
        }
        return ServerCertificate(chainPEM: chain, keyPEM: keyBytes, fingerprint: fingerprint)
    }

    /// hub → spawner: the certificate chain for the sessions forked from now on; never the key.
    var frame: [UInt8] {
        HubFrame.make(type: HubMessageType.spawnerCertificate.rawValue) { w in
            w.string(String(decoding: chainPEM, as: UTF8.self))
        }
    }

    /// The spawner's side: a context from a `frame`, its signatures asked of the hub; nil for
    /// anything else.
    static func context(fromFrame raw: UnsafeRawBufferPointer) -> TLSContext? {
        FrameDecoder.onlyFrame(in: raw) { type, payload -> TLSContext? in
            guard type == HubMessageType.spawnerCertificate.rawValue else { return nil }
            var r = BinaryReader(payload)
            guard let chain = try? r.string(), r.remaining == 0 else { return nil }
            return try? TLSContext.server(chainPEM: Array(chain.utf8))
        }
    }
}
