import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// One connected session as the hub keeps it: where it is in its life, its end of the socket
/// pair, the decoder for its requests and the queue of event frames not yet written to it.
/// A value in the hub's `SlotTable`, always changed in place: a copy would copy its queue.
struct SessionSlot {
    var life: SessionLife
    /// The hub's end of the session's socket pair: requests come up it, events go down.
    let channel: Int32
    let host: String
    let port: Int
    var decoder = FrameDecoder()
    /// Events of this loop turn, as ranges of the hub's `TurnFrames`: a broadcast is stored
    /// once and written to every member from there. Empty whenever `out` is not.
    var shared: [Range<Int>] = []
    /// Events not yet written, copied: what a write left over, and what came after it.
    var out: [UInt8] = []
    var outStart = 0
    private(set) var waitingForWritable = false
    let connectedAt: Int64
    /// A session on a TLS port may have one signature of the hub's key, for its handshake.
    var mayAskTLSSignature = false
    /// What it may still ask of the hub (`Hub+Costs`).
    var budget = WorkBudget()
    /// Its requests wait (over budget, or its share of this turn used): the hub stops reading
    /// its channel, so the kernel's buffer pushes back on the session.
    private(set) var held = false
    /// Events were left out past the queue limit: the flush ends the session, whatever it writes.
    private(set) var overflowed = false
    /// When the hub last wrote to the session (monotonic nanoseconds; 0: never, or no delivery
    /// tick), and until when its events wait to go with the next ones (`Hub+Delivery`).
    private(set) var lastWrite: UInt64 = 0
    private(set) var parkedUntil: UInt64?
    /// An event for this session alone (a reply, a private message) waits: it goes this turn.
    var urgent = false
    /// A line someone said (not news about members) is among this turn's events.
    var carriesLines = false
    /// Events queued for the session since `rateSince`, and the rate (events a second) of
    /// the last window of at least `rateWindow`: whether it is sent lines faster than the tick.
    private var eventsSince = 0
    private var rateSince: UInt64 = 0
    private(set) var eventRate = 0
    static let rateWindow: UInt64 = 100_000_000

    init(life: SessionLife, channel: Int32, host: String, port: Int, connectedAt: Int64) {
        self.life = life
        self.channel = channel
        self.host = host
        self.port = port
        self.connectedAt = connectedAt
    }

    var pending: Int { out.count - outStart }

    /// Bytes waiting for the session: copied, and this turn's shared ranges.
    var waiting: Int { shared.reduce(pending) { $0 + $1.count } }

    /// Whether this turn's events may wait for the delivery tick: the session was written to
    /// less than `tick` ago, nothing for it alone waits, and less than `bytes` do. They are
    /// then copied out of the turn's frames (which end with the turn), to go at `lastWrite + tick`.
    mutating func park(_ frames: UnsafeRawBufferPointer, now: UInt64, tick: UInt64, bytes: Int) -> Bool {
        if now &- rateSince >= Self.rateWindow {
            if rateSince != 0 { eventRate = Int(UInt64(eventsSince) * 1_000_000_000 / (now - rateSince)) }
            rateSince = now
            eventsSince = 0
        }
        // News about members may wait; lines said, for a session sent two events a tick or more
        // (a wake-up would usually carry one line where it could carry two).
        guard parkedUntil == nil, !urgent, !overflowed, !waitingForWritable, life.isOpen,
              !carriesLines || UInt64(eventRate) * tick >= 2_000_000_000,
              lastWrite &+ tick > now, waiting < bytes else { return false }
        for range in shared { keep(range, of: frames) }
        shared.removeAll(keepingCapacity: true)
        carriesLines = false
        parkedUntil = lastWrite + tick
        return true
    }

    /// Whether the hub is to watch the channel for writability; true when that changed.
    mutating func waitForWritable(_ wait: Bool) -> Bool {
        guard waitingForWritable != wait else { return false }
        waitingForWritable = wait
        return true
    }

    /// Whether the hub leaves the session's requests waiting; true when that changed.
    mutating func hold(_ hold: Bool) -> Bool {
        guard held != hold else { return false }
        held = hold
        return true
    }

    /// What the channel is to be watched for: requests unless they wait, writability when a
    /// write fell short. `watched` is what epoll was last told.
    var interest: UInt32 { (held ? 0 : Epoll.readable) | (waitingForWritable ? Epoll.writable : 0) }
    var watched = Epoll.readable

    /// The session closed its channel: nothing more is written to it.
    mutating func close(at now: UInt64) {
        life.close(at: now)
        shared = []
        out = []
        outStart = 0
    }

    /// Behind a backlog, a frame is copied after it (order); otherwise its range joins the
    /// slot's shared ranges, merged with the previous one when they touch. Returns true when
    /// the slot must be flushed this turn: its first shared range, or a backlog that grew past
    /// `limit` (the flush gives the session one more chance to take it, and ends it if it does
    /// not). So the hub's memory for a session that stopped reading stays bounded, however
    /// long it stays stopped; and within a turn too: past `limit` nothing more is copied, and
    /// the session, `overflowed`, is ended at the flush.
    @inline(__always)
    mutating func enqueue(_ range: Range<Int>, of frames: UnsafeBufferPointer<UInt8>, limit: Int) -> Bool {
        eventsSince &+= 1
        let backlog = pending
        if backlog > 0 {
            if backlog > limit {
                overflowed = true
                return false
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: frames[range]))
            return backlog + range.count > limit
        }
        if shared.isEmpty {
            shared.append(range)
            return true
        }
        if shared[shared.count - 1].upperBound == range.lowerBound {
            shared[shared.count - 1] = shared[shared.count - 1].lowerBound..<range.upperBound
        } else {
            shared.append(range)
        }
        return false
    }

    /// Writes what waits: this turn's shared ranges with one `writev` (what the session did not
    /// take is copied into its own queue, so nothing refers to the turn's frames afterwards),
    /// else its own queue.
    /// `now`: the clock when the hub keeps a delivery tick, else 0.
    mutating func write(turnFrames frames: UnsafeRawBufferPointer, now: UInt64) -> Result<IOResult, SystemError> {
        lastWrite = now
        parkedUntil = nil
        urgent = false
        carriesLines = false
        if !shared.isEmpty { return writeShared(frames) }
        let fd = channel, start = outStart
        let result = out.withUnsafeBytes { raw in
            Result { () throws(SystemError) in try FD.write(fd, UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }
        if case .success(.done(let n)) = result { consume(n) }
        return result
    }

    private mutating func writeShared(_ frames: UnsafeRawBufferPointer) -> Result<IOResult, SystemError> {
        let fd = channel
        let result = Result { () throws(SystemError) in try FD.writev(fd, frames.baseAddress!, shared) }
        guard case .success(let r) = result else {
            shared.removeAll(keepingCapacity: true)
            return result
        }
        var written = 0
        if case .done(let n) = r { written = n }
        for range in shared {
            if written >= range.count { written -= range.count; continue }
            keep((range.lowerBound + written)..<range.upperBound, of: frames)
            written = 0
        }
        shared.removeAll(keepingCapacity: true)
        return result
    }

    /// Copies a range of the turn's frames into the session's own queue.
    private mutating func keep(_ range: Range<Int>, of frames: UnsafeRawBufferPointer) {
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: frames[range]).assumingMemoryBound(to: UInt8.self))
    }

    /// Drops `n` written bytes.
    private mutating func consume(_ n: Int) {
        outStart += n
        if outStart == out.count {
            out.removeAll(keepingCapacity: out.capacity <= 65536)
            outStart = 0
            return
        }
        // Written bytes are dropped once they are half the queue: each byte is moved at most
        // once on average, however far behind the session is.
        if outStart > 65536 && outStart >= out.count / 2 {
            out.removeFirst(outStart)
            outStart = 0
        }
    }
}
