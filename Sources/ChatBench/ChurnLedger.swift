/// Soak: exactly-once, in-order delivery of the churn clients' own traffic — private messages
/// and lines to the `#churnN` channels — whose membership changes all the time.
///
/// Every churn line's text is `~C~ SENDER DEST SEQ CHECKSUM` (`ChurnPayload`): `DEST` is `p`
/// for a private message or the channel number, `SEQ` counts the sender's lines to that
/// addressee (per sender and addressee client) or that channel (per sender and channel).
///
/// **Private messages** are exact. A sender addresses a client only by a nick that client has
/// seen confirmed by the hub (its own NICK echo, or its registration), so the message reaches
/// the hub after the nick took effect; the hub refuses it ("No such nick") only once the
/// addressee has moved on to another nick, and it handles one sender's lines in order, so of
/// the messages to one nick the accepted ones are the first `sent - refused`. Every accepted
/// message must reach the addressee exactly once, in sending order; a refused one never.
///
/// **Channel lines**: the hub serialises each channel, and each member receives the channel's
/// events (its own join and part echo, other members' joins, parts and quits, lines) in that
/// order. A receiver's *interval* in a channel runs from its JOIN echo to its PART echo
/// (`joinSent` is when it wrote the JOIN, `partEchoed` when it read the PART echo: the hub
/// handled both in between). A sender writes to a channel only between its own JOIN echo and
/// its PART, so every line it sends is accepted, and its lines to a channel are numbered
/// without holes. Two checks:
///
/// 1. *Runs*: within one interval, the lines from each other sender must be consecutive
///    numbers, each once, in increasing order. The replay of history right after a join is
///    the channel's last lines, so for each sender a suffix of its lines before the join,
///    followed by the live ones: still one run. A hole is a lost line, a number seen twice
///    a duplicate, one that arrives after a later one reordered.
/// 2. *Members*: an IRC churn client (IRC clients get every join, part and quit, whatever the
///    channel's size) knows a channel's exact membership from the second NAMES reply it asks
///    for right after joining (the first one is followed by history, which cannot be told
///    from live lines) and every membership notice after it. For every line it receives from
///    then on, every member at that moment (but the sender) must have the line in the
///    interval that contained that moment: the one whose time span, from JOIN written to PART
///    echo read, overlaps the span from the line's write to the observer's read. This catches
///    what check 1 cannot: a line lost at the start or end of an interval, or every line of a
///    sender lost in one. Two observers that disagree about the members at one line are
///    counted too.
///
/// A line received in a channel outside every interval is *unexpected*. Clients that were
/// dropped are left out (as receivers and as senders); the soak fails on them anyway.
struct ChurnLedger {
    struct LineKey: Hashable { var sender: Int, channel: Int, seq: UInt64 }
    private struct Pair: Hashable { var from: Int, to: Int }

    struct Interval {
        /// When the receiver wrote its JOIN.
        var joinWritten: UInt64
        /// Its JOIN echo has been read: lines may arrive.
        var open = false
        /// When it read its PART echo (nil: still a member).
        var partEchoed: UInt64?
        /// Lines received here, in arrival order.
        var lines: [(sender: Int, seq: UInt64)] = []
    }

    private struct Fact {
        var members: [Int]
        var seenAt: UInt64
    }

    let clients: Int
    let channels: Int

    // Senders.
    private var privateNext: [Pair: UInt64] = [:]
    /// Per sender, per nick it addressed: (addressee, seq) of each message, in sending order.
    private var privateByNick: [Int: [String: [(to: Int, seq: UInt64)]]] = [:]
    private var refused: [Int: [String: Int]] = [:]
    private var channelNext: [[UInt64]]
    /// Per sender and channel: the write time of each line, by seq.
    private var channelWritten: [[[UInt64]]]

    // Receivers.
    private var privateReceived: [Pair: [UInt64]] = [:]
    private var intervals: [[[Interval]]]
    private var unexpected = 0
    private(set) var corrupted = 0
    private var facts: [LineKey: Fact] = [:]
    private var disagreements = 0
    private var dead = Set<Int>()
    private(set) var privateSent = 0
    private(set) var refusedCount = 0
    private(set) var channelSent = 0
    private var examples: [String] = []

    init(clients: Int, channels: Int) {
        self.clients = clients
        self.channels = channels
        channelNext = Array(repeating: Array(repeating: 0, count: channels), count: clients)
        channelWritten = Array(repeating: Array(repeating: [], count: channels), count: clients)
        intervals = Array(repeating: Array(repeating: [], count: channels), count: clients)
    }

    private mutating func example(_ s: String) { if examples.count < 8 { examples.append(s) } }

    // MARK: Senders

    /// A private message from `s` to client `r`, addressed to `nick`: its number.
    mutating func sendPrivate(from s: Int, to r: Int, nick: String) -> UInt64 {
        let p = Pair(from: s, to: r)
        let q = privateNext[p, default: 0]
        privateNext[p] = q + 1
        privateByNick[s, default: [:]][nick, default: []].append((r, q))
        privateSent += 1
        return q
    }

    /// The hub told `s` that nobody has `nick` (a private message refused).
    mutating func refusedPrivate(from s: Int, nick: String) {
        refused[s, default: [:]][nick, default: 0] += 1
        refusedCount += 1
    }

    /// A line from `s` to channel `c`, written at `time`: its number.
    mutating func sendChannel(from s: Int, channel c: Int, at time: UInt64) -> UInt64 {
        let q = channelNext[s][c]
        channelNext[s][c] = q + 1
        channelWritten[s][c].append(time)
        channelSent += 1
        return q
    }

    // MARK: Receivers

    mutating func joinSent(_ r: Int, channel c: Int, at time: UInt64) {
        intervals[r][c].append(Interval(joinWritten: time))
    }

    mutating func joinEchoed(_ r: Int, channel c: Int) {
        guard let k = intervals[r][c].indices.last, intervals[r][c][k].partEchoed == nil else {
            example("client \(r): JOIN echo for #churn\(c) it did not ask for")
            unexpected += 1
            return
        }
        intervals[r][c][k].open = true
    }

    mutating func partEchoed(_ r: Int, channel c: Int, at time: UInt64) {
        guard let k = intervals[r][c].indices.last, intervals[r][c][k].open, intervals[r][c][k].partEchoed == nil else {
            example("client \(r): PART echo for #churn\(c) outside a membership")
            unexpected += 1
            return
        }
        intervals[r][c][k].partEchoed = time
    }

    mutating func receivedPrivate(_ r: Int, from s: Int, seq: UInt64) {
        guard s >= 0 && s < clients else { unexpected += 1; return }
        privateReceived[Pair(from: s, to: r), default: []].append(seq)
    }

    mutating func receivedChannel(_ r: Int, channel c: Int, from s: Int, seq: UInt64) {
        guard s >= 0 && s < clients, c >= 0 && c < channels else { unexpected += 1; return }
        guard let k = intervals[r][c].indices.last, intervals[r][c][k].open, intervals[r][c][k].partEchoed == nil else {
            example("client \(r) got line \(seq) of client \(s) in #churn\(c) while not a member")
            unexpected += 1
            return
        }
        intervals[r][c][k].lines.append((s, seq))
    }

    mutating func receivedCorrupt() { corrupted += 1 }

    /// An observer saw line `seq` of `s` in channel `c` at `time`, when the members were `members`.
    mutating func observed(channel c: Int, from s: Int, seq: UInt64, members: [Int], at time: UInt64) {
        guard s >= 0 && s < clients, c >= 0 && c < channels else { return }
        let key = LineKey(sender: s, channel: c, seq: seq)
        let sorted = members.sorted()
        if var f = facts[key] {
            if f.members != sorted {
                disagreements += 1
                example("observers disagree about the members of #churn\(c) at line \(seq) of client \(s): \(f.members) and \(sorted)")
            }
            f.seenAt = min(f.seenAt, time)
            facts[key] = f
        } else {
            facts[key] = Fact(members: sorted, seenAt: time)
        }
    }

    mutating func dropped(_ i: Int) { dead.insert(i) }

    // MARK: The check

    func check() -> ChurnReport {
        var r = ChurnReport()
        r.privateSent = privateSent
        r.privateRefused = refusedCount
        r.channelSent = channelSent
        r.corrupted = corrupted
        r.unexpected = unexpected
        r.disagreements = disagreements
        var examples = self.examples
        func example(_ s: String) { if examples.count < 12 { examples.append(s) } }

        // Private: the accepted messages per (sender, addressee).
        var accepted: [Pair: Set<UInt64>] = [:]
        for (s, byNick) in privateByNick where !dead.contains(s) {
            for (nick, list) in byNick {
                let no = refused[s]?[nick] ?? 0
                if no > list.count {
                    r.unexpected += no - list.count
                    example("client \(s): \(no) refusals for \(list.count) messages to \(nick)")
                }
                for (to, q) in list.prefix(max(0, list.count - no)) where !dead.contains(to) {
                    accepted[Pair(from: s, to: to), default: []].insert(q)
                }
            }
        }
        for (s, byNick) in refused where !dead.contains(s) {
            for (nick, n) in byNick where privateByNick[s]?[nick] == nil {
                r.unexpected += n
                example("client \(s): refused for \(nick), never addressed")
            }
        }
        var pairs = Set(accepted.keys)
        for p in privateReceived.keys where !dead.contains(p.from) && !dead.contains(p.to) { pairs.insert(p) }
        for p in pairs {
            let want = accepted[p] ?? []
            r.privateExpected += want.count
            var seen = Set<UInt64>()
            var highest: UInt64?
            for q in privateReceived[p] ?? [] {
                if seen.contains(q) {
                    r.privateDuplicated += 1
                    example("client \(p.to) got private message \(q) of client \(p.from) again")
                    continue
                }
                seen.insert(q)
                guard want.contains(q) else {
                    r.unexpected += 1
                    example("client \(p.to) got private message \(q) of client \(p.from), which the hub refused or nobody sent")
                    continue
                }
                r.privateDelivered += 1
                if let h = highest, q < h {
                    r.privateReordered += 1
                    example("client \(p.to) got private message \(q) of client \(p.from) after \(h)")
                }
                highest = max(highest ?? q, q)
            }
            let missing = want.subtracting(seen)
            r.privateLost += missing.count
            if let q = missing.min() { example("client \(p.to) never got private message \(q) of client \(p.from) (\(missing.count) missing)") }
        }

        // Channels, check 1: runs per interval and sender.
        var lostBy: [LineKey: Set<Int>] = [:]
        func lose(_ key: LineKey, _ receiver: Int, _ why: String) {
            if lostBy[key, default: []].insert(receiver).inserted {
                example("client \(receiver) missed line \(key.seq) of client \(key.sender) in #churn\(key.channel) (\(why))")
            }
        }
        for rc in 0..<clients where !dead.contains(rc) {
            for c in 0..<channels {
                for iv in intervals[rc][c] {
                    var seen: [Int: Set<UInt64>] = [:]
                    var last: [Int: UInt64] = [:]
                    var first: [Int: UInt64] = [:]
                    var missing: [Int: Set<UInt64>] = [:]
                    for (s, q) in iv.lines where s != rc && !dead.contains(s) {
                        if seen[s]?.contains(q) == true {
                            r.channelDuplicated += 1
                            example("client \(rc) got line \(q) of client \(s) in #churn\(c) twice")
                            continue
                        }
                        seen[s, default: []].insert(q)
                        r.channelDelivered += 1
                        guard let l = last[s], let f = first[s] else {
                            last[s] = q
                            first[s] = q
                            continue
                        }
                        if q > l {
                            if q > l + 1 { missing[s, default: []].formUnion(l + 1..<q) }
                            last[s] = q
                        } else {
                            r.channelReordered += 1
                            example("client \(rc) got line \(q) of client \(s) in #churn\(c) after \(l)")
                            if q < f {
                                if q + 1 < f { missing[s, default: []].formUnion(q + 1..<f) }
                                first[s] = q
                            }
                            missing[s]?.remove(q)
                        }
                    }
                    for (s, qs) in missing {
                        for q in qs.subtracting(seen[s] ?? []) {
                            lose(LineKey(sender: s, channel: c, seq: q), rc, "a hole in its run")
                        }
                    }
                }
            }
        }

        // Channels, check 2: every member at an observed line has it in the right interval.
        let sets: [[[Set<UInt64>]]] = intervals.map { $0.map { $0.map { iv in
            Set(iv.lines.map { UInt64($0.sender) << 40 | $0.seq })
        } } }
        for (key, fact) in facts where !dead.contains(key.sender) {
            r.channelObserved += 1
            let written = channelWritten[key.sender][key.channel]
            guard key.seq < UInt64(written.count) else {
                r.unexpected += 1
                example("line \(key.seq) of client \(key.sender) in #churn\(key.channel) was never sent")
                continue
            }
            let from = written[Int(key.seq)]
            let packed = UInt64(key.sender) << 40 | key.seq
            for m in fact.members where m != key.sender && m >= 0 && m < clients && !dead.contains(m) {
                r.channelRequired += 1
                var found = false
                for (k, iv) in intervals[m][key.channel].enumerated()
                where iv.joinWritten <= fact.seenAt && (iv.partEchoed ?? .max) >= from {
                    if sets[m][key.channel][k].contains(packed) { found = true; break }
                }
                if !found { lose(key, m, "a member when the hub handled it") }
            }
        }
        r.channelLost = lostBy.values.reduce(0) { $0 + $1.count }
        r.examples = examples
        return r
    }
}
