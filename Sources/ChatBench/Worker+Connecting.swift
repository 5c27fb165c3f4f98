import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Opening the clients' connections and registering them in their dialect.
extension Worker {
    // MARK: Connecting and registering

    func startConnects(_ now: UInt64) {
        while nextToConnect < n && inFlight < maxInFlight {
            let i = nextToConnect
            nextToConnect += 1
            startedAt[i] = now
            do {
                let (fd, isConnected) = try Socket.startConnect(cfg.target)
                let pending = !isConnected
                fds[i] = fd
                Socket.setNoDelay(fd)
                inFlight += 1
                states[i] = .connecting
                try epoll.add(fd, events: pending ? Epoll.writable : Epoll.readable, data: UInt64(i))
                if !pending { connected(i) }
            } catch {
                connectFailed += 1
                states[i] = .dead
                note("connect: \(error)")
            }
        }
    }

    func checkRegistration(_ now: UInt64) {
        if nextToConnect == n && inFlight == 0 {
            phase = .idle
            send(WireMessage("R", [UInt64(readyCount), UInt64(connectFailed), UInt64(registerFailed),
                                   firstReady == .max ? 0 : firstReady, lastReady]))
            for t in notes { send(WireMessage("N", Array(t.utf8).map { UInt64($0) })) }
            notes.removeAll()
            return
        }
        if Double(now - workerStart) / 1e9 > cfg.registerTimeout {
            for i in 0..<n where states[i] != .ready && states[i] != .dead {
                if states[i] == .waiting { states[i] = .dead; registerFailed += 1; continue }
                fail(i, "registration timed out")
            }
            nextToConnect = n
            inFlight = 0
        }
    }

    func connected(_ i: Int) {
        try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i))
        if let tls, states[i] == .connecting {
            // The handshake first; the dialect starts when it is done (`readTLS`).
            states[i] = .handshaking
            if !tls.start(i, fd: fds[i]) { return fail(i, "TLS: cannot start the handshake") }
            if tls.hasPending(i) { try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i)) }
            return
        }
        switch kinds[i] {
        case .raw:
            becomeReady(i)
        case .irc:
            states[i] = .greeting
            let nick = cfg.nick(gids[i])
            writeSmall(i, "NICK \(nick)\r\nUSER \(nick) 0 * :chat-bench\r\n")
        case .human:
            states[i] = .greeting
        case .typist:
            // inetutils telnet's opening (DO SGA, WILL TTYPE, WILL NAWS), and DO ECHO ahead of
            // the server's WILL ECHO: character mode, no terminal type (no escapes, no colour).
            states[i] = .greeting
            let opening: [UInt8] = [255, 253, 3, 255, 251, 24, 255, 251, 31, 255, 253, 1]
            if case .done(let k)? = opening.withUnsafeBytes({ write(i, $0) }) { counts.bytesOut += UInt64(k) }
        }
    }

    func becomeReady(_ i: Int) {
        states[i] = .ready
        readyCount += 1
        inFlight -= 1
        let now = Proc.monotonicNanos()
        registration.record(now - startedAt[i])
        firstReady = min(firstReady, now)
        lastReady = max(lastReady, now)
    }

    /// A client went away or failed; counted by what it was doing.
    func fail(_ i: Int, _ why: String) {
        guard states[i] != .dead else { return }
        switch states[i] {
        case .connecting, .handshaking: connectFailed += 1; inFlight -= 1
        case .greeting, .joining: registerFailed += 1; inFlight -= 1
        case .ready:
            dropped += 1
            readyCount -= 1
            if let k = senderOf[i] >= 0 ? senderOf[i] : nil { finishSender(k) }
        default: break
        }
        note("client \(gids[i]): \(why)")
        states[i] = .dead
        if fds[i] >= 0 {
            epoll.remove(fds[i])
            FD.close(fds[i])
            fds[i] = -1
        }
        tls?.end(i)
    }

    /// Registration-time and control writes (nick, JOIN, PONG): small, rare; a sender's go
    /// through its buffer so they never split one of its lines.
    func writeSmall(_ i: Int, _ text: String) {
        let bytes = Array(text.utf8)
        if senderOf[i] >= 0 {
            let k = senderOf[i]
            if senders[k].len + bytes.count <= senders[k].cap {
                (senders[k].buf + senders[k].len).update(from: bytes, count: bytes.count)
                senders[k].len += bytes.count
                if !senders[k].blocked { flush(k) }
                return
            }
        }
        let r = bytes.withUnsafeBytes { raw in write(i, raw) }
        if case .done(let k)? = r, k == bytes.count { counts.bytesOut += UInt64(k); return }
        note("client \(gids[i]): could not write a control line at once")
    }
}
