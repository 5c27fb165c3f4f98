@testable import ChatServerDaemon
import ChatPOSIX
import ChatProtocol
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The hub's state as small values, without a hub: a session's life, the slot table, the
/// spawn queue, a turn's shared frames and a slot's queue.
@Suite(.serialized, .compute) struct SessionLifeTests {
    @Test func aSessionIsSpawnedRunsAndCloses() {
        var life = SessionLife.spawning(PendingSpawn(request: 7, client: 10, sessionEnd: 11))
        #expect(life.isOpen && life.pid == nil && life.closedAt == nil)
        #expect(life.pendingSpawn?.sessionEnd == 11)
        life.requestSent()
        #expect(life.pendingSpawn?.sessionEnd == nil && life.pendingSpawn?.request == 7)
        life.started(pid: 4242)
        #expect(life.pid == 4242 && life.pendingSpawn == nil && life.isOpen)
        life.close(at: 99)
        #expect(!life.isOpen && life.closedAt == 99 && life.pid == 4242)
        life.close(at: 200)  // the first close counts
        #expect(life.closedAt == 99)
    }

    @Test func aSessionCanCloseBeforeTheSpawnerReports() {
        var life = SessionLife.spawning(PendingSpawn(request: 1, client: 10, sessionEnd: nil))
        life.close(at: 5)
        #expect(!life.isOpen && life.closedAt == 5 && life.pid == nil)
        #expect(life.pendingSpawn?.client == 10)  // the reply still decides about the client
        life.started(pid: 77)
        #expect(life.pid == 77 && life.closedAt == 5 && life.pendingSpawn == nil)
    }
}

@Suite(.serialized, .compute) struct SlotTableTests {
    private func slot(_ host: String) -> SessionSlot {
        SessionSlot(life: .running(pid: 1), channel: -1, host: host, port: 1, connectedAt: 0)
    }

    @Test func numbersAreReusedAndHostsCounted() {
        var table = SlotTable()
        let a = table.insert(slot("192.0.2.1")), b = table.insert(slot("192.0.2.1")), c = table.insert(slot("192.0.2.2"))
        #expect([a, b, c] == [0, 1, 2] && table.count == 3)
        #expect(table.connections(from: "192.0.2.1") == 2 && table.connections(from: "192.0.2.9") == 0)
        #expect(table.remove(b)?.host == "192.0.2.1" && table.remove(b) == nil)
        #expect(table.count == 2 && table.connections(from: "192.0.2.1") == 1 && !table.contains(b))
        #expect(table.insert(slot("192.0.2.3")) == b)
        #expect(table[7] == nil && !table.isOpen(7) && table.update(7) { _ in 1 } == nil)
    }

    @Test func broadcastsReachOnlyOpenSlots() {
        var table = SlotTable()
        for _ in 0..<3 { _ = table.insert(slot("h")) }
        table.update(1) { $0.close(at: 1) }
        var seen: [Int] = []
        table.forEachOpen([0, 1, 2, 9]) { id, _ in seen.append(id) }
        #expect(seen == [0, 2])
    }

    @Test func processesOutliveTheirSlots() {
        var table = SlotTable()
        let id = table.insert(slot("h"))
        table.adopt(4242, slot: id)
        _ = table.remove(id)
        #expect(table.slot(ofPID: 4242) == id && table.processes.count == 1)
        #expect(table.reaped(4242) == id && table.processes.isEmpty)
    }
}

@Suite(.serialized, .compute) struct SpawnQueueTests {
    @Test func requestsWaitInOrderUntilSentAndAnswered() {
        var q = SpawnQueue()
        let r1 = q.newRequest(), r2 = q.newRequest()
        #expect(r1 != r2 && !q.isBehind)
        q.queue(r1, slot: 4)
        q.queue(r2, slot: 5)
        #expect(q.isBehind && q.waiting == 2 && q.next?.slot == 4)
        q.dropNext()
        #expect(q.next?.request == r2)
        q.dropNext()
        #expect(!q.isBehind && q.next == nil)
        #expect(q.answered(r1) == 4 && q.answered(r1) == nil)
        q.forget(r2)
        #expect(q.takeUnanswered().isEmpty)
    }
}

@Suite(.serialized, .compute) struct TurnFramesTests {
    @Test func framesAreStoredOnceAndSharedAsRanges() {
        var turn = TurnFrames()
        let a = turn.store([1, 2, 3]), b = turn.store([4, 5])
        #expect(a == 0..<3 && b == 3..<5)
        var slot = SessionSlot(life: .running(pid: 1), channel: -1, host: "h", port: 1, connectedAt: 0)
        // The first range asks for a flush; a touching one merges into it.
        #expect(turn.withFrames { slot.enqueue(a, of: $0, limit: 100) })
        #expect(!turn.withFrames { slot.enqueue(b, of: $0, limit: 100) })
        #expect(slot.shared == [0..<5] && slot.pending == 0)
        turn.endTurn()
        #expect(turn.store([9]) == 0..<1)
    }

    @Test func behindABacklogFramesAreCopiedAndCrossingTheLimitAsksForAFlush() {
        var turn = TurnFrames()
        let big = turn.store([UInt8](repeating: 7, count: 60))
        var slot = SessionSlot(life: .running(pid: 1), channel: -1, host: "h", port: 1, connectedAt: 0)
        slot.out = [1]  // a backlog: frames are copied after it
        #expect(!turn.withFrames { slot.enqueue(big, of: $0, limit: 100) })
        #expect(slot.pending == 61 && slot.shared.isEmpty)
        #expect(turn.withFrames { slot.enqueue(big, of: $0, limit: 100) })  // 61 + 60 > 100
        #expect(!turn.withFrames { slot.enqueue(big, of: $0, limit: 100) })  // already past it
    }
}

/// The delivery tick (`--delivery-tick`, `SessionSlot.park`): a session written to less than
/// a tick ago gets this turn's news about members a tick after that write, and lines said
/// too when it is sent two events a tick or more; anyone else gets them now.
@Suite(.compute) struct DeliveryTickTests {
    let tick: UInt64 = 8_000_000
    let second: UInt64 = 1_000_000_000

    /// A slot sent `events` one-byte frames over the 100 ms rate window that ends at `now`,
    /// last written to at `written`.
    private func slot(events: Int, windowEndsAt now: UInt64, written: UInt64) -> (SessionSlot, TurnFrames) {
        var turn = TurnFrames()
        var slot = SessionSlot(life: .running(pid: 1), channel: -1, host: "h", port: 1, connectedAt: 0)
        // The window opens at the first look, and the rate is what came until the next.
        #expect(!turn.withBytes { slot.park($0, now: now - SessionSlot.rateWindow, tick: tick, bytes: 1024) })
        for i in 0..<events {
            let r = turn.store([UInt8(truncatingIfNeeded: i)])
            _ = turn.withFrames { slot.enqueue(r, of: $0, limit: 1 << 20) }
        }
        _ = turn.withBytes { slot.write(turnFrames: $0, now: written) }  // fails (no channel): only the time counts
        turn.endTurn()
        return (slot, turn)
    }

    @Test func aBusySessionWaitsUntilATickAfterItsLastWriteWithItsFramesCopied() {
        let now = 5 * second
        // 30 events in 100 ms, and this turn's 2: 320 a second, 2.56 a tick.
        var (slot, turn) = slot(events: 30, windowEndsAt: now, written: now - 3_000_000)
        let a = turn.store([1, 2, 3]), b = turn.store([4, 5])
        _ = turn.withFrames { slot.enqueue(a, of: $0, limit: 1 << 20) }
        _ = turn.withFrames { slot.enqueue(b, of: $0, limit: 1 << 20) }
        slot.carriesLines = true
        #expect(turn.withBytes { slot.park($0, now: now, tick: tick, bytes: 1024) })
        #expect(!slot.carriesLines)
        #expect(slot.eventRate == 320 && slot.parkedUntil == now - 3_000_000 + tick)
        // Its ranges are copied: the turn's frames may go.
        #expect(slot.shared.isEmpty && slot.out == [1, 2, 3, 4, 5] && slot.pending == 5)
        turn.endTurn()
        // Parked, it is not parked again; a write ends the wait.
        #expect(!turn.withBytes { slot.park($0, now: now + 1, tick: tick, bytes: 1024) })
        _ = turn.withBytes { slot.write(turnFrames: $0, now: now + tick) }
        #expect(slot.parkedUntil == nil && slot.lastWrite == now + tick)
    }

    @Test(arguments: [
        (19, 3_000_000 as UInt64, false, 1024),  // with this turn's, 200 events a second: 1.6 a tick
        (30, 9_000_000, false, 1024),            // written more than a tick ago: a quiet spell ended
        (30, 3_000_000, true, 1024),             // something for it alone (a reply)
        (30, 3_000_000, false, 5),               // already as many bytes as a wake-up should carry
    ])
    func everyoneElseGetsTheirEventsNow(events: Int, sinceWrite: UInt64, urgent: Bool, bytes: Int) {
        let now = 5 * second
        var (slot, turn) = slot(events: events, windowEndsAt: now, written: now - sinceWrite)
        let a = turn.store([1, 2, 3, 4, 5, 6])
        _ = turn.withFrames { slot.enqueue(a, of: $0, limit: 1 << 20) }
        slot.urgent = urgent
        slot.carriesLines = true
        #expect(!turn.withBytes { slot.park($0, now: now, tick: tick, bytes: bytes) })
        #expect(slot.parkedUntil == nil && slot.shared == [a])
    }

    @Test func newsAboutMembersWaitsWhateverTheRateButNotAfterAQuietSpell() {
        let now = 5 * second
        // One event in the window: 10 a second.
        var (slot, turn) = slot(events: 1, windowEndsAt: now, written: now - 3_000_000)
        let join = turn.store([1, 2, 3])
        _ = turn.withFrames { slot.enqueue(join, of: $0, limit: 1 << 20) }
        #expect(turn.withBytes { slot.park($0, now: now, tick: tick, bytes: 1024) })
        #expect(slot.parkedUntil == now - 3_000_000 + tick)
        var (quiet, turn2) = self.slot(events: 1, windowEndsAt: now, written: now - tick)
        let join2 = turn2.store([1, 2, 3])
        _ = turn2.withFrames { quiet.enqueue(join2, of: $0, limit: 1 << 20) }
        #expect(!turn2.withBytes { quiet.park($0, now: now, tick: tick, bytes: 1024) })
    }

    @Test func aClosedSessionIsNotParked() {
        let now = 5 * second
        var (slot, turn) = slot(events: 30, windowEndsAt: now, written: now - 1_000_000)
        slot.close(at: now)
        #expect(!turn.withBytes { slot.park($0, now: now, tick: tick, bytes: 1024) })
    }
}
