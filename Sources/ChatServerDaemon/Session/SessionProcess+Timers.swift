import ChatPOSIX

extension SessionProcess {
    /// How long the loop may sleep: until the quiet period ends, flood control lets the next
    /// line through, memory is given back, or registration or the client's answer to a PING
    /// is overdue. -1: no deadline.
    func nextTimeoutMS() -> Int32 {
        let now = Proc.monotonicNanos()
        var wait = UInt64.max
        func until(_ deadline: UInt64) { wait = min(wait, deadline > now ? deadline - now : 0) }
        if !dialectDecided { until(quietPeriodEnd) }
        // A first line held for the client's answer to the late offer waits for that, or its end.
        let holding = lateOffer.state == .held
        if holding { until(lateOffer.deadline) }
        // Lines held behind the hub's backlog wait for the hub to take it, not for the clock.
        if !holding && pendingStart < pendingLines.count && output.pendingSync == nil && !hubBacklogged {
            wait = min(wait, flood.wait(now: now))
        }
        if releaseAt != .max { until(releaseAt) }
        if conversation?.isRegistered != true {
            until(startedAt + UInt64(config.registrationTimeout) * 1_000_000_000)
        } else if conversation?.pingsIdleClient == true {
            until(lastHeard + UInt64(pingSent ? config.pingTimeout : config.pingInterval) * 1_000_000_000)
        }
        return wait == .max ? -1 : Int32(clamping: wait / 1_000_000 + 1)
    }

    /// What is due: the quiet period's end (a person, then), memory to give back, the
    /// registration timeout, a PING to an idle client or the end of one that did not answer.
    func timers() {
        let now = Proc.monotonicNanos()
        if now >= releaseAt { releaseMemory(now: now) }
        if let tls { tlsTimers(tls, now: now) }
        if !dialectDecided && (tls == nil || tls?.handshakeDoneAt != nil) && now >= quietPeriodEnd {
            decideDialect(firstLine: nil)
        }
        guard !output.isClosing, let conversation else { return }
        if !conversation.isRegistered {
            if now >= startedAt + UInt64(config.registrationTimeout) * 1_000_000_000 {
                end(.registrationTimeout)
            }
        } else if conversation.pingsIdleClient {
            if pingSent && now >= lastHeard + UInt64(config.pingTimeout) * 1_000_000_000 {
                end(.pingTimeout(seconds: config.pingTimeout))
            } else if !pingSent && now >= lastHeard + UInt64(config.pingInterval) * 1_000_000_000 {
                pingSent = true
                conversation.ping(output: &output)
            }
        }
    }

    /// After a burst: the queues' and decoders' buffers, the read buffer's pages and the
    /// heap's free pages go back to the kernel. Postponed while anything still waits.
    func releaseMemory(now: UInt64) {
        guard output.toClient.isEmpty && output.toHub.isEmpty && pendingStart == pendingLines.count
                && output.pendingSync == nil else {
            releaseAt = now + 1_000_000_000
            return
        }
        releaseAt = .max
        readSinceRelease = 0
        output.toClient.releaseMemory()
        output.toHub.releaseMemory()
        events.releaseMemory()
        framer.releaseMemory()
        tls?.releaseMemory()
        pendingLines = []
        pendingStart = 0
        Proc.discardPages(buffer)
        Proc.releaseFreeMemory()
    }
}
