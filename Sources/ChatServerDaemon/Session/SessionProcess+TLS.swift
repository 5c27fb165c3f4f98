import ChatPOSIX
import ChatProtocol
import ChatTLS

/// A session on a TLS port: the client's bytes go through the TLS connection before the
/// telnet filter and the framer, and what the conversation writes is sealed into records.
/// The dialect is decided on the plaintext, after the handshake, exactly as on a plain port.
/// On a plain port, a ClientHello is answered with a TLS alert instead of a greeting.
extension SessionProcess {
    /// Bytes from a TLS client: through the handshake and the record layer, then on as
    /// plaintext. Anything that is not TLS ends this session only.
    func receiveTLS(_ bytes: UnsafeRawBufferPointer, _ tls: SessionTLS) {
        if !tls.heardFrom {
            tls.heardFrom = true
            guard bytes.first == SessionTLS.handshakeRecord else { return plaintextOnTLSPort(tls) }
        }
        tls.connection.feed(bytes)
        do {
            try tls.connection.readPlaintext(into: &tls.plaintext)
        } catch {
            tls.collect()
            output.close(reason: "TLS error: \(error)")
            return
        }
        if tls.connection.handshakeDone && tls.handshakeDoneAt == nil {
            tls.handshakeDoneAt = Proc.monotonicNanos()
            tlsEstablished(tls)
        }
        tls.collect()
        if !tls.plaintext.isEmpty {
            tls.plaintext.withUnsafeBytes { consume($0) }
            tls.plaintext.removeAll(keepingCapacity: true)
        }
        if tls.connection.peerClosed { clientGone = true }
    }

    /// The handshake is done: the hub learns the version and cipher (the console's `who`) and
    /// the client certificate's fingerprint (SASL EXTERNAL), and
    /// a second after the registration's burst the session gives back what the handshake left
    /// (its buffers and key exchange were freed into heap pages this session alone had written).
    func tlsEstablished(_ tls: SessionTLS) {
        tls.clientCertificate = tls.connection.peerFingerprint?.plainHex
        output.request(.tlsInfo(version: tls.connection.version, cipher: tls.connection.cipher,
                                certificate: tls.clientCertificate ?? ""))
        releaseAt = Proc.monotonicNanos() + 1_000_000_000
    }

    /// A plaintext client on a TLS port (a line, or silence): one plaintext line that says
    /// where to go, then the end.
    func plaintextOnTLSPort(_ tls: SessionTLS) {
        tls.wire.append("ERROR :This port speaks TLS: try ircs://\(config.serverName):\(tls.port) (or ncat --ssl)\r\n")
        output.close(reason: "Plaintext on a TLS port")
    }

    /// Whether bytes that open a plain connection are a TLS ClientHello (a handshake record,
    /// version 3.x): a TLS client on a plain port.
    static func looksLikeClientHello(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == SessionTLS.handshakeRecord && bytes[1] == 3 && bytes[2] <= 4
    }

    /// A TLS client on a plain port: a TLS alert (it reports a failed handshake), then the end.
    func tlsOnPlainPort() {
        output.toClient.append(SessionTLS.handshakeFailureAlert)
        output.close(reason: "TLS on a plain port")
    }

    /// Whether anything waits for the client's socket.
    var clientHasOutput: Bool {
        if let tls { return !tls.wire.isEmpty || (tls.connection.handshakeDone && !output.toClient.isEmpty) }
        return !output.toClient.isEmpty
    }

    /// Seals what the conversation wrote into records (once the handshake is done) and writes
    /// what the socket takes. False when the client is gone.
    func flushTLS(_ tls: SessionTLS) -> Bool {
        if tls.connection.handshakeDone && !output.toClient.isEmpty {
            var failed = false
            output.toClient.drain { plaintext in
                if (try? tls.connection.write(plaintext)) == nil { failed = true }
            }
            if failed { return false }
            tls.collect()
        }
        return tls.wire.isEmpty || tls.wire.flush(to: socketFD)
    }

    /// The TLS port's own timer: silence past `silenceBeforeHintNanos` is a plaintext client;
    /// a handshake not done within the registration timeout ends the session.
    func tlsTimers(_ tls: SessionTLS, now: UInt64) {
        guard tls.handshakeDoneAt == nil, !output.isClosing else { return }
        if !tls.heardFrom && now >= startedAt + SessionTLS.silenceBeforeHintNanos {
            plaintextOnTLSPort(tls)
        } else if now >= startedAt + UInt64(config.registrationTimeout) * 1_000_000_000 {
            output.close(reason: "TLS handshake timeout")
        }
    }

    /// When the quiet period that decides the dialect ends: after the handshake on a TLS port
    /// (and until then, when the TLS timer is next due).
    var quietPeriodEnd: UInt64 {
        let quiet = UInt64(config.quietPeriodMS) * 1_000_000
        guard let tls else { return startedAt + quiet }
        if let done = tls.handshakeDoneAt { return done + quiet }
        return tls.heardFrom ? startedAt + UInt64(config.registrationTimeout) * 1_000_000_000
            : startedAt + SessionTLS.silenceBeforeHintNanos
    }
}
