import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Accepting: admission (bans, limits), refusal, and pausing when out of descriptors or
/// while the spawner is behind.
extension Hub {
    func acceptAll(listener index: Int) {
        guard shutdownDeadline == nil, gate.listening else { return }
        let fd = listeners[index].fd
        // Bounded per wake-up so a connect flood cannot starve the sessions already talking.
        for _ in 0..<256 {
            let accepted: (Int32, SocketAddress)?
            do {
                accepted = try Socket.accept(fd)
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE || error.errno == ENOBUFS || error.errno == ENOMEM {
                    pauseAccepting(error)
                } else {
                    log.error("accept: \(error)")
                }
                return
            }
            guard let (client, address) = accepted else { return }
            admit(client, address, tlsPort: tlsListeners.contains(index) ? listeners[index].address.port : 0)
        }
    }

    /// Out of descriptors or memory: stop accepting for a moment instead of spinning on a
    /// listener that stays readable.
    private func pauseAccepting(_ error: SystemError) {
        log.warning("\(error); pausing accepts for 250 ms")
        gate.pausedUntil = Proc.monotonicNanos() + 250_000_000
        updateListening()
    }

    /// Listeners leave the epoll set while accepting is paused or the spawner is behind (a
    /// readable listener would wake us at once), and come back after.
    func updateListening() {
        let wanted = gate.wantsListening(spawnerBehind: spawns.isBehind)
        guard wanted != gate.listening else { return }
        gate.listening = wanted
        for (i, l) in listeners.enumerated() {
            if wanted {
                try? epoll.add(l.fd, events: Epoll.readable, data: Tag.listener.with(i))
            } else {
                epoll.remove(l.fd)
            }
        }
    }

    func refuse(_ fd: Int32, _ line: String) {
        // The one time the hub writes to a client socket: a single non-blocking line into an
        // empty send buffer, then close.
        let text = "ERROR :\(line)\r\n"
        _ = try? Array(text.utf8).withUnsafeBytes { raw throws(SystemError) in try FD.write(fd, raw) }
        FD.close(fd)
        stats.refused += 1
    }

    private func admit(_ fd: Int32, _ address: SocketAddress, tlsPort: Int) {
        let host = address.host
        if let ban = hooks.lazy.compactMap({ $0.banReason(host: host) }).first {
            logRefusal(address, "banned (\(ban))", level: .info)
            return refuse(fd, "You are banned from this server: \(ban)")
        }
        if config.limits.maxClients > 0 && slots.count >= config.limits.maxClients {
            logRefusal(address, "server full (\(config.limits.maxClients) clients)", level: .warning)
            return refuse(fd, "Server is full (\(config.limits.maxClients) clients), try again later")
        }
        if config.limits.maxPerIP > 0 && slots.connections(from: host) >= config.limits.maxPerIP {
            logRefusal(address, "too many connections from one address (\(config.limits.maxPerIP))", level: .warning)
            return refuse(fd, "Too many connections from your address (\(config.limits.maxPerIP))")
        }
        // One socket pair per session: a pipe each way would cost the hub two descriptors per
        // session, and 10,000 sessions would not fit a limit of 20,000 (docs/ARCHITECTURE.md).
        let pair = Result { () throws(SystemError) in try Socket.pair(nonBlocking: true) }
        guard case .success(let (hubEnd, sessionEnd)) = pair else {
            if case .failure(let error) = pair {
                log.error("socketpair for \(address): \(error)")
                if error.errno == EMFILE || error.errno == ENFILE { pauseAccepting(error) }
            }
            return refuse(fd, "Server cannot take connections right now, try again later")
        }
        Socket.setNoDelay(fd)
        // A fixed send buffer instead of autotuning up to megabytes: chat needs little, and
        // a client that stops reading is noticed (and dropped) sooner.
        try? Socket.setOption(fd, SOL_SOCKET, SO_SNDBUF, 128 * 1024)
        let request = spawns.newRequest()
        let spawning = PendingSpawn(request: request, client: fd, sessionEnd: sessionEnd, tlsPort: tlsPort)
        let id = slots.insert(SessionSlot(life: .spawning(spawning), channel: hubEnd, host: host, port: address.port,
                                          connectedAt: Proc.wallMillis()))
        if tlsPort != 0 { slots.update(id) { $0.mayAskTLSSignature = true } }
        spawns.queue(request, slot: id)
        do {
            try epoll.add(hubEnd, events: Epoll.readable, data: Tag.session.with(id))
        } catch {
            log.error("epoll add: \(error)")
        }
        sendSpawnRequests()
        state.connect(session: id, host: host)
    }
}
