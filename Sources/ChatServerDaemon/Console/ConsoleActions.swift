import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Carries out console commands against the hub. The hub's own events do the talking to
/// users (a kick is a QUIT to the channels and a disconnect to the session, a `say` a server
/// notice), and every change is logged with who made it.
final class ConsoleActions {
    var bans = BanList()
    private(set) var countdown: Countdown?
    private var pendingKills: [(id: Int, pid: pid_t?, deadline: UInt64)] = []
    private var samples: [(at: UInt64, requests: Int, events: Int)] = []
    private var nextExpiry: UInt64 = 0
    /// The last `stats` memory line and when it was measured.
    private var memoryLine: (at: UInt64, text: String)?
    /// Timed mutes, so that the user is told when theirs ends: session, the mute's end as the
    /// user record has it (wall ms, to tell a replaced mute apart) and as a loop deadline.
    private var timedMutes: [(id: Int, until: Int64, deadline: UInt64)] = []
    /// Frames were queued outside the hub's dispatch: have the loop come round at once so
    /// they are written (the hub flushes after each wait).
    private var flushSoon = false
    /// The `backup` under way, copied a step per turn (ConsoleActions+Backup.swift).
    var backupJob: BackupJob?

    struct Countdown {
        var deadline: UInt64  // monotonic ns
        var message: String
        var reminders: [Int64]  // seconds left at which to remind, descending
        var by: String
    }

    /// Seconds before a kicked session that has not left is killed.
    static let kickGrace: UInt64 = 5_000_000_000

    // MARK: Entry points

    /// Parses and runs one console line typed by `who`.
    /// Every command is in the log: a change with what it did (at `notice`, where it is
    /// made), anything else (a listing, a refusal) here, at `info`.
    /// `later`: where the answer of a command that takes longer than a turn (`backup`) goes;
    /// such a command answers `ConsoleReply.pending` now (or an error), the rest when done.
    /// Without it, such a command is refused.
    func run(_ line: String, by who: String, host: ConsoleHost, later: ((ConsoleReply) -> Void)? = nil) -> ConsoleReply {
        let reply: ConsoleReply, looked: Bool
        switch ConsoleCommand.parse(line) {
        case .failure(let e): (reply, looked) = (ConsoleReply(error: e), true)
        case .success(let command): (reply, looked) = (execute(command, by: who, host: host, later: later), command.onlyLooks)
        }
        if looked || reply.error != nil {
            let failed = reply.error.map { " (failed: \($0.message))" } ?? ""
            host.log.info("console [\(who)]: \(ConsoleFormat.clean(String(line.prefix(200))))\(failed)")
        }
        return reply
    }

    func execute(_ command: ConsoleCommand, by who: String, host: ConsoleHost, later: ((ConsoleReply) -> Void)? = nil) -> ConsoleReply {
        let now = Proc.wallMillis()
        switch command {
        case .help(let topic):
            return .ok(topic.map(ConsoleHelp.explain) ?? ConsoleHelp.list())
        case .who(let mask): return whoList(mask: mask, host: host, now: now)
        case .channels: return channelList(host: host)
        case .kick(let nick, let reason): return kick(nick, reason: reason, by: who, host: host)
        case .ban(let target, let seconds, let reason): return ban(target, seconds: seconds, reason: reason, by: who, host: host, now: now)
        case .unban(let target):
            guard let ban = bans.remove(target) else {
                return .failed("no ban on '\(ConsoleFormat.clean(target))'", hint: "'bans' lists them, with their numbers")
            }
            host.log.notice("console [\(who)]: unban \(ban.target)")
            return .ok("lifted the ban on \(ban.target)")
        case .bans:
            for ban in bans.expire(now: now) { host.log.notice("the ban on \(ban.target) has expired") }
            return banList(now: now)
        case .mute(let nick, let seconds, let reason): return mute(nick, seconds: seconds, reason: reason, by: who, host: host, now: now)
        case .unmute(let nick):
            guard let id = host.chat.session(named: nick), let u = host.chat.users[id] else { return noSuchNick(nick) }
            guard u.mutedUntil > now else { return .failed("\(u.nick) is not muted", hint: "'who' shows who is muted") }
            host.chat.mute(id, until: 0)
            timedMutes.removeAll { $0.id == id }
            notice("You may talk again (unmuted by the server operator)", to: id, host: host)
            host.log.notice("console [\(who)]: unmute \(u.nick)")
            return .ok("unmuted \(u.nick)")
        case .say(let channel, let text):
            let clean = ConsoleFormat.clean(text)
            if clean.isEmpty { return .failed("nothing left to say once control characters are removed", hint: "usage: say [#CHANNEL] TEXT") }
            if let channel {
                guard let ch = host.chat.channel(named: channel) else { return noSuchChannel(channel) }
                host.chat.serverNotice(clean, channel: ch.name)
                host.log.notice("console [\(who)]: say to \(ch.name): \(clean)")
                return .ok("told \(ch.members.count) in \(ch.name)" + cut(clean, limit: ChatState.noticeLimit))
            }
            host.chat.serverNotice(clean)
            host.log.notice("console [\(who)]: say to everyone: \(clean)")
            return .ok("told \(host.chat.users.count) connected" + cut(clean, limit: ChatState.noticeLimit))
        case .topic(let channel, let text):
            guard let ch = host.chat.channel(named: channel) else { return noSuchChannel(channel) }
            guard let text else {
                return .ok(ch.topic.isEmpty ? "\(ch.name) has no topic" : "\(ch.name): \(ConsoleFormat.clean(ch.topic)) (set by \(ConsoleFormat.clean(ch.topicBy)))")
            }
            host.chat.setTopic(ch, text: text, by: host.config.name)
            host.log.notice("console [\(who)]: topic \(ch.name): \(ConsoleFormat.clean(ch.topic))")
            return .ok("\(ch.name) topic set for \(ch.members.count) members" + cut(ConsoleFormat.clean(text), limit: host.chat.settings.topicLength))
        case .motd:
            guard let motd = host.config.motd else { return .ok("no message of the day (start with --motd-file PATH)") }
            return .ok(motd.isEmpty ? ["(the message of the day is empty)"] : motd.map(ConsoleFormat.clean))
        case .motdReload:
            guard host.config.limits.motdFile != nil else {
                return .failed("no MOTD file to reload", hint: "start the server with --motd-file PATH")
            }
            do {
                try host.reloadMOTD()
            } catch {
                host.log.error("console [\(who)]: motd reload failed: \(error)")
                return .failed("\(error)", hint: "the old message of the day stays; fix the file and try again")
            }
            let lines = host.config.motd?.count ?? 0
            host.log.notice("console [\(who)]: motd reload (\(NumberFormat.count(lines, "line")))")
            return .ok("message of the day reloaded: \(NumberFormat.count(lines, "line"))")
        case .stats: return statistics(host: host)
        case .logLevel(let level):
            guard let level else { return .ok("log level: \(LineLogHandler.level)") }
            let old = LineLogHandler.level
            LineLogHandler.level = level
            host.log.notice("console [\(who)]: log-level \(old) -> \(level)")
            return .ok("log level: \(level) (was \(old))")
        case .reload:
            let before = host.config.motd
            let reopened = LogOutput.shared.path != nil  // with --log-file; stderr is not reopened
            if let error = host.reload(by: "console [\(who)]") {
                return .failed("\(error)", hint: "the old settings stay\(reopened ? " (the log was reopened)" : ""); fix the file and try again")
            }
            let motd = host.config.motd == before ? "reloaded (message of the day unchanged)" : "reloaded: new message of the day"
            return .ok(motd + (reopened ? ", log reopened" : ""))
        case .shutdown(let seconds, let message):
            return shutdown(seconds: seconds, message: ConsoleFormat.clean(message), by: who, host: host)
        case .shutdownCancel:
            guard countdown != nil else { return .failed("no shutdown is counting down", hint: "'shutdown SECONDS' starts one") }
            countdown = nil
            host.chat.serverNotice("The shutdown has been cancelled")
            flushSoon = true
            host.log.notice("console [\(who)]: shutdown cancelled")
            return .ok("shutdown cancelled; everyone was told")
        case .detach:
            return .failed("this is the server's own console", hint: "'shutdown' stops the server; only 'chat-server console' can quit")
        case .backup(let path):
            return startBackup(path, by: who, host: host, later: later)
        case .accounts, .freeze, .unfreeze, .dropAccount:
            return accountCommand(command, by: who, host: host)
        case .freezeChannel, .unfreezeChannel, .dropChannel:
            return channelCommand(command, by: who, host: host)
        }
    }

    // MARK: Users

    private func noSuchNick(_ nick: String) -> ConsoleReply {
        .failed("no user named '\(ConsoleFormat.clean(nick))'", hint: "'who' lists the connected users")
    }

    private func noSuchChannel(_ name: String) -> ConsoleReply {
        .failed("no channel named '\(ConsoleFormat.clean(name))'", hint: "'channels' lists them")
    }

    private func notice(_ text: String, to id: Int, host: ConsoleHost) {
        host.send(.serverNotice(text: text), to: id)
    }

    /// Ends a session the way the hub would want it: the chat state forgets the user now
    /// (its channels see a QUIT with `reason`), the session gets a disconnect with the same
    /// reason, says goodbye to its client and exits; it is reaped like any other. One that
    /// has not gone within a few seconds is killed.
    func disconnect(_ id: Int, reason: String, host: ConsoleHost) {
        guard host.connection(id) != nil else { return }
        watchEndings(host)
        host.chat.end(session: id, quitReason: reason, farewell: reason)
    }

    /// Every connection the server ends (here, or by an IRC operator's KILL) is watched: a
    /// session still there after `kickGrace` is killed.
    func watchEndings(_ host: ConsoleHost) {
        guard host.chat.sessionEnding == nil else { return }
        host.chat.sessionEnding = { [unowned self, unowned host] id in
            guard let connection = host.connection(id) else { return }
            self.pendingKills.append((id, connection.pid, Proc.monotonicNanos() + Self.kickGrace))
            self.flushSoon = true
        }
    }

    private func kick(_ nick: String, reason: String, by who: String, host: ConsoleHost) -> ConsoleReply {
        guard let id = host.chat.session(named: nick), let u = host.chat.users[id] else { return noSuchNick(nick) }
        let why = ConsoleFormat.clean(reason)
        let text = "Kicked by the server operator" + (why.isEmpty ? "" : ": " + why)
        host.log.notice("console [\(who)]: kick \(u.nick) (\(u.host))\(why.isEmpty ? "" : ": " + why)")
        disconnect(id, reason: text, host: host)
        return .ok("kicked \(u.nick)")
    }

    private func ban(_ text: String, seconds: Int64?, reason: String, by who: String, host: ConsoleHost, now: Int64) -> ConsoleReply {
        var target = BanTarget.parse(text)
        if target == nil, let id = host.chat.session(named: text), let u = host.chat.users[id] {
            target = .address(u.host)
        }
        guard let target else {
            return .failed("'\(ConsoleFormat.clean(String(text.prefix(60))))' is not an address, a nick!user@host mask or a connected nick",
                           hint: "e.g. ban 192.0.2.7, ban *!*@192.0.2.*, ban mallory!*@*; 'help ban' for more")
        }
        // Only wildcards, or only wildcards and an address's separators (`*!*@*.*`, `*:*`):
        // every IPv4 or IPv6 client would match.
        if case .mask(let m) = target, m.allSatisfy({ "*!@?.:".contains($0) }) {
            return .failed("'\(m)' would ban everyone", hint: "use a narrower mask; to stop the server use 'shutdown'")
        }
        let why = ConsoleFormat.clean(reason)
        let ban = Ban(target: target, reason: why, setBy: who, setAt: now, expiresAt: seconds.map { now + $0 * 1000 })
        guard bans.add(ban) else { return .failed("the ban list is full (\(BanList.limit))", hint: "lift some with 'unban'") }
        // From now on whoever registers or changes nick is checked (everyone else just below).
        watchNames(host)
        let until = seconds.map { "for \(Durations.compact($0))" } ?? "until lifted"
        host.log.notice("console [\(who)]: ban \(target) \(until)\(why.isEmpty ? "" : ": " + why)")
        let gone = enforce(ban, host: host)
        var lines = ["banned \(target) \(until)"]
        if !gone.isEmpty { lines.append("disconnected: " + gone.joined(separator: ", ")) }
        return .ok(lines)
    }

    /// Disconnects everyone connected whom `ban` matches; returns their nicks (or addresses).
    @discardableResult
    private func enforce(_ ban: Ban, host: ConsoleHost) -> [String] {
        var gone: [String] = []
        let text = ban.disconnectReason
        for (id, u) in host.chat.users {
            let hit = u.registered ? ban.target.matches(source: u.source, host: u.host) : ban.target.matches(host: u.host)
            guard hit else { continue }
            gone.append(u.registered ? u.nick : u.host)
            host.log.notice("disconnecting \(u.registered ? u.nick : "a connection") from \(u.host): matches the ban on \(ban.target)")
            disconnect(id, reason: text, host: host)
        }
        return gone.sorted()
    }

    private func mute(_ nick: String, seconds: Int64?, reason: String, by who: String, host: ConsoleHost, now: Int64) -> ConsoleReply {
        guard let id = host.chat.session(named: nick), let u = host.chat.users[id] else { return noSuchNick(nick) }
        let until = seconds.map { now + $0 * 1000 } ?? Int64.max
        host.chat.mute(id, until: until)
        timedMutes.removeAll { $0.id == id }
        if let seconds { timedMutes.append((id, until, Proc.monotonicNanos() + UInt64(seconds) * 1_000_000_000)) }
        let span = seconds.map { "for \(Durations.compact($0))" } ?? "until unmuted"
        let why = ConsoleFormat.clean(reason)
        notice("You have been muted by the server operator \(span)\(why.isEmpty ? "" : ": " + why)", to: id, host: host)
        host.log.notice("console [\(who)]: mute \(u.nick) \(span)\(why.isEmpty ? "" : ": " + why)")
        return .ok("muted \(u.nick) \(span)")
    }

    // MARK: Listings

    private func whoList(mask: String?, host: ConsoleHost, now: Int64) -> ConsoleReply {
        var rows: [[String]] = []
        host.forEachConnection { id, slot in
            guard let u = host.chat.users[id] else { return }
            // Connections still choosing a nick show as "*": the mask "*" lists them too.
            if let mask, !(u.registered ? Names.maskMatches(mask: mask, u.nick, casemapping: .ascii) : mask == "*") { return }
            let address = slot.address
            let channels = u.channels.compactMap { host.chat.channels[$0]?.name }.sorted().joined(separator: ",")
            var flags: [String] = []
            if u.mutedUntil > now {
                flags.append(u.mutedUntil == Int64.max ? "muted" : "muted \(Durations.compact((u.mutedUntil - now + 999) / 1000))")
            }
            if u.away != nil { flags.append("away") }
            if let o = u.operName { flags.append("oper(\(o))") }
            if u.invisible { flags.append("invisible") }
            if let tls = u.tls { flags.append("tls(\(tls))") }
            rows.append([u.registered ? u.nick : "*", address, u.dialect.description,
                         channels.isEmpty ? "-" : channels,
                         Durations.compact((now - u.lastActive) / 1000),
                         ConsoleFormat.time(millis: u.connectedAt, now: now), flags.joined(separator: ",")])
        }
        if rows.isEmpty { return .ok(mask == nil ? "nobody is connected" : "nobody matches '\(ConsoleFormat.clean(mask!))'") }
        rows.sort { $0[0].lowercased() < $1[0].lowercased() }
        return .ok(ConsoleFormat.table(["NICK", "ADDRESS", "DIALECT", "CHANNELS", "IDLE", "SINCE", "FLAGS"], rows)
            + [NumberFormat.count(rows.count, "connection")])
    }

    private func channelList(host: ConsoleHost) -> ConsoleReply {
        let now = Proc.wallMillis()
        let rows = host.chat.channels.values.sorted { $0.name < $1.name }.map { ch in
            // A registered channel's founder and registration (`ConsoleActions+Channels`).
            [ch.name, String(ch.members.count)] + registrationColumns(ch, now: now)
                + [ch.topic.isEmpty ? "-" : ConsoleFormat.clean(ch.topic)]
        }
        if rows.isEmpty { return .ok("no channels") }
        return .ok(ConsoleFormat.table(["CHANNEL", "USERS", "FOUNDER", "REGISTERED", "FROZEN", "TOPIC"], rows))
    }

    private func banList(now: Int64) -> ConsoleReply {
        let active = bans.bans
        if active.isEmpty { return .ok("no bans") }
        let rows = active.map { b in
            [String(b.number), b.target.description,
             b.expiresAt.map { Durations.compact(max(0, ($0 - now + 999) / 1000)) + " left" } ?? "permanent",
             b.setBy, b.reason.isEmpty ? "-" : b.reason]
        }
        return .ok(ConsoleFormat.table(["#", "BAN", "EXPIRES", "BY", "REASON"], rows))
    }

    // MARK: Statistics

    private func statistics(host: ConsoleHost) -> ConsoleReply {
        let nowNS = Proc.monotonicNanos()
        let uptime = Int64((nowNS - host.startedAt) / 1_000_000_000)
        let stats = host.statistics
        let requests = stats.requests, events = stats.framesOut
        func rates(window: UInt64) -> String {
            // The newest sample at least `window` old (or the oldest there is).
            let base = samples.last { nowNS - $0.at >= window } ?? samples.first ?? (host.startedAt, 0, 0)
            let span = Double(nowNS - base.at) / 1e9
            guard span > 0.5 else { return "-" }
            let inRate = Double(requests - base.requests) / span, outRate = Double(events - base.events) / span
            return "in \(ConsoleFormat.rate(inRate))/s, out \(ConsoleFormat.rate(outRate))/s over \(Int(span.rounded()))s"
        }
        let pending = host.queuedForSessions()
        // Reading every session's smaps costs milliseconds: a script asking for stats in a loop
        // gets the same figure for a second rather than holding up the hub.
        let mem: String
        if let cached = memoryLine, nowNS - cached.at < 1_000_000_000 {
            mem = cached.text
        } else {
            let memory = MemoryUsage.measure(hub: Proc.pid, sessions: sessionPIDs(host))
            let spawnerKB = host.spawnerPID.flatMap { Proc.pssKiB(of: $0) }
            // The spawner and the sessions are not dumpable: a hub that left root may not read
            // their memory (docs/SERVER.md, "Sandbox and privileges").
            let sessionsUnreadable = memory.sampled == 0 && memory.sessions > 0
            var text = "hub \(NumberFormat.bytes(memory.hubKB * 1024)), "
                + "spawner \(spawnerKB.map { NumberFormat.bytes($0 * 1024) } ?? "unreadable"), "
                + "sessions \(sessionsUnreadable ? "unreadable" : NumberFormat.bytes(memory.sessionsKB * 1024)) "
                + "(\(NumberFormat.count(memory.sessions, "process", plural: "processes"))"
            if memory.sampled < memory.sessions && !sessionsUnreadable { text += ", estimated from \(memory.sampled)" }
            text += "), total \(NumberFormat.bytes((memory.hubKB + (spawnerKB ?? 0) + memory.sessionsKB) * 1024)) PSS"
            if sessionsUnreadable || spawnerKB == nil { text += " (as root, or with --user root, the hub can read them all)" }
            memoryLine = (nowNS, text)
            mem = text
        }
        return .ok(ConsoleFormat.table(["STAT", "VALUE"], [
            ["server", host.identity],
            ["uptime", Durations.compact(uptime)],
            ["clients", "\(host.connectionCount) connected, \(host.chat.registeredCount) registered, \(NumberFormat.count(host.chat.channels.count, "channel"))"],
            ["sessions", "\(stats.sessionsForked) forked, \(stats.forkFailures) fork failures"],
            ["messages", "\(rates(window: 10_000_000_000)); \(rates(window: 60_000_000_000))"],
            ["messages total", "\(requests) requests in, \(events) events out"],
            ["bytes", "\(NumberFormat.bytes(stats.bytesIn)) in, \(NumberFormat.bytes(stats.bytesOut)) out (hub channels)"],
            ["hub queue", "\(NumberFormat.bytes(pending.bytes)) waiting for \(NumberFormat.count(pending.sessions, "session"))"],
            ["held", "\(NumberFormat.count(stats.holds, "time")) a session's requests waited (reply budget, turn share)"],
            ["ticks", "\(NumberFormat.count(stats.ticksWaited, "time")) a session's lines waited for the delivery tick"],
            ["refused", "\(NumberFormat.count(stats.refused, "connection")); \(NumberFormat.count(bans.bans.count, "ban")) in force"],
            ["dropped", "\(NumberFormat.count(stats.queueOverflows, "queue overflow")), \(NumberFormat.count(stats.corruptFrames, "corrupt frame"))"],
            ["memory", mem],
        ]))
    }

    /// The hub's children but the spawner and the password worker, from /proc (what the kernel
    /// says), else the hub's own table.
    private func sessionPIDs(_ host: ConsoleHost) -> [pid_t] {
        let children = Proc.children(of: Proc.pid).filter {
            $0 != host.spawnerPID && Proc.name(of: $0) != PasswordWorker.processName
        }
        return children.isEmpty ? host.sessionPIDs : children
    }

    // MARK: Time

    private func shutdown(seconds: Int64, message: String, by who: String, host: ConsoleHost) -> ConsoleReply {
        if host.isShuttingDown { return .failed("the server is already shutting down", hint: "wait a moment") }
        let now = Proc.monotonicNanos()
        // A new countdown replaces a running one, and the reply says so.
        let replaced = countdown.map { " (instead of the one with \(Durations.words(Int64(($0.deadline - min(now, $0.deadline) + 999_999_999) / 1_000_000_000))) left)" } ?? ""
        let reminders = [3600, 1800, 600, 300, 120, 60, 30, 10, 5, 3, 2, 1].map(Int64.init).filter { $0 < seconds }
        countdown = Countdown(deadline: now + UInt64(seconds) * 1_000_000_000, message: message, reminders: reminders, by: who)
        host.log.notice("console [\(who)]: shutdown in \(seconds)s\(message.isEmpty ? "" : ": " + message)")
        if seconds > 0 {
            host.chat.serverNotice("Server shutting down in \(Durations.words(seconds))" + (message.isEmpty ? "" : ": " + message))
        }
        flushSoon = true
        return .ok((seconds > 0 ? "shutting down in \(Durations.words(seconds)); everyone was told ('shutdown cancel' stops it)" : "shutting down now") + replaced)
    }

    /// A text longer than what users get says so in the reply (" (cut to 400 bytes)").
    private func cut(_ text: String, limit: Int) -> String {
        text.utf8.count > limit ? " (cut to \(limit) bytes)" : ""
    }

    func nextDeadline() -> UInt64? {
        if flushSoon { return 0 }
        var d: [UInt64] = []
        if let c = countdown {
            d.append(c.reminders.first.map { c.deadline - UInt64($0) * 1_000_000_000 } ?? c.deadline)
        }
        if let k = pendingKills.first { d.append(k.deadline) }
        if let m = timedMutes.min(by: { $0.deadline < $1.deadline }) { d.append(m.deadline) }
        if let b = backupJob { d.append(b.nextStep) }
        return d.min()
    }

    func tick(now: UInt64, host: ConsoleHost) {
        flushSoon = false
        if let b = backupJob, now >= b.nextStep { stepBackup(b, now: now, host: host) }
        if samples.last.map({ now - $0.at >= 1_000_000_000 }) ?? true {
            samples.append((now, host.statistics.requests, host.statistics.framesOut))
            if samples.count > 130 { samples.removeFirst(samples.count - 130) }
        }
        if var c = countdown {
            if now >= c.deadline {
                countdown = nil
                host.log.notice("shutdown requested by \(c.by)")
                host.beginShutdown(reason: c.message.isEmpty ? "Server shutting down" : "Server shutting down: " + c.message, grace: 5)
                flushSoon = true
            } else if let r = c.reminders.first, now >= c.deadline - UInt64(r) * 1_000_000_000 {
                c.reminders.removeFirst()
                countdown = c
                host.chat.serverNotice("Server shutting down in \(Durations.words(r))" + (c.message.isEmpty ? "" : ": " + c.message))
                flushSoon = true
            }
        }
        if !pendingKills.isEmpty {
            pendingKills.removeAll { k in
                guard let connection = host.connection(k.id), connection.pid == k.pid else { return true }
                guard now >= k.deadline else { return false }
                host.log.warning("session \(k.id) (pid \(k.pid ?? 0)) did not leave after a disconnect; killing it")
                if let pid = k.pid { Proc.signal(pid, SIGKILL) }
                return true
            }
        }
        if !timedMutes.isEmpty {
            timedMutes.removeAll { m in
                // Gone, or muted again, or unmuted meanwhile: nothing to say.
                guard let u = host.chat.users[m.id], u.mutedUntil == m.until else { return true }
                guard now >= m.deadline else { return false }
                host.chat.mute(m.id, until: 0)
                notice("You may talk again (your mute has ended)", to: m.id, host: host)
                host.log.notice("the mute of \(u.nick) has ended")
                flushSoon = true
                return true
            }
        }
        if !bans.bans.isEmpty && now >= nextExpiry {
            nextExpiry = now + 1_000_000_000
            for ban in bans.expire(now: Proc.wallMillis()) { host.log.notice("the ban on \(ban.target) has expired") }
        }
        // A nick mask can only be checked once the user has a nick: each user is checked when
        // they register or change nick (and everyone once when such a ban is set), never by
        // walking all users against all bans.
        watchNames(host)
        if bans.hasNickMasks {
            let wall = Proc.wallMillis()
            for id in host.chat.takeNamed() {
                guard let u = host.chat.users[id], u.registered,
                      let ban = bans.ban(source: u.source, host: u.host, now: wall) else { continue }
                host.log.notice("disconnecting \(u.nick) (\(u.source)): matches the ban on \(ban.target)")
                disconnect(id, reason: ban.disconnectReason, host: host)
            }
        }
    }

    /// While a ban needs the nick to decide, the hub asks before it welcomes anyone (so a
    /// banned user is refused before 001 or the MOTD) and lists who changes nick.
    private func watchNames(_ host: ConsoleHost) {
        host.chat.watchNames = bans.hasNickMasks
        if !bans.hasNickMasks {
            host.chat.refusesRegistration = nil
        } else if host.chat.refusesRegistration == nil {
            host.chat.refusesRegistration = { [unowned self, unowned host] id, source, address in
                self.refusesRegistration(id, source: source, address: address, host: host)
            }
        }
    }

    private func refusesRegistration(_ id: Int, source: String, address: String, host: ConsoleHost) -> Bool {
        guard let ban = bans.ban(source: source, host: address, now: Proc.wallMillis()) else { return false }
        host.log.notice("refusing \(source): matches the ban on \(ban.target)")
        disconnect(id, reason: ban.disconnectReason, host: host)
        return true
    }

    /// Consulted by the hub for every new connection.
    func banReason(host: String) -> String? {
        guard !bans.bans.isEmpty else { return nil }
        let now = Proc.wallMillis()
        guard let ban = bans.banAtConnect(host: host, now: now) else { return nil }
        var text = ban.reason.isEmpty ? "no reason given" : ban.reason
        if let end = ban.expiresAt { text += " (for another \(Durations.compact(max(1, (end - now + 999) / 1000))))" }
        return text
    }
}

extension ConsoleActions {
    /// A change the chat state refused, in the console's words: `kind` names what `name` is
    /// ("account", "registered channel"), `list` the command that lists them.
    func adminFailure(_ e: ChatState.AdminError, _ name: String, state: String, kind: String, list: String) -> ConsoleReply {
        switch e {
        case .notFound:
            return .failed("no \(kind) named '\(ConsoleFormat.clean(name))'", hint: "'\(list)' lists them")
        case .unchanged:
            return .failed("\(ConsoleFormat.clean(name)) is already \(state)", hint: "'\(list)' shows which are frozen")
        case .notWritten(let why):
            let detail = why.map { ": " + ConsoleFormat.clean($0) } ?? ""
            return .failed("the state database refused the change\(detail)", hint: "nothing changed; see the log, and try again")
        }
    }
}
