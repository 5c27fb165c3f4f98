#if canImport(Glibc)
import Glibc
#endif

/// The hub's sessions by slot number (the session id the chat state knows them by), with
/// the counts admission needs and the processes not yet reaped.
///
/// Slots are changed in place (`update`, `forEachOpen`): a copy of a slot would copy its
/// queue. A freed number is given to the next connection.
struct SlotTable {
    private var slots: [SessionSlot?] = []
    private var freeSlots: [Int] = []
    private var perHost: [String: Int] = [:]
    /// Sessions whose process has not been reaped yet, by pid: a process can outlive its slot
    /// (ended, then killed), and can be reaped before its slot is gone.
    private var slotOfPID: [pid_t: Int] = [:]
    /// The slots in use.
    private(set) var count = 0

    /// Connections from `host` now.
    func connections(from host: String) -> Int { perHost[host, default: 0] }

    /// Takes a free number for `slot`.
    mutating func insert(_ slot: SessionSlot) -> Int {
        let id = freeSlots.popLast() ?? { slots.append(nil); return slots.count - 1 }()
        slots[id] = slot
        perHost[slot.host, default: 0] += 1
        count += 1
        return id
    }

    /// Frees slot `id`; returns what it held.
    mutating func remove(_ id: Int) -> SessionSlot? {
        guard id < slots.count, let slot = slots[id] else { return nil }
        slots[id] = nil
        freeSlots.append(id)
        if let n = perHost[slot.host] { perHost[slot.host] = n > 1 ? n - 1 : nil }
        count -= 1
        return slot
    }

    /// Slot `id`, read in place (a copy of its queue is not made unless the caller keeps it).
    subscript(id: Int) -> SessionSlot? {
        @inline(__always) _read {
            if id < slots.count { yield slots[id] } else { yield nil }
        }
    }

    @inline(__always)
    func contains(_ id: Int) -> Bool { id < slots.count && slots[id] != nil }

    /// Whether slot `id` is in use and its session still takes events.
    @inline(__always)
    func isOpen(_ id: Int) -> Bool { id < slots.count && slots[id] != nil && slots[id]!.life.isOpen }

    /// Slot `id`'s life; nil when the slot is free. (Read in place: `self[id]?.life` would
    /// copy the slot.)
    @inline(__always)
    func life(of id: Int) -> SessionLife? {
        guard id < slots.count, slots[id] != nil else { return nil }
        return slots[id]!.life
    }

    /// The hub's end of slot `id`'s socket pair; nil when the slot is free.
    @inline(__always)
    func channel(of id: Int) -> Int32? {
        guard id < slots.count, slots[id] != nil else { return nil }
        return slots[id]!.channel
    }

    /// Runs `body` on slot `id` in place; nil when the slot is free.
    @inline(__always)
    mutating func update<R>(_ id: Int, _ body: (inout SessionSlot) throws -> R) rethrows -> R? {
        guard id < slots.count, slots[id] != nil else { return nil }
        return try body(&slots[id]!)
    }

    /// The hot path of a broadcast: `body` on each open slot among `ids`, in place, with the
    /// table's storage borrowed once for the whole loop.
    @inline(__always)
    mutating func forEachOpen(_ ids: [Int], _ body: (Int, inout SessionSlot) -> Void) {
        slots.withUnsafeMutableBufferPointer { slots in
            // Checked in place: `slots[id]?.life` would copy the whole slot (its queues'
            // references) for every member.
            for id in ids where id < slots.count && slots[id] != nil && slots[id]!.life.isOpen {
                body(id, &slots[id]!)
            }
        }
    }

    /// Every slot in use, in slot order.
    func forEach(_ body: (Int, SessionSlot) -> Void) {
        for (id, slot) in slots.enumerated() { if let slot { body(id, slot) } }
    }

    /// Bytes waiting in the hub for sessions, and for how many sessions.
    func queued() -> (bytes: Int, sessions: Int) {
        slots.reduce(into: (bytes: 0, sessions: 0)) { acc, s in
            if let s, s.pending > 0 { acc.bytes += s.pending; acc.sessions += 1 }
        }
    }

    // MARK: Processes

    /// The spawner forked slot `id`'s session as `pid`.
    mutating func adopt(_ pid: pid_t, slot id: Int) { slotOfPID[pid] = id }

    /// The slot of a session process not yet reaped.
    func slot(ofPID pid: pid_t) -> Int? { slotOfPID[pid] }

    /// The process was reaped: returns the slot it had.
    mutating func reaped(_ pid: pid_t) -> Int? { slotOfPID.removeValue(forKey: pid) }

    /// Session processes not yet reaped.
    var processes: Dictionary<pid_t, Int>.Keys { slotOfPID.keys }
}
