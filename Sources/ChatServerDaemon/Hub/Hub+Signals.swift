import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Signals, handled in the loop (signalfd): children's exits, reload, statistics, and
/// shutdown.
extension Hub {
    func handleSignals() {
        for sig in signals.drain() {
            switch sig {
            case SIGCHLD: reap()
            case SIGTERM, SIGINT:
                if shutdownDeadline == nil {
                    beginShutdown(reason: "Server shutting down", grace: 5)
                } else {
                    log.notice("second \(Proc.signalName(sig)): stopping now")
                    finishShutdown()
                }
            case SIGHUP: reload()
            case SIGUSR1: log.notice("\(statisticsLine())")
            default: break
            }
        }
    }

    private func reap() {
        let now = Proc.monotonicNanos()
        Proc.reapChildren { pid, status in
            if pid == spawnerProcess {
                spawnerProcess = nil
                spawnerLost("it exited (\(status))")
            } else if slots.slot(ofPID: pid) != nil {
                sessionExited(pid, status)
            } else {
                unclaimedExits[pid] = (status, now)
            }
        }
        unclaimedExits = unclaimedExits.filter { now - $0.value.at < 10_000_000_000 }
        if shutdownDeadline != nil && slots.count == 0 && slots.processes.isEmpty { exitRequested = true }
    }

    func sessionExited(_ pid: pid_t, _ status: Proc.ExitStatus) {
        guard let id = slots.reaped(pid) else { return }
        guard slots.life(of: id)?.pid == pid else { return }
        let reason: String
        switch status {
        case .exited(0): reason = "Connection closed"
        case .exited(let c): reason = "Session ended (exit \(c))"
        case .signaled(SIGKILL): reason = "Session killed"
        case .signaled(let sig): reason = "Session crashed (\(Proc.signalName(sig)))"
        }
        if case .signaled(let sig) = status, sig != SIGKILL {
            log.warning("session \(id) pid \(pid) died: \(status)")
        }
        endSession(id, reason: reason)
    }

    /// SIGHUP (or `reload` at the console): reopens the log first (so rotation works even
    /// when the rest fails), then reads the config file and the MOTD again, all or nothing.
    /// New limits apply to new connections (flood control) or at once (the others).
    /// Returns the error, if the settings could not be read.
    @discardableResult
    func reload(by who: String = "SIGHUP") -> String? {
        // Hooks hear of it first and last (the service manager's RELOADING=1, then READY=1).
        for h in hooks { h.reloading(host: self) }
        var failure: String?
        defer { for h in hooks { h.reloaded(host: self, error: failure) } }
        LogOutput.shared.reopen()
        log.notice("\(who): reopened the log; reading the MOTD\(config.configFile == nil ? "" : " and " + config.configFile!) again")
        do {
            let before = config.certificate?.fingerprint
            let changes = try config.reload()
            if config.certificate?.fingerprint != before { certificateToSend = config.certificate != nil; sendSpawnRequests() }
            state.updateSettings(config.chatSettings())
            log.notice("reload: \(changes.isEmpty ? "nothing changed" : changes.joined(separator: ", "))")
            return nil
        } catch {
            log.error("reload failed, keeping the old settings: \(error)")
            failure = "\(error)"
            return failure
        }
    }

    /// Reads the message of the day again, and gives it to the chat state.
    func reloadMOTD() throws {
        try config.reloadMOTD()
        state.updateSettings(config.chatSettings())
    }

    // MARK: Shutdown

    /// Tells everyone, asks every session to close, and stops accepting; stragglers are
    /// killed after `grace` seconds.
    func beginShutdown(reason: String, grace: Int) {
        log.notice("shutting down: \(reason)")
        state.serverNotice(reason)
        let frame = HubEvent.disconnect(reason: reason).frame()
        var ids: [Int] = []
        slots.forEach { id, _ in ids.append(id) }
        for id in ids { deliver(frame, to: id) }
        for l in listeners { epoll.remove(l.fd); FD.close(l.fd) }
        listeners.removeAll()
        for h in hooks { h.shutdown(host: self) }
        shutdownDeadline = Proc.monotonicNanos() + UInt64(grace) * 1_000_000_000
        if slots.count == 0 { exitRequested = true }
    }

    func finishShutdown() {
        for pid in slots.processes { Proc.signal(pid, SIGKILL) }
        // Reap what we just killed (bounded): no zombies left behind.
        signals.reapChildren(for: 1_000_000_000, while: { !slots.processes.isEmpty }) { pid, _ in _ = slots.reaped(pid) }
        exitRequested = true
    }
}
