import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The hub's side of the spawner: requests (each with the client's socket and the session's
/// end of its pair), the backlog when its channel is full, its replies, and losing it.
extension Hub {
    /// Starts the process that forks sessions; the hub adopts the sessions it forks.
    func startSpawner() throws(SystemError) {
        try Proc.becomeSubreaper()
        let (pid, channel) = try Spawner.start()
        spawnerProcess = pid
        spawnerChannel = channel
        try epoll.add(channel, events: Epoll.readable, data: Tag.spawner.with(0))
        log.debug("session spawner pid \(pid)")
        certificateToSend = config.certificate != nil
    }

    /// At exit: the spawner leaves when its channel closes; it is reaped, not left a zombie.
    func stopSpawner() {
        guard let pid = spawnerProcess else { return }
        if let channel = spawnerChannel {
            epoll.remove(channel)
            FD.close(channel)
        }
        Proc.signal(pid, SIGKILL)
        Proc.waitFor(pid)
        spawnerProcess = nil
        spawnerChannel = nil
    }

    /// Hands the waiting connections to the spawner, as many as its channel takes.
    func sendSpawnRequests() {
        // The certificate first: the sessions forked after it use it.
        guard sendCertificate() else { return }
        while let (id, request) = spawns.next, let channel = spawnerChannel {
            guard let spawning = slots.life(of: id)?.pendingSpawn, spawning.request == request,
                  let sessionEnd = spawning.sessionEnd else {
                spawns.dropNext()  // ended while it waited
                continue
            }
            let bytes = Spawner.request(spawn: request, config: sessionConfig(tlsPort: spawning.tlsPort))
            let sent = Result { () throws(SystemError) in
                try Socket.send(channel, bytes, passing: [spawning.client, sessionEnd])
            }
            switch sent {
            case .success(.done):
                FD.close(sessionEnd)
                slots.update(id) { $0.life.requestSent() }
                spawns.dropNext()
            case .success(.wouldBlock), .success(.eof):
                // Full: wait until it drains (readable or writable wakes us).
                if gate.listening {
                    log.debug("spawner behind: \(spawns.waiting) connections wait, accepting paused")
                }
                try? epoll.modify(channel, events: Epoll.readable | Epoll.writable, data: Tag.spawner.with(0))
                updateListening()
                return
            case .failure(let error) where error.errno == ETOOMANYREFS:
                // Too many descriptors in flight: a hub that left root may have at most its
                // descriptor limit on their way, counted with every process of its user (nobody
                // may be shared). Again at the spawner's next reply, or in 100 ms; accepting
                // paused until then.
                gate.pausedUntil = max(gate.pausedUntil ?? 0, Proc.monotonicNanos() + 100_000_000)
                try? epoll.modify(channel, events: Epoll.readable, data: Tag.spawner.with(0))
                updateListening()
                return
            case .failure(let error):
                return spawnerLost("sending to it failed (\(error))")
            }
        }
        if !spawns.isBehind, let channel = spawnerChannel {
            try? epoll.modify(channel, events: Epoll.readable, data: Tag.spawner.with(0))
        }
        updateListening()
    }

    func readSpawner() {
        while let channel = spawnerChannel {
            let received: Result<(IOResult, [Int32]), SystemError> = scratch.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try Socket.receive(channel, into: raw) }
            }
            guard case .success(let (result, fds)) = received else { return spawnerLost("its channel failed") }
            for fd in fds { FD.close(fd) }
            switch result {
            case .done(let n):
                if let reply = scratch.withUnsafeBytes({ Spawner.Reply(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) {
                    spawned(reply)
                }
            case .wouldBlock: return
            case .eof: return spawnerLost("it closed its channel")
            }
        }
    }

    private func spawned(_ reply: Spawner.Reply) {
        guard let id = spawns.answered(reply.spawn), let slot = slots[id],
              let spawning = slot.life.pendingSpawn, spawning.request == reply.spawn else {
            // The connection ended before its session existed: the session finds its channel
            // closed and leaves by itself.
            return
        }
        if reply.pid > 0 {
            FD.close(spawning.client)
            slots.update(id) { $0.life.started(pid: reply.pid) }
            slots.adopt(reply.pid, slot: id)
            stats.sessionsForked += 1
            log.debug("session \(id) pid \(reply.pid) for \(slot.host) port \(slot.port)")
            if let exit = unclaimedExits.removeValue(forKey: reply.pid) { sessionExited(reply.pid, exit.status) }
        } else {
            log.error("fork for \(slot.host) port \(slot.port): \(SystemError("fork", errno: reply.errno))")
            stats.forkFailures += 1
            endSession(id, reason: "", refusing: "Server cannot start a session right now (fork failed), try again later")
        }
    }

    /// The spawner died or its channel broke: the connections waiting for it are refused, and
    /// a new spawner takes over (a fresh start again, `Spawner.start`).
    func spawnerLost(_ why: String) {
        guard let channel = spawnerChannel else { return }
        log.error("the session spawner (pid \(spawnerProcess ?? 0)) stopped: \(why); starting a new one")
        epoll.remove(channel)
        FD.close(channel)
        spawnerChannel = nil
        if let pid = spawnerProcess { Proc.signal(pid, SIGKILL) }
        for id in spawns.takeUnanswered() {
            guard slots.life(of: id)?.pendingSpawn != nil else { continue }
            endSession(id, reason: "", refusing: "Server cannot start a session right now, try again later")
        }
        guard shutdownDeadline == nil else { return }
        do {
            try startSpawner()
        } catch {
            log.critical("cannot start a session spawner: \(error); shutting down")
            beginShutdown(reason: "Server error", grace: 5)
        }
    }
}
