import CSSL

/// The private key, in the one process that signs for the others (`TLSContext.signElsewhere`):
/// it answers the two operations a handshake needs and nothing else.
public final class TLSKeyHolder {
    private let key: OpaquePointer

    public init(keyPEM: [UInt8]) throws(TLSError) {
        guard let k = keyPEM.withUnsafeBytes({ cssl_private_key($0.baseAddress, Int32($0.count)) }) else {
            throw TLSError("no PEM private key")
        }
        key = k
    }

    deinit { EVP_PKEY_free(key) }

    /// The largest input an operation takes (an RSA modulus of 8192 bits).
    public static let maxInput = 1024

    /// `kind` 1: ECDSA over a digest (at most 64 bytes), DER out; 2: the RSA private-key
    /// operation with `padding` (none or PKCS#1). Nil for anything else.
    public func sign(kind: UInt8, padding: UInt8, input: [UInt8]) -> [UInt8]? {
        guard input.count <= Self.maxInput else { return nil }
        var out = [UInt8](repeating: 0, count: 1100)
        let n = input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                cssl_sign_with(key, Int32(kind), Int32(padding), i.baseAddress, Int32(i.count), o.baseAddress, Int32(o.count))
            }
        }
        return n > 0 ? Array(out[..<Int(n)]) : nil
    }
}
