import CSSL

/// One TLS connection as a pure state machine: network bytes in (`feed`), plaintext out
/// (`readPlaintext`), plaintext in (`write`), network bytes out (`takeOutput`). It never
/// touches a descriptor (OpenSSL works on two memory BIOs), so it fits any event loop and any
/// sandbox: the server's session, chat-tui, the bench.
public final class TLSConnection {
    private let ssl: OpaquePointer
    /// Keeps the context alive as long as the connection.
    private let context: TLSContext
    public private(set) var handshakeDone = false
    /// The peer said close_notify.
    public private(set) var peerClosed = false

    /// `host`, for a client: the name sent (SNI) and checked against the certificate.
    public init(context: TLSContext, host: String? = nil) throws(TLSError) {
        guard let ssl = cssl_connection(context.raw, context.isServer ? 1 : 0, host ?? "") else {
            throw TLSError("cannot start a TLS connection (out of memory?)")
        }
        self.ssl = ssl
        self.context = context
    }

    deinit { SSL_free(ssl) }

    /// Bytes from the network.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = cssl_feed(ssl, base, Int32(bytes.count))
    }

    /// Advances the handshake, then appends whatever plaintext is ready to `plaintext`.
    /// Throws on a TLS error (a bad handshake, a bad record, a refused certificate).
    public func readPlaintext(into plaintext: inout [UInt8]) throws(TLSError) {
        if !handshakeDone {
            ERR_clear_error()
            let r = SSL_do_handshake(ssl)
            if r == 1 {
                handshakeDone = true
            } else {
                try check(r)
                return
            }
        }
        // One record at most per read; the chunk is not zero-filled (only what a record
        // writes into it is read back).
        let room = 16 * 1024
        var chunk = [UInt8](unsafeUninitializedCapacity: room) { _, count in count = room }
        while true {
            let read = chunk.withUnsafeMutableBytes { raw in Result { () throws(TLSError) in try readRecord(into: raw) } }
            let n = try read.get()
            if n == 0 { return }
            plaintext.append(contentsOf: chunk[..<n])
        }
    }

    /// Advances the handshake, then reads what plaintext is ready (at most one record's worth)
    /// into `buffer`: its length, 0 when nothing is ready yet. Allocates nothing, for loops that
    /// read many connections (the bench); call again until 0.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Int {
        if !handshakeDone {
            ERR_clear_error()
            let r = SSL_do_handshake(ssl)
            guard r == 1 else {
                try check(r)
                return 0
            }
            handshakeDone = true
        }
        return try readRecord(into: buffer)
    }

    private func readRecord(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        ERR_clear_error()
        let n = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if n > 0 { return Int(n) }
        try check(n)
        return 0
    }

    /// Moves up to `buffer.count` bytes for the network into `buffer`: how many (allocates nothing).
    public func takeOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return max(Int(cssl_take_out(ssl, base, Int32(clamping: buffer.count))), 0)
    }

    /// Encrypts plaintext for the peer (after the handshake; before it, nothing is written and
    /// false comes back: keep it and try again once `handshakeDone`).
    @discardableResult
    public func write(_ plaintext: UnsafeRawBufferPointer) throws(TLSError) -> Bool {
        guard handshakeDone else { return false }
        var offset = 0
        while offset < plaintext.count {
            ERR_clear_error()
            let n = SSL_write(ssl, plaintext.baseAddress! + offset, Int32(min(plaintext.count - offset, 1 << 20)))
            if n <= 0 {
                try check(n)
                return false
            }
            offset += Int(n)
        }
        return true
    }

    /// Says close_notify to the peer (its bytes then wait in `takeOutput`).
    public func close() {
        if handshakeDone { _ = SSL_shutdown(ssl) }
    }

    /// Whether there are bytes for the network.
    public var hasOutput: Bool { cssl_pending_out(ssl) > 0 }

    /// Appends the bytes for the network to `out`.
    public func takeOutput(into out: inout [UInt8]) {
        let pending = Int(cssl_pending_out(ssl))
        guard pending > 0 else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: pending))
        let n = out.withUnsafeMutableBytes { cssl_take_out(ssl, $0.baseAddress! + start, Int32(pending)) }
        out.removeLast(pending - max(Int(n), 0))
    }

    /// "TLSv1.3", after the handshake.
    public var version: String { String(cString: SSL_get_version(ssl)) }

    /// "TLS_AES_256_GCM_SHA384", after the handshake.
    public var cipher: String { SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "" }

    /// The peer's certificate fingerprint, after the handshake.
    public var peerFingerprint: TLSFingerprint? {
        var md = [UInt8](repeating: 0, count: 32)
        return cssl_peer_fingerprint(ssl, &md) == 1 ? TLSFingerprint(bytes: md) : nil
    }

    /// The certificate check (chain to the system's CA store, and the host name given at
    /// `init`): nil when it passed, else why not ("self-signed certificate", "hostname mismatch").
    public var verificationProblem: String? {
        let r = cssl_verify_result(ssl)
        return r == 0 ? nil : String(cString: cssl_verify_text(r))
    }

    /// Wants more bytes or is done for now: fine. The peer closed: noted. Anything else: why.
    private func check(_ result: Int32) throws(TLSError) {
        let e = SSL_get_error(ssl, result)
        switch e {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return
        case SSL_ERROR_ZERO_RETURN: peerClosed = true; return
        default:
            var buf = [CChar](repeating: 0, count: 256)
            cssl_last_error(&buf, buf.count)
            let text = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TLSError(text.isEmpty ? "TLS error \(e)" : text)
        }
    }
}
