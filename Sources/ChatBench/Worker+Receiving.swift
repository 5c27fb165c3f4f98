import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Reading what the server delivers: lines parsed in place, payloads checked and counted.
extension Worker {
    // MARK: Receiving

    func handleClient(_ i: Int, _ events: UInt32) {
        if states[i] == .connecting {
            let err = Socket.pendingError(fds[i])
            if err != 0 { return fail(i, "connect: \(String(cString: strerror(err)))") }
            if events & (Epoll.writable | Epoll.readable) != 0 { connected(i) }
            return
        }
        if events & (Epoll.readable | Epoll.hangup | Epoll.error) != 0 { tls == nil ? readClient(i) : readTLS(i) }
        if events & Epoll.writable != 0, senderOf[i] < 0, fds[i] >= 0, let tls {
            // Records of a control line (or the handshake) that did not fit at once.
            if tls.flushPending(i, fd: fds[i]) == .failed { return fail(i, "write failed") }
            if !tls.hasPending(i) { try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i)) }
        }
        if events & Epoll.writable != 0, senderOf[i] >= 0, fds[i] >= 0 {
            let k = senderOf[i]
            senders[k].blocked = false
            try? epoll.modify(fds[i], events: Epoll.readable, data: UInt64(i))
            flush(k)
        }
    }

    func readClient(_ i: Int) {
        let cl = max(carryLen[i], 0)
        if cl > 0 { readBuf.copyMemory(from: carry + i * Self.carryCap, byteCount: cl) }
        let r = try? FD.read(fds[i], into: UnsafeMutableRawBufferPointer(start: readBuf + cl, count: Self.readCap))
        switch r {
        case .done(let k)?:
            let now = Proc.monotonicNanos()
            lastInput = now
            counts.bytesIn += UInt64(k)
            lines(i, readBuf.assumingMemoryBound(to: UInt8.self), cl, cl + k, now)
        case .wouldBlock?:
            break
        case .eof?, nil:
            fail(i, "connection closed by the server")
        }
    }

    /// `readClient` for a TLS client: records from the socket, each run of plaintext after the
    /// carry, as `readClient` puts the bytes it reads; the dialect starts with the handshake done.
    func readTLS(_ i: Int) {
        guard let tls else { return }
        var now = Proc.monotonicNanos()
        var fresh = 0
        let r = tls.receive(i, fd: fds[i], room: {
            fresh = max(carryLen[i], 0)
            if fresh > 0 { readBuf.copyMemory(from: carry + i * Self.carryCap, byteCount: fresh) }
            return UnsafeMutableRawBufferPointer(start: readBuf + fresh, count: Self.readCap)
        }) { k in
            now = Proc.monotonicNanos()
            lastInput = now
            counts.bytesIn += UInt64(k)
            lines(i, readBuf.assumingMemoryBound(to: UInt8.self), fresh, fresh + k, now)
        }
        switch r {
        case .ok(let handshakeDone):
            if handshakeDone && states[i] == .handshaking { connected(i) }
            if tls.hasPending(i) && fds[i] >= 0 {
                try? epoll.modify(fds[i], events: Epoll.readable | Epoll.writable, data: UInt64(i))
            }
        case .closed: fail(i, "connection closed by the server")
        case .failed(let why): fail(i, why)
        }
    }

    /// Writes to client `i`'s socket, or seals the bytes into TLS records (`.done` once they
    /// are taken; `.wouldBlock` while earlier records still wait for the socket).
    func write(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> IOResult? {
        guard let tls else { return try? FD.write(fds[i], bytes) }
        switch tls.send(i, fd: fds[i], bytes) {
        case .taken: return .done(bytes.count)
        case .blocked: return .wouldBlock
        case .failed: return nil
        }
    }

    /// Handles every complete line in `p[0..<end]`; keeps the partial rest as the carry.
    /// `fresh` is where the new bytes start (a skipped overlong line ends in them).
    @inline(__always)
    func lines(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ fresh: Int, _ end: Int, _ now: UInt64) {
        var start = 0
        while start < end {
            guard let nlRaw = memchr(p + start, 0x0A, end - start) else { break }
            let nl = UnsafeMutableRawPointer(nlRaw).assumingMemoryBound(to: UInt8.self) - p
            var e = nl
            if e > start && p[e - 1] == 0x0D { e -= 1 }
            if carryLen[i] < 0 {
                carryLen[i] = 0  // the end of an overlong line
            } else {
                var from = start
                if kinds[i] == .typist {
                    // The input row the server draws and clears with CR (and spaces) ends
                    // before the line's last CR: the line printed above it starts there.
                    var j = e
                    while j > start && p[j - 1] != 0x0D { j -= 1 }
                    from = j
                }
                line(i, p + from, e - from, now)
                if states[i] == .dead { return }
            }
            start = nl + 1
        }
        let rest = end - start
        if carryLen[i] < 0 { return }
        if rest > Self.carryCap {
            counts.overlong += 1
            carryLen[i] = -1
        } else {
            if rest > 0 { (carry + i * Self.carryCap).update(from: p + start, count: rest) }
            carryLen[i] = rest
            if rest > 0 && states[i] == .greeting && (kinds[i] == .human || kinds[i] == .typist) {
                // The nickname prompt has no line end.
                if contains(p + start, rest, "nickname") { askedNick(i) }
            }
        }
    }

    @inline(__always)
    func line(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ now: UInt64) {
        if states[i] == .ready {
            let m = Payload.find(p, count)
            if m >= 0 {
                deliver(i, p + m, count - m, now)
                return
            }
            counts.otherLines += 1
            if kinds[i] == .irc && count > 5 && p[0] == 0x50 && p[1] == 0x49 && p[2] == 0x4E && p[3] == 0x47 && p[4] == 0x20 {
                registrationLine(i, p, count)  // PING: answered there
            } else if count >= 5 && (contains(p, min(count, 8), "ERROR") || contains(p, min(count, 20), "Disconnected")) {
                note("client \(gids[i]): \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))")
            }
            return
        }
        registrationLine(i, p, count)
    }

    func registrationLine(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) {
        switch (kinds[i], states[i] == .ready ? .greeting : states[i]) {
        case (.human, .greeting), (.typist, .greeting):
            if contains(p, count, "nickname") { askedNick(i) }
        case (.human, .joining), (.typist, .joining):
            if contains(p, count, "You joined #lobby") { becomeReady(i) }
            else if contains(p, count, "!! ") {
                fail(i, "nick refused: \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))")
            }
        case (.irc, .greeting), (.irc, .joining):
            // Registration is rare and not timed per line: parse it properly.
            guard let msg = try? IRCMessage(parsing: UnsafeBufferPointer(start: p, count: count)) else { return }
            let text = String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self)
            switch (msg.verb, msg.numeric) {
            case ("PING", _):
                var pong = IRCMessage(command: "PONG", params: msg.params)
                pong.trailingColon = msg.trailingColon
                writeSmall(i, pong.serialized() + "\r\n")
            case ("ERROR", _):
                fail(i, "server error: \(text)")
            case (_, 1?) where states[i] == .greeting:
                states[i] = .joining
                writeSmall(i, (cfg.community?.joinCommand(gids[i]) ?? "JOIN \(cfg.ircChannel)") + "\r\n")
            case (_, 366?) where states[i] == .joining:
                // A community member joins several channels: ready at the last one's names.
                if let plan = cfg.community, msg.params.count >= 2,
                   msg.params[1].lowercased() != plan.lastChannel(gids[i]).lowercased() { break }
                becomeReady(i)
            case (_, 432?), (_, 433?), (_, 403?), (_, 405?), (_, 471?), (_, 473?), (_, 474?), (_, 475?):
                fail(i, "registration refused: \(text)")
            default:
                break
            }
        default:
            break
        }
    }

    func askedNick(_ i: Int) {
        guard states[i] == .greeting else { return }
        states[i] = .joining
        // A human answers as nc does (LF): CR LF would have the server offer character mode.
        writeSmall(i, cfg.nick(gids[i]) + (kinds[i] == .typist ? "\r\u{0}" : "\n"))
    }

    @inline(__always)
    func deliver(_ i: Int, _ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ now: UInt64) {
        guard let m = Payload.parse(p, count), m.sender < S else {
            counts.corrupted += 1
            if counts.corrupted <= 3 { note("corrupt line at client \(gids[i]): \(String(decoding: UnsafeBufferPointer(start: p, count: min(count, 200)), as: UTF8.self))") }
            return
        }
        let s = m.sender
        if s == gids[i] { counts.echoes += 1; return }
        let pi = i &* S &+ s
        let exp = expected[pi]
        if m.seq == exp {
            expected[pi] = exp &+ 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else if m.seq > exp {
            gaps[pi, default: []].append(exp..<m.seq)
            expected[pi] = m.seq &+ 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else if fillGap(pi, m.seq) {
            reordered[s] &+= 1
            uniq[s] &+= 1
            totalUniq &+= 1
        } else {
            dups[s] &+= 1
            return
        }
        let sentAt = base &+ m.time
        let latency = now > sentAt ? now - sentAt : 0
        hist.record(latency)
        if lineCap > 0 && m.seq < UInt64(lineCap) {
            let li = s &* lineCap &+ Int(m.seq)
            let v = latency &+ 1
            if firstLat[li] == 0 || v < firstLat[li] { firstLat[li] = v }
            if v > lastLat[li] { lastLat[li] = v }
        }
    }

    /// A line from below the expected number: true if it fills a known gap (reordered),
    /// false if it was already received (duplicate).
    func fillGap(_ pi: Int, _ seq: UInt64) -> Bool {
        guard var list = gaps[pi] else { return false }
        guard let k = list.firstIndex(where: { $0.contains(seq) }) else { return false }
        let r = list[k]
        list.remove(at: k)
        if r.lowerBound < seq { list.append(r.lowerBound..<seq) }
        if seq + 1 < r.upperBound { list.append(seq + 1..<r.upperBound) }
        gaps[pi] = list.isEmpty ? nil : list
        return true
    }

    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ count: Int, _ needle: StaticString) -> Bool {
        let q = needle.utf8Start
        let m = needle.utf8CodeUnitCount
        if count < m { return false }
        var i = 0
        while i + m <= count {
            if p[i] == q[0] && memcmp(p + i, q, m) == 0 { return true }
            i += 1
        }
        return false
    }
}
