import ChatPOSIX
import ChatTLS

#if canImport(Glibc)
import Glibc
#endif

/// How chat-tui speaks TLS to one server (ircs://, --tls): the context (the system's CA
/// store), the pinned fingerprint if any, and where first-use trust is remembered.
struct ClientTLS {
    let context: TLSContext
    let pinned: TLSFingerprint?
    let knownHosts: KnownHosts?
    /// `host:port`, the key in the known-hosts file.
    let server: String
    let host: String

    /// The verdict on a connection whose handshake is done.
    func judge(_ tls: TLSConnection) -> (CertificateTrust, TLSFingerprint?) {
        guard let presented = tls.peerFingerprint else { return (.unknown(problem: "no certificate"), nil) }
        let trust = CertificateTrust.judge(presented: presented, verificationProblem: tls.verificationProblem, pinned: pinned,
                                           remembered: knownHosts?.fingerprint(for: server))
        return (trust, presented)
    }

    /// One line for a certificate refused after the handshake; nil when trusted.
    func refusal(_ tls: TLSConnection) -> String? {
        let (trust, presented) = judge(tls)
        guard let presented else { return "\(server) sent no certificate" }
        return trust.refusal(host: server, presented: presented, knownHostsPath: knownHosts?.path ?? "the known-hosts file")
    }

    /// Before the screen starts, as ssh does: connects once, and for a certificate neither
    /// the CA store nor the known-hosts file vouches for, shows its fingerprint and asks on
    /// the terminal; yes remembers it. A changed or unpinned certificate ends here with the
    /// reason (status 1). A server that cannot be reached now is left to the screen's
    /// reconnects.
    func firstContact(port: Int) -> (ok: Bool, message: String?) {
        guard let addresses = try? SocketAddress.resolve(host: host, port: port), let address = addresses.first,
              let tls = try? TLSConnection(context: context, host: host),
              let connection = try? Connection(address: address, tls: tls) else { return (true, nil) }
        let deadline = Proc.monotonicNanos() + 15_000_000_000
        var started = false
        while Proc.monotonicNanos() < deadline && !tls.handshakeDone {
            var p = [pollfd(fd: connection.fd, events: Poll.readable | (connection.wantsWrite ? Poll.writable : 0), revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 200)
            if !connection.isOpen {
                guard p[0].revents != 0 else { continue }
                guard (try? connection.finishOpen()) != nil else { return (true, nil) }
            }
            if !started {
                started = true
                guard (try? connection.startTLS()) != nil else { return (true, nil) }
            }
            if (try? connection.flush()) == nil { return (true, nil) }
            if p[0].revents & (Poll.readable | Poll.hangup | Poll.error) != 0 {
                guard let outcome = try? connection.read(maxBytes: 65536, deadline: deadline, { _ in }) else { return (true, nil) }
                if case .tlsFailed(let why) = outcome { return (false, Self.handshakeFailure(server, why)) }
                if outcome == .closed { return (true, nil) }
                _ = try? connection.flush()
            }
        }
        guard tls.handshakeDone else { return (true, nil) }
        let (trust, presented) = judge(tls)
        guard let presented else { return (false, "\(server) sent no certificate") }
        guard case .unknown(let problem) = trust else {
            return (trust == .trusted, trust.refusal(host: server, presented: presented, knownHostsPath: knownHosts?.path ?? ""))
        }
        FD.writeAllIgnoringErrors(1, """
            The certificate of \(server) is not vouched for by a certificate authority (\(problem)).
            Its SHA-256 fingerprint is \(presented)
            Trust it and remember it for \(server)? (yes/no) 
            """)
        var answer: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        while answer.count < 64 {
            guard case .done(1)? = byte.withUnsafeMutableBytes({ try? FD.read(0, into: $0) }) else { break }
            if byte[0] == 10 { break }
            answer.append(byte[0])
        }
        let text = String(decoding: answer, as: UTF8.self).trimmingCharacters(in: " \r\t")
        guard text.lowercased() == "yes" else { return (false, "not connecting to \(server): its certificate is not trusted") }
        guard let knownHosts else { return (false, "cannot remember the certificate: neither XDG_DATA_HOME nor HOME is set") }
        do {
            try knownHosts.remember(presented, for: server)
        } catch {
            return (false, "cannot remember the certificate in \(knownHosts.path): \(error)")
        }
        FD.writeAllIgnoringErrors(1, "Remembered in \(knownHosts.path).\n")
        return (true, nil)
    }

    /// A handshake that failed: the server's words, and the likely cause.
    static func handshakeFailure(_ server: String, _ why: String) -> String {
        "the TLS handshake with \(server) failed (\(why)): does this port speak TLS? Without ircs:// or --tls chat-tui speaks plaintext"
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
