import ChatPOSIX
import ChatProtocol
import ChatTLS

/// TLS in the hub: which listeners speak it, the session settings that say so, and the
/// certificate the spawner is given (at its start and after a reload that changed it). The
/// hub never runs TLS itself: the handshake and the records are the session's.
extension Hub {
    /// The settings of a session whose client reached `tlsPort` (0: a plain listener); a
    /// plain one learns the TLS port for IRCv3 `sts`, a TLS one the policy's duration.
    func sessionConfig(tlsPort: Int) -> SessionConfig {
        var c = config.sessionConfig()
        c.tlsPort = tlsPort
        if tlsPort == 0, let first = tlsListeners.min() { c.stsPort = listeners[first].address.port }
        if tlsPort != 0 { c.stsDuration = config.stsDuration }
        return c
    }

    /// Sends the certificate if the spawner still needs it; false when its channel is full
    /// (the spawn requests wait behind it: writable wakes us).
    func sendCertificate() -> Bool {
        guard certificateToSend, let channel = spawnerChannel, let certificate = config.certificate else { return true }
        switch Result(catching: { () throws(SystemError) in try Socket.send(channel, certificate.frame) }) {
        case .success(.done):
            certificateToSend = false
            tlsKey = try? TLSKeyHolder(keyPEM: certificate.keyPEM)
            log.info("TLS certificate \(certificate.fingerprint) for new connections")
            return true
        case .success(.wouldBlock), .success(.eof):
            try? epoll.modify(channel, events: Epoll.readable | Epoll.writable, data: Tag.spawner.with(0))
            return false
        case .failure(let error):
            spawnerLost("sending the certificate failed (\(error))")
            return false
        }
    }
}

extension Hub {
    /// A TLS session's handshake signature, with the key only the hub holds: once per
    /// session on a TLS port; any other ask is refused (an empty answer fails that handshake)
    /// and logged, so a compromised session cannot use the hub to sign at will.
    func tlsSign(_ id: Int, kind: UInt8, padding: UInt8, input: [UInt8]) {
        let allowed = slots[id]?.mayAskTLSSignature == true
        slots.update(id) { $0.mayAskTLSSignature = false }
        var signature: [UInt8] = []
        if allowed, let tlsKey, let s = tlsKey.sign(kind: kind, padding: padding, input: input) {
            signature = s
        } else {
            log.warning("session \(id) asked for a TLS signature it may not have (or one that cannot be made); refused")
        }
        deliver(HubEvent.tlsSignature(signature).frame(), to: id)
    }
}
