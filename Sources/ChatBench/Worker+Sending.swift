import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// The senders: lines formatted into each sender's buffer, paced or held by its window.
extension Worker {
    // MARK: Sending

    /// When line `seq` of sender `id` is due. Senders are spread evenly over one interval,
    /// so that S paced senders make one smooth stream instead of S-line bursts.
    @inline(__always)
    func dueTime(_ id: Int, _ seq: UInt64) -> UInt64 {
        base &+ UInt64((Double(seq) + phase(id)) / cfg.rate(ofSender: id) * 1e9)
    }

    @inline(__always)
    func phase(_ id: Int) -> Double { Double(id) / Double(max(S, 1)) }

    /// The lowest next-expected line of each sender among this worker's live receivers.
    func publishLow() {
        for s in 0..<S {
            var m = UInt64.max
            var i = 0
            while i < n {
                if states[i] == .ready && receives(i, s) { m = min(m, expected[i &* S &+ s]) }
                i += 1
            }
            shared.store(layout.low(index, s), m)
        }
    }

    func windowRoom(_ s: Int, _ nextSeq: UInt64) -> Int {
        if cfg.community != nil { return cfg.window }
        var low = UInt64.max
        for w in 0..<cfg.workers { low = min(low, shared.load(layout.low(w, s))) }
        if low == .max || low >= nextSeq { return cfg.window }
        return cfg.window - Int(nextSeq - low)
    }

    func sendStep(_ now: UInt64) {
        for k in senders.indices where !senders[k].finished && !senders[k].blocked {
            let i = senders[k].client
            guard states[i] == .ready else { finishSender(k); continue }
            if senders[k].off < senders[k].len {
                flush(k)
                if senders[k].blocked || senders[k].finished { continue }
            }
            if now >= endTime { finishSender(k); continue }
            var lines = cfg.batch
            let room = windowRoom(senders[k].id, senders[k].nextSeq)
            if room <= 0 { counts.windowStalls += 1; continue }
            lines = min(lines, room)
            if cfg.paced {
                // The same test as the loop's timeout, so the two never disagree (and spin).
                var due = 0
                while due < lines && dueTime(senders[k].id, senders[k].nextSeq + UInt64(due)) <= now { due += 1 }
                lines = due
            }
            if lines <= 0 { continue }
            fill(k, lines, now)
            flush(k)
        }
    }

    /// Formats `count` lines into sender `k`'s (empty) buffer, all stamped `now`.
    func fill(_ k: Int, _ count: Int, _ now: UInt64) {
        let i = senders[k].client
        let kind = Int(kinds[i].rawValue)
        let buf = senders[k].buf
        var len = senders[k].len
        let stamp = now - base
        var seq = senders[k].nextSeq
        (senders[k].prefix ?? prefix[kind]).withUnsafeBufferPointer { pre in
            suffix[kind].withUnsafeBufferPointer { suf in
                for _ in 0..<count {
                    (buf + len).update(from: pre.baseAddress!, count: pre.count)
                    len += pre.count
                    var size = cfg.lineSize
                    if cfg.varySize {
                        // 24 bytes up to the line size, a different length every line.
                        let span = UInt64(max(cfg.lineSize - 24, 1))
                        size = 24 + Int((seq &* 0x9E37_79B9) % span)
                    }
                    len += Payload.encode(into: buf + len, size: size, sender: senders[k].id, seq: seq, time: stamp)
                    (buf + len).update(from: suf.baseAddress!, count: suf.count)
                    len += suf.count
                    seq += 1
                }
            }
        }
        senders[k].len = len
        senders[k].nextSeq = seq
    }

    func flush(_ k: Int) {
        let i = senders[k].client
        // A typist sends each key in a write of its own.
        let most = kinds[i] == .typist ? 1 : Int.max
        while senders[k].off < senders[k].len {
            let r = write(i, UnsafeRawBufferPointer(start: senders[k].buf + senders[k].off,
                                                    count: min(most, senders[k].len - senders[k].off)))
            switch r {
            case .done(let w)?:
                senders[k].off += w
                counts.bytesOut += UInt64(w)
            case .wouldBlock?:
                senders[k].blocked = true
                try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
                return
            case .eof?, nil:
                fail(i, "write failed")
                return
            }
        }
        senders[k].off = 0
        senders[k].len = 0
        if let tls, fds[i] >= 0, tls.hasPending(i) {
            // The last records wait for the socket: wait for writable, as for a short write.
            senders[k].blocked = true
            try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
        }
    }

    func finishSender(_ k: Int) {
        guard !senders[k].finished else { return }
        senders[k].finished = true
        shared.store(layout.sent(senders[k].id), senders[k].nextSeq)
        shared.store(layout.done(senders[k].id), 1)
    }
}
