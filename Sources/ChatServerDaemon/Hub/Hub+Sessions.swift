import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Requests from sessions, and how a session's slot ends.
extension Hub {
    func readRequests(slot id: Int) {
        guard let fd = slots.channel(of: id) else { return }
        // Its requests wait, so its channel is not watched for them: this is a hang-up.
        if slots.update(id, { $0.held }) == true { return sessionClosedChannel(id) }
        let r: Result<IOResult, SystemError> = scratch.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in try FD.read(fd, into: raw) }
        }
        switch r {
        case .failure(let e) where e.errno == ECONNRESET:
            // The session died with events unread in its end (a socket pair resets where a
            // pipe would just end): its exit status tells how.
            sessionClosedChannel(id)
        case .failure(let e):
            endSession(id, reason: "Connection lost (\(e))")
        case .success(.wouldBlock):
            return
        case .success(.eof):
            sessionClosedChannel(id)
        case .success(.done(let n)):
            stats.bytesIn += n
            scratch.withUnsafeBytes { bytes in
                slots.update(id) { $0.decoder.append(UnsafeRawBufferPointer(rebasing: bytes[..<n])) }
            }
            processFrames(slot: id)
        }
    }

    func processFrames(slot id: Int) {
        var turnCost = 0
        while slots.contains(id) {
            if mustWait(id, turnCost: turnCost) { return hold(slot: id) }
            do {
                guard let request = try slots.update(id, { slot in
                    try slot.decoder.next { type, payload in try HubRequest(type: type, payload: payload) }
                }) ?? nil else { return }
                stats.requests += 1
                if case .tlsSign(let kind, let padding, let input) = request {
                    tlsSign(id, kind: kind, padding: padding, input: input)
                    continue
                }
                // Frames after a quit are still read: the state ignores all but a sync, which the
                // quitting session waits on before its farewell.
                turnCost &+= handleCharged(request, from: id)
            } catch {
                let pid = slots.life(of: id)?.pid
                log.warning("session \(id) (pid \(pid ?? 0)) sent a corrupt frame: \(error); ending it")
                stats.corruptFrames += 1
                if let pid { Proc.signal(pid, SIGKILL) }
                endSession(id, reason: "Session error (corrupt frame)")
                return
            }
        }
    }

    /// The session closed its end: it is exiting. Wait for SIGCHLD to learn how it ended
    /// (killed, crashed); a bounded wait, in case the process lingers after closing it.
    func sessionClosedChannel(_ id: Int) {
        guard slots.isOpen(id), let channel = slots.channel(of: id) else { return }
        epoll.remove(channel)
        let now = Proc.monotonicNanos()
        slots.update(id) { $0.close(at: now) }
        awaitingReap.append(id)
    }

    /// Forgets a session: announces its quit if it had not quit, closes its channel. Its
    /// process is reaped on SIGCHLD. A connection still waiting for the spawner is refused
    /// with `refusing` (else its socket is just closed).
    func endSession(_ id: Int, reason: String, refusing refusal: String? = nil) {
        guard slots.contains(id) else { return }
        // Requests already in the channel (a QUIT with its reason, last messages) still count.
        drain(slot: id)
        state.disconnect(session: id, reason: reason)
        guard let s = slots.remove(id) else { return }
        epoll.remove(s.channel)
        FD.close(s.channel)
        if let spawning = s.life.pendingSpawn {
            if let refusal { refuse(spawning.client, refusal) } else { FD.close(spawning.client) }
            if let sessionEnd = spawning.sessionEnd { FD.close(sessionEnd) }
            spawns.forget(spawning.request)
        }
        log.debug("session \(id) pid \(s.life.pid ?? 0) ended: \(reason)")
        if slots.count == 0 {
            // Everyone left: the queues and tables of the peak are free; give them back.
            Proc.releaseFreeMemory()
        }
    }

    private func drain(slot id: Int) {
        for _ in 0..<64 {
            guard let fd = slots.channel(of: id) else { return }
            let r: Result<IOResult, SystemError> = scratch.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try FD.read(fd, into: raw) }
            }
            guard case .success(.done(let n)) = r else { return }
            scratch.withUnsafeBytes { bytes in
                slots.update(id) { $0.decoder.append(UnsafeRawBufferPointer(rebasing: bytes[..<n])) }
            }
            while let request = slots.update(id, { try? $0.decoder.next({ try HubRequest(type: $0, payload: $1) }) }) ?? nil {
                // Its quit counts whatever it spent; what it asked for beyond its budget is
                // dropped: it is leaving, and answering would only stall the others.
                if case .quit = request {
                    state.handle(request, from: id)
                } else if !mustWait(id, turnCost: 0) {
                    _ = handleCharged(request, from: id)
                }
            }
        }
    }
}
