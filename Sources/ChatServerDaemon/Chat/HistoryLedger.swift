/// Every channel's history together, bounded in bytes: past the bound the oldest lines of the
/// whole hub go first, whichever channel holds them. So connections that fill the history of
/// many channels each cannot grow the hub without bound, and a busy channel keeps its recent
/// lines while the stale ones of others go.
struct HistoryLedger {
    private(set) var bytes = 0
    private(set) var lines = 0
    /// The channels that may hold history, by serial.
    private var channels: [Int: Channel] = [:]
    private var nextSerial = 0
    /// The channel (by serial) of every line remembered, oldest first. A line its channel has
    /// dropped since (its own line limit, or the channel is gone) stays listed until reached.
    private var order: [Int] = []
    private var start = 0

    /// Lines listed in `order`, kept or not (for tests: it stays proportional to `lines`).
    var listed: Int { order.count - start }

    /// A new channel: from now on its history counts.
    mutating func adopt(_ ch: Channel) {
        nextSerial += 1
        ch.serial = nextSerial
        channels[nextSerial] = ch
    }

    /// A channel is gone, its history with it.
    mutating func forget(_ ch: Channel) {
        guard channels.removeValue(forKey: ch.serial) != nil else { return }
        bytes -= ch.historyBytes
        lines -= ch.history.count
    }

    /// Keeps a line in `ch`'s history (at most `lineLimit` there), then drops the hub's oldest
    /// lines until all of them take at most `byteLimit` bytes.
    mutating func remember(_ frame: [UInt8], in ch: Channel, lineLimit: Int, byteLimit: Int) {
        guard lineLimit > 0 && byteLimit > 0 else { return }
        if let freed = ch.remember(frame, limit: lineLimit) {
            bytes += frame.count - freed
        } else {
            bytes += frame.count
            lines += 1
        }
        order.append(ch.serial)
        ch.listed += 1
        while bytes > byteLimit && start < order.count { dropOldest() }
        compact()
    }

    private mutating func dropOldest() {
        let serial = order[start]
        start += 1
        guard let ch = channels[serial] else { return }
        // Its listed lines are its last `listed` remembered; it holds the last `history.count`.
        ch.listed -= 1
        if ch.listed < ch.history.count {
            bytes -= ch.dropOldest()
            lines -= 1
        }
    }

    /// Keeps the list proportional to the lines kept: listed lines that are gone are dropped
    /// once they are most of it, and the front once it is half of it.
    private mutating func compact() {
        if order.count - start > 2 * lines + 1024 {
            var left: [Int: Int] = [:]
            var kept: [Int] = []
            for serial in order[start...].reversed() {
                guard let ch = channels[serial] else { continue }
                let n = left[serial] ?? ch.history.count
                guard n > 0 else { continue }
                left[serial] = n - 1
                kept.append(serial)
            }
            for serial in left.keys { channels[serial]!.listed = channels[serial]!.history.count }
            order = kept.reversed()
            start = 0
        } else if start > 4096 && start * 2 > order.count {
            order.removeFirst(start)
            start = 0
        }
    }
}
