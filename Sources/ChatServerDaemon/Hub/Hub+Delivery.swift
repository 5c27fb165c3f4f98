import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Events to sessions: each frame is stored once per loop turn (`TurnFrames`), queued for its
/// sessions as ranges of it, and written at the end of the turn (`flushDirty`).
extension Hub: EventSink {
    func deliver(_ frame: [UInt8], to id: Int) {
        guard slots.isOpen(id) else { return }
        // A reply to the request being answered: it counts against its sender (`Hub+Costs`).
        if id == costed { replyBytes &+= frame.count }
        let range = turnFrames.store(frame)
        let limit = config.hubQueueLimit
        // It is for this session alone: it goes this turn, with whatever waits for the tick.
        let flush = turnFrames.withFrames { frames in
            slots.update(id) { slot -> Bool in
                let waitedForTick = slot.parkedUntil != nil && !slot.urgent
                slot.urgent = true
                return slot.enqueue(range, of: frames, limit: limit) || waitedForTick
            }
        }
        if flush == true { dirty.append(id) }
        stats.framesOut += 1
    }

    /// The hot path of every channel message: the frame is stored once for this loop turn
    /// and each member's queue gets its range (no copy, no reference counting); the slots are
    /// borrowed once for the whole loop.
    func deliver(_ frame: [UInt8], toEach ids: [Int]) {
        let range = turnFrames.store(frame)
        var added = 0
        let limit = config.hubQueueLimit
        // What people say, or news about them (joins, parts, quits, nicks, modes, topics):
        // news may always wait for the delivery tick.
        let type = HubFrame.type(of: frame)
        let said = type == HubMessageType.eventMessage.rawValue || type == HubMessageType.eventTagMessage.rawValue
        turnFrames.withFrames { frames in
            slots.forEachOpen(ids) { id, slot in
                if said { slot.carriesLines = true }
                if slot.enqueue(range, of: frames, limit: limit) { dirty.append(id) }
                added += 1
            }
        }
        stats.framesOut += added
    }

    func flushDirty() {
        let tick = config.deliveryTickNanos
        let now = tick > 0 && !dirty.isEmpty ? Proc.monotonicNanos() : 0
        // Flushing can end a session (one too far behind), and its quit is delivered to the
        // others as new ranges of this turn's frames: flush again until nothing refers to them.
        while !dirty.isEmpty {
            let list = dirty
            dirty.removeAll(keepingCapacity: true)
            for id in list where slots.contains(id) {
                if tick > 0 && park(slot: id, now: now, tick: tick) { continue }
                flush(slot: id, now: now)
            }
        }
        // Every slot with shared ranges was dirty and is flushed or parked (its ranges
        // copied): the turn's frames are done.
        turnFrames.endTurn()
    }

    // MARK: The delivery tick

    /// Bytes past which a session's events go at once rather than wait for the tick.
    static let parkedBytesLimit = 16 * 1024

    /// The delivery tick (`--delivery-tick`): a session the hub wrote to less than a tick
    /// ago gets this turn's events a tick after that write, together with whatever comes
    /// meanwhile, instead of one wake-up each: news about members (joins, quits, modes) always,
    /// lines said only to a session sent two events a tick or more. A session woken after a
    /// quiet spell, and a reply, go at once; nothing waits more than a tick. At a few lines a
    /// second nothing changes; at hundreds a second, or while a crowd joins a channel, a
    /// session wakes a few times fewer (see docs/BENCHMARKS.md).
    private func park(slot id: Int, now: UInt64, tick: UInt64) -> Bool {
        let parked = turnFrames.withBytes { frames in
            slots.update(id) { slot -> UInt64? in
                slot.park(frames, now: now, tick: tick, bytes: Self.parkedBytesLimit) ? slot.parkedUntil : nil
            }
        }
        guard let until = parked ?? nil else { return false }
        parkedSlots.append(id)
        if until < parkedDeadline { parkedDeadline = until }
        stats.ticksWaited += 1
        return true
    }

    /// Writes the parked sessions whose tick has come.
    func flushParked() {
        guard parkedDeadline != .max else { return }
        let now = Proc.monotonicNanos()
        guard now >= parkedDeadline else { return }
        var due: [Int] = []
        var next = UInt64.max
        var kept = 0
        for id in parkedSlots {
            // A slot written since (a reply came) or gone is no longer parked.
            guard let until = slots.update(id, { $0.parkedUntil }) ?? nil else { continue }
            if until <= now {
                due.append(id)
            } else {
                parkedSlots[kept] = id
                kept += 1
                next = min(next, until)
            }
        }
        parkedSlots.removeLast(parkedSlots.count - kept)
        parkedDeadline = next
        for id in due where slots.contains(id) { flush(slot: id, now: now) }
    }

    /// Writes what waits for a session; ends it when it is too far behind, and closes it when
    /// its channel failed.
    func flush(slot id: Int, now: UInt64? = nil) {
        // Nothing leaves before this turn's channel lines are on disk: a session that became
        // writable mid-turn may be sent a line said earlier in the same turn.
        stateStore?.commitTurn()
        // When it was written to, for the delivery tick.
        let clock = config.deliveryTickNanos == 0 ? 0 : now ?? Proc.monotonicNanos()
        // Mutated in place: a copy of the slot would copy its whole queue.
        let written = turnFrames.withBytes { frames in
            slots.update(id) { slot -> (result: Result<IOResult, SystemError>, pending: Int, overflowed: Bool)? in
                guard slot.life.isOpen else { return nil }
                let result = slot.write(turnFrames: frames, now: clock)
                return (result, slot.pending, slot.overflowed)
            }
        }
        guard let (result, pending, overflowed) = written ?? nil else { return }
        switch result {
        case .failure:
            return sessionClosedChannel(id)
        case .success(let r):
            if case .done(let n) = r { stats.bytesOut += n }
        }
        if overflowed { return fellBehind(slot: id, pending: pending) }
        if pending == 0 { drained(slot: id) } else { afterShortWrite(slot: id, pending: pending) }
    }

    /// Everything written: stop watching for the channel to become writable.
    private func drained(slot id: Int) { watchWritable(false, slot: id) }

    /// The session did not take everything: end it if it is too far behind, else wait until
    /// its channel is writable.
    private func afterShortWrite(slot id: Int, pending: Int) {
        if pending > config.hubQueueLimit { return fellBehind(slot: id, pending: pending) }
        watchWritable(true, slot: id)
    }

    /// More than the queue limit waited for the session (some of it was left out): it ends.
    private func fellBehind(slot id: Int, pending: Int) {
        let pid = slots.life(of: id)?.pid
        log.warning("session \(id) (pid \(pid ?? 0)) fell \(pending) bytes behind; ending it")
        stats.queueOverflows += 1
        if let pid { Proc.signal(pid, SIGKILL) }
        endSession(id, reason: "Send queue exceeded")
    }

    /// Adds or removes writability from what the session's channel is watched for, when that
    /// changes.
    private func watchWritable(_ on: Bool, slot id: Int) {
        guard slots.update(id, { $0.waitForWritable(on) }) == true else { return }
        watchChannel(slot: id)
    }

    /// Tells epoll what the session's channel is now watched for (`SessionSlot.interest`).
    func watchChannel(slot id: Int) {
        let change = slots.update(id) { slot -> UInt32? in
            guard slot.interest != slot.watched else { return nil }
            slot.watched = slot.interest
            return slot.watched
        }
        guard let events = change ?? nil, let channel = slots.channel(of: id) else { return }
        try? epoll.modify(channel, events: events, data: Tag.session.with(id))
    }
}
