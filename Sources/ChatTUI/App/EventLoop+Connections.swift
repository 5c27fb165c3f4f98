import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc   // pollfd only; the calls go through ChatPOSIX
#endif

/// Each network's connection: connecting (every address in turn, TLS), reading in slices,
/// losing it and trying again after its own backoff, `/connect` and `/disconnect`.
extension EventLoop {
    func connect(_ i: Int) {
        let link = links[i]
        link.reconnectAt = nil
        link.connection = nil
        apply(.connecting(link.server), to: i)
        do {
            link.addresses = try SocketAddress.resolve(host: link.host, port: link.port)
        } catch {
            lost(i, reason: "cannot resolve \(link.host): \(error)")
            return
        }
        tryNextAddress(i)
    }

    func tryNextAddress(_ i: Int) {
        let link = links[i]
        while !link.addresses.isEmpty {
            let a = link.addresses.removeFirst()
            do {
                let c = try Connection(address: a, tls: link.tls.map { try TLSConnection(context: $0.context, host: link.host) })
                if model.networks[i].config.mode == .raw { c.telnet = TelnetFilter() }
                link.connection = c
                link.connectDeadline = Proc.wallMillis() + Self.connectTimeout
                if c.isOpen { opened(i) }
                return
            } catch {
                link.lastConnectError = "\(error)"
            }
        }
        lost(i, reason: link.lastConnectError.isEmpty ? "cannot connect" : link.lastConnectError)
    }

    private func opened(_ i: Int) {
        let link = links[i]
        link.connectDeadline = nil
        link.connectedAt = Proc.wallMillis()
        link.serverSaidTLS = false
        apply(.connected, to: i)
        do { try link.connection?.startTLS() } catch { return fatal(i, ClientTLS.handshakeFailure(link.server, error.description)) }
        try? link.connection?.flush()
    }

    func serviceSocket(_ i: Int, _ conn: Connection, revents: Int16) {
        let link = links[i]
        if !conn.isOpen {
            guard revents & (Poll.writable | Poll.error | Poll.hangup) != 0 else { return }
            do {
                try conn.finishOpen()
                opened(i)
            } catch {
                link.lastConnectError = "\(error)"
                link.connection = nil
                tryNextAddress(i)
            }
            return
        }
        if revents & (Poll.readable | Poll.hangup | Poll.error) != 0 || link.socketHasMore {
            let outcome: Connection.ReadOutcome
            do {
                outcome = try conn.read(maxBytes: Self.readSlice, deadline: Proc.monotonicNanos() + Self.readBudget) { event in
                    switch event {
                    case .line(let bytes):
                        linesReceived += 1
                        // One byte compared per line (the burst path), the prefix only for ERROR lines.
                        if bytes.first == 69, conn.tls == nil, bytes.starts(with: Self.tlsPortHint) { link.serverSaidTLS = true }
                        if firstLineNanos == nil { firstLineNanos = Proc.monotonicNanos() }
                        model.apply(.received(bytes), to: i, now: Proc.wallMillis())
                    case .overlong:
                        model.apply(.receivedOverlong, to: i, now: Proc.wallMillis())
                    }
                }
            } catch {
                // A TLS port answers a plaintext line with an alert, then resets.
                if let wrong = wrongKindOfPort(link, conn, closed: true) { return fatal(i, wrong) }
                drop(i, reason: "\(error)", retryIn: nil)
                return
            }
            if case .tlsFailed(let why) = outcome { return fatal(i, ClientTLS.handshakeFailure(link.server, why)) }
            if let wrong = wrongKindOfPort(link, conn, closed: outcome == .closed) { return fatal(i, wrong) }
            if let session = conn.tls, session.handshakeDone, !conn.verified, let tls = link.tls {
                if let refusal = tls.refusal(session) { return fatal(i, refusal) }
                conn.verified = true
            }
            lastLineNanos = Proc.monotonicNanos()
            if model.networks[i].config.mode == .raw { model.apply(.receivedPartial(conn.partial), to: i, now: Proc.wallMillis()) }
            dirty = true
            perform(model.takeEffects())
            link.socketHasMore = outcome == .more
            if outcome == .closed {
                drop(i, reason: "the server closed the connection", retryIn: nil)
                return
            }
        }
        guard link.connection === conn else { return }
        do { try conn.flush() } catch { drop(i, reason: "\(error)", retryIn: nil) }
    }

    /// A plaintext connection that met a TLS port: a TLS record came back (an alert, as
    /// ngIRCd's TLS port answers a plaintext line), or our server said so in plaintext. Nil
    /// otherwise (a server that closes without a word is retried as before: a proxy in front
    /// of a server that is down does that too).
    private func wrongKindOfPort(_ link: NetworkLink, _ conn: Connection, closed: Bool) -> String? {
        guard conn.tls == nil else { return nil }
        let b = conn.firstBytes
        let tlsRecord = b.count >= 2 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 3
        guard tlsRecord || (closed && link.serverSaidTLS) else { return nil }
        return "this port speaks TLS: try ircs://\(link.server) (or --tls)"
    }

    /// A failure a retry would not mend (a certificate, the wrong kind of port): said once,
    /// no reconnect; /reconnect tries again.
    private func fatal(_ i: Int, _ reason: String) {
        let link = links[i]
        link.connection = nil
        link.socketHasMore = false
        link.connectDeadline = nil
        link.reconnectAt = nil
        apply(.disconnected(reason: reason, retryAt: nil), to: i)
    }

    /// The connection is gone (or dropped on purpose): schedule the next attempt.
    func drop(_ i: Int, reason: String, retryIn: Int64?) {
        links[i].connection = nil
        links[i].socketHasMore = false
        lost(i, reason: reason, retryIn: retryIn)
    }

    private func lost(_ i: Int, reason: String, retryIn: Int64? = nil) {
        let link = links[i]
        link.connectDeadline = nil
        if model.networks[i].quitting { done = true; return }
        let now = Proc.wallMillis()
        // Only a connection that got us in counts as having worked: one that never got past
        // registration (a server that accepts and says nothing) keeps the backoff growing.
        let worked = model.networks[i].connection == .connected
        link.backoff.connectionEnded(lasted: worked ? link.connectedAt.map { now - $0 } : nil)
        link.connectedAt = nil
        // A deliberate reconnect goes at once and does not count as a failure.
        link.reconnectAt = now + (retryIn ?? link.backoff.next())
        apply(.disconnected(reason: reason, retryAt: link.reconnectAt), to: i)
    }

    /// `/disconnect`: the QUIT already queued leaves as far as the socket takes it now, then
    /// the connection closes and is not tried again (`/connect NAME` or `/reconnect` is).
    func disconnect(_ i: Int) {
        let link = links[i]
        if let c = link.connection, c.isOpen {
            try? c.flush()
            Socket.shutdownWrite(c.fd)
        }
        link.backoff = ReconnectBackoff()
        fatal(i, "disconnected (/disconnect)")
    }

    /// `/connect NAME|HOST:PORT` for a network not open yet: read it as the command line
    /// would, then open it beside the others and show it.
    func connectNetwork(_ name: String, from i: Int) {
        switch resolve(name, model.networks[i].settings) {
        case .failure(let why):
            fail("/connect \(name): " + (why.key.map { $0 + ": " } ?? "") + why.message, inServerWindow: false, network: i)
        case .success(let start):
            let j = add(start, focus: true)
            connect(j)
        }
    }
}
