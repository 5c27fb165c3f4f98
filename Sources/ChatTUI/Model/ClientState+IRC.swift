import ChatProtocol

/// IRC protocol handling: registration, then one function per kind of message.
extension ClientState {
    // MARK: - Connection lifecycle

    /// The socket is open: capability negotiation and registration.
    mutating func ircConnected() {
        if irc.wantedNick.isEmpty { irc.wantedNick = config.nick }
        nick = irc.wantedNick
        irc.registrationDeadline = now + IRCLinkState.registrationTimeout
        emit(.send("CAP LS 302"))
        if let password = config.serverPassword { emit(.send("PASS :" + password)) }
        emit(.send("NICK " + irc.wantedNick))
        emit(.send("USER \(config.userName) 0 * :\(config.realName)"))
    }

    mutating func ircTick() {
        if connection == .registering, let due = irc.registrationDeadline, now >= due {
            irc.registrationDeadline = nil
            let secs = IRCLinkState.registrationTimeout / 1000
            error("The server did not let us in within \(secs) s.", window: 0)
            emit(.dropConnection(reason: "no welcome from the server within \(secs) s"))
            return
        }
        guard connection == .connected, let due = irc.nextPingAt, now >= due else { return }
        if let sent = irc.pingSentAt {
            if now - sent >= IRCLinkState.pingTimeout {
                error("No answer from the server for \((now - sent) / 1000) s.", window: 0)
                irc.nextPingAt = nil
                emit(.reconnect)
            }
            return
        }
        sendLagPing()
    }

    private mutating func sendLagPing() {
        irc.pingSentAt = now
        irc.nextPingAt = now + IRCLinkState.pingTimeout
        emit(.send("PING :" + IRCLinkState.pingToken(now)))
    }

    mutating func receivedIRCLine(_ bytes: [UInt8]) {
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: bytes)
        } catch .emptyLine {
            return
        } catch {
            self.error("Unreadable line from the server (\(error)).", window: 0)
            return
        }
        handle(message)
    }

    /// Dispatches one message from the server.
    mutating func handle(_ m: IRCMessage) {
        let time = irc.serverTime ? (m.tag("time").flatMap(TimeFormat.parseServerTime) ?? now) : now
        if let n = m.numeric {
            handleNumeric(n, m, time: time)
            return
        }
        switch m.verb {
        case "PING": emit(.send("PONG :" + (m.params.last ?? "")))
        case "PONG": handlePong(m)
        case "CAP": handleCap(m)
        case "AUTHENTICATE": handleAuthenticate(m)
        case "PRIVMSG": handleMessage(m, time: time, notice: false)
        case "NOTICE": handleMessage(m, time: time, notice: true)
        case "JOIN": handleJoin(m, time: time)
        case "PART": handlePart(m, time: time)
        case "QUIT": handleQuit(m, time: time)
        case "NICK": handleNick(m, time: time)
        case "KICK": handleKick(m, time: time)
        case "TOPIC": handleTopic(m, time: time)
        case "MODE": handleMode(m, time: time)
        case "INVITE":
            let who = sourceNick(m) ?? "?"
            info("\(who) invites you to \(m.params.last ?? "?") (/join to accept)")
        case "ERROR":
            error("Server: \(m.params.last ?? "closing the connection")", window: 0)
        default:
            info(m.params.dropFirst().joined(separator: " "), window: 0)
        }
    }

    /// The source's nick; nil when there is none (no source, or an empty nick as in `:!u@h`).
    private func sourceNick(_ m: IRCMessage) -> String? {
        guard let s = m.source else { return nil }
        let nick = IRCSource(parsing: s).nick
        return nick.isEmpty ? nil : nick
    }

    private func isMe(_ n: String?) -> Bool { n.map { caseMapping.equal($0, nick) } ?? false }

    // MARK: - Registration and capabilities

    private mutating func handleCap(_ m: IRCMessage) {
        guard m.params.count >= 2 else { return }
        let sub = m.params[1].uppercased()
        let list = (m.params.last ?? "").split(separator: " ").map { String($0.split(separator: "=").first ?? $0) }
        switch sub {
        case "LS":
            let more = m.params.count >= 4 && m.params[2] == "*"
            // userhost-in-names: the hosts of those already in a channel we join, for /ban.
            var wanted = list.filter { ["server-time", "multi-prefix", "userhost-in-names"].contains($0) }
            if saslWanted((m.params.last ?? "").split(separator: " "), more: more) { wanted.append("sasl") }
            if !wanted.isEmpty { emit(.send("CAP REQ :" + wanted.joined(separator: " "))) }
            if wanted.isEmpty && !more && irc.sasl != .requested { emit(.send("CAP END")) }
        case "ACK":
            if list.contains("server-time") { irc.serverTime = true }
            if !saslAcknowledged(list) { emit(.send("CAP END")) }
        case "NAK":
            saslRefused(list)
            if irc.sasl != .authenticating { emit(.send("CAP END")) }
        default: break
        }
    }

    /// Only the answer to the probe still outstanding counts: its token is ours, so the lag
    /// is computed from our own clock reading, never from a number the server made up (a
    /// token such as `chat-tui--9223372036854775808` would overflow `now - sent`).
    private mutating func handlePong(_ m: IRCMessage) {
        guard let sent = irc.pingSentAt, m.params.last == IRCLinkState.pingToken(sent) else { return }
        lagMillis = max(0, now - sent)
        irc.pingSentAt = nil
        irc.nextPingAt = now + IRCLinkState.pingInterval
    }

    private mutating func welcome(_ m: IRCMessage) {
        irc.registered = true
        irc.registrationDeadline = nil
        irc.nickAttempts = 0
        if let n = m.params.first, IRCLinkState.isOneWord(n) { nick = n }
        connection = .connected
        // Channels with a key first: JOIN pairs keys with channels in order.
        let rejoin = windows.filter { $0.isChannel && $0.joined }
        let keyed = rejoin.filter { $0.key != nil }
        let channels = keyed.map(\.name) + rejoin.filter { $0.key == nil }.map(\.name)
        let keys = keyed.compactMap(\.key)
        if !channels.isEmpty {
            emit(.send("JOIN " + channels.joined(separator: ",") + (keys.isEmpty ? "" : " " + keys.joined(separator: ","))))
        }
        if let a = awayMessage { emit(.send("AWAY :" + a)) }   // still away after a reconnect
        sendLagPing()
    }

    private mutating func parseISupport(_ m: IRCMessage) {
        for token in m.params.dropFirst().dropLast() {
            // "KEY=VALUE" or "KEY"; a token that is only "=" (or "=x") names nothing.
            let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard !parts[0].isEmpty else { continue }
            let key = parts[0].uppercased()
            let value = parts.count > 1 ? parts[1] : ""
            switch key {
            case "PREFIX":
                // (ov)@+
                if value.hasPrefix("("), let close = value.firstIndex(of: ")") {
                    let modes = Array(value[value.index(after: value.startIndex)..<close])
                    let symbols = Array(value[value.index(after: close)...])
                    if modes.count == symbols.count {
                        irc.prefixModes = modes
                        irc.prefixSymbols = symbols
                    }
                }
            case "CHANTYPES": if !value.isEmpty { irc.chanTypes = Set(value) }
            case "CHANMODES":
                let groups = value.split(separator: ",", omittingEmptySubsequences: false).map { Set($0) }
                if groups.count >= 4 { irc.chanModes = Array(groups.prefix(4)) }
            case "CASEMAPPING":
                irc.caseMapping = value == "ascii" ? .ascii : .rfc1459
            case "NETWORK": irc.network = value
            case "MODES": if let n = Int(value), n >= 1 { irc.modesPerLine = min(n, 20) }
            case "DEFCHAN":
                // Only a name we could send back as one JOIN parameter, without controls.
                let clean = !value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
                irc.defaultChannel = irc.isChannelName(value) && IRCLinkState.isOneWord(value) && clean ? value : nil
            default: break
            }
        }
        for i in windows.indices {
            windows[i].nicks.configure(modes: irc.prefixModes, symbols: irc.prefixSymbols, mapping: irc.caseMapping)
        }
        reindexWindows()
    }

    // MARK: - Numerics

    private mutating func handleNumeric(_ n: Int, _ m: IRCMessage, time: Int64) {
        let p = m.params
        let text = p.dropFirst().joined(separator: " ")
        if (900...908).contains(n), handleSASLNumeric(n, m) { return }
        switch n {
        case 1:
            saslWelcomed()
            welcome(m)
            info(p.last ?? "Welcome", window: 0)
        case 5: parseISupport(m)
        case 376, 422:
            info(text, window: 0)
            // Registered, in no channel and none asked for: land in the server's default
            // channel, once a session (a user who left it is not put back), or say what to do.
            if !windows.contains(where: { $0.isChannel }) {
                if !landed, let c = irc.defaultChannel {
                    landed = true
                    info("Joining \(c), the server's default channel (/part leaves it).", window: 0)
                    runCommand("join", c)
                } else {
                    info("You are in no channel yet: /join #channel to join one (/list shows them).", window: 0)
                }
            }
        case 4 where p.count >= 3:
            // <server> <version> <user modes> <channel modes>: only the first two mean anything
            // to a person.
            info("\(p[1]) runs \(p[2])", window: 0)
        case 265, 266:
            // `[<u> <m>] :Current local users…`: the numbers are in the text (ngIRCd sends both).
            info(p.last ?? text, window: 0)
        case 2, 3, 4, 250...264, 372, 375:
            info(text, window: 0)
        case 301 where p.count >= 3:
            let target = windowIndex(p[1]) ?? active
            info("\(p[1]) is away: \(p[2])", window: target)
        case 311 where p.count >= 6:
            irc.hosts.note(nick: p[1], host: p[3], mapping: caseMapping)
            info("\(p[1]) (\(p[2])@\(p[3])): \(p[5])")
        case 312 where p.count >= 4:
            info("\(p[1]) is on \(p[2]) (\(p[3]))")
        case 317 where p.count >= 3:
            // Numbers from the server are read with bounds (TimeFormat): shown as sent otherwise.
            let idle = TimeFormat.boundedSeconds(p[2]).map { Durations.spaced($0) } ?? "\(p[2]) s"
            let since = p.count >= 5 ? TimeFormat.epochMillis(p[3]).map { ", signed on \(TimeFormat.dateTime($0, utcOffset: config.utcOffset))" } ?? "" : ""
            info("\(p[1]) has been idle \(idle)\(since)")
        case 319 where p.count >= 3:
            info("\(p[1]) is in \(p[2])")
        case 318, 369: break   // end of WHOIS / WHOWAS
        case 324 where p.count >= 3:
            let w = windowIndex(p[1]) ?? active
            info("Mode of \(p[1]): \(p.dropFirst(2).joined(separator: " "))", window: w)
        case 329 where p.count >= 3:
            if let w = windowIndex(p[1]), let t = TimeFormat.epochMillis(p[2]) {
                event("Channel created \(TimeFormat.dateTime(t, utcOffset: config.utcOffset))", window: w, time: time)
            }
        case 333 where p.count >= 3:
            if let w = windowIndex(p[1]) {
                let when = p.count >= 4 ? TimeFormat.epochMillis(p[3]).map { " on \(TimeFormat.dateTime($0, utcOffset: config.utcOffset))" } ?? "" : ""
                event("Topic set by \(p[2])\(when)", window: w, time: time)
            }
        case 329, 333: break
        case 331 where p.count >= 2:
            if let w = windowIndex(p[1]) { windows[w].topic = ""; event("No topic is set.", window: w, time: time) }
        case 332 where p.count >= 3:
            if let w = windowIndex(p[1]) {
                windows[w].topic = TextSafety.sanitize(p[2])
                event("Topic: \(p[2])", window: w, time: time)
            } else {
                info("Topic of \(p[1]): \(p[2])")
            }
        case 321: break             // the channel list's header
        case 305:
            isAway = false
            info(p.last ?? "You are no longer marked as away", window: 0)
        case 306:
            isAway = true
            info(p.last ?? "You have been marked as away", window: 0)
        case 352 where p.count >= 8:
            // <channel> <user> <host> <server> <nick> <flags> :<hops> <real name>
            let real = p[7].split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            irc.hosts.note(nick: p[5], host: p[3], mapping: caseMapping)
            info("\(p[1]) \(p[5]) \(p[6]) \(p[2])@\(p[3]) \(real)")
        case 315: break
        case 341 where p.count >= 3:
            info("\(p[1]) is invited to \(p[2])")
        case 322 where p.count >= 3:
            irc.noteListed(p[1])
            let topic = p.count > 3 && !p[3].isEmpty ? ": \(p[3])" : ""
            info("\(p[1]) (\(p[2]))\(topic)", window: 0)
        case 323:
            info("End of the channel list.", window: 0)
        case 403 where p.count >= 3, 405 where p.count >= 3, 471 where p.count >= 3, 473 where p.count >= 3,
             474 where p.count >= 3, 475 where p.count >= 3:
            // We could not join (no such channel, too many channels, full, invite only,
            // banned, wrong key): the window must not look joined, nor be rejoined.
            guard let w = windowIndex(p[1]), windows[w].isChannel else { return error(text) }
            windows[w].joined = false
            windows[w].nicks.removeAll()
            error("Cannot join \(p[1]): \(p[2])", window: w)
            if w != active { error("Cannot join \(p[1]): \(p[2])") }
        case 353 where p.count >= 4:
            names(channel: p[2], entries: p[3])
        case 366 where p.count >= 2:
            endOfNames(channel: p[1])
        case 432 where !irc.registered, 433 where !irc.registered, 436 where !irc.registered:
            // Registration: try another nick so the user gets in at all.
            // Counted up to 6 only: a server refusing every nick forever must not grow a
            // string of underscores (or the count) without end.
            irc.nickAttempts = min(irc.nickAttempts + 1, 6)
            let base = irc.wantedNick.isEmpty ? config.nick : irc.wantedNick
            // Taken (or reserved, as "root" is on some servers): the nick with underscores, as
            // irssi does; a nick that can never be valid gets a generated one at once.
            let underscored = irc.nickAttempts <= 5 ? base + String(repeating: "_", count: irc.nickAttempts) : nil
            let next = underscored.flatMap { n != 432 || Names.isValidNick($0) ? $0 : nil }
                ?? "chattui\(now % 100_000)"
            // Where the user is looking (the first channel's window opens at once).
            error("Nick \(p.count > 1 ? p[1] : base) is not available; trying \(next).")
            nick = next
            emit(.send("NICK " + next))
        case 400...599:
            // Errors: show them where the user is looking.
            if n == 421 && p.count > 1 && p[1].uppercased() == "CAP" { return }
            error(text)
        default:
            info(text, window: 0)
        }
    }

    private mutating func names(channel: String, entries: String) {
        let key = caseMapping.fold(channel)
        if irc.namesRequested.contains(key) {
            irc.namesBuffer[key, default: []] += entries.split(separator: " ").map(String.init)
        }
        guard let w = windowIndex(channel) else { return }
        if !windows[w].namesInProgress {
            windows[w].nicks.removeAll()
            windows[w].namesInProgress = true
        }
        for e in entries.split(separator: " ") {
            if e.contains("!") { irc.hosts.note(source: String(e.drop { irc.prefixSymbols.contains($0) }), mapping: caseMapping) }
            windows[w].nicks.add(namesEntry: String(e))
        }
    }

    private mutating func endOfNames(channel: String) {
        let key = caseMapping.fold(channel)
        let w = windowIndex(channel)
        if let w { windows[w].namesInProgress = false }
        if irc.namesRequested.remove(key) != nil {
            // In the nick list's order: operators, voiced, the rest, each by name.
            var list = NickList()
            list.configure(modes: irc.prefixModes, symbols: irc.prefixSymbols, mapping: caseMapping)
            for entry in irc.namesBuffer.removeValue(forKey: key) ?? [] { list.add(namesEntry: entry) }
            let shown = list.sorted().map { $0.prefixes + $0.nick }
            info("Users on \(channel) (\(shown.count)): \(shown.joined(separator: " "))", window: w ?? active)
        } else if let w {
            let all = windows[w].nicks.displayOrder()
            let ops = all.filter { irc.isOperatorSymbol($0.shownPrefix) }.count
            info("\(channel): \(all.count) users (\(ops) ops)", window: w)
        }
    }

    // MARK: - Messages

    /// PRIVMSG and NOTICE, with CTCP ACTION, VERSION and PING.
    private mutating func handleMessage(_ m: IRCMessage, time: Int64, notice: Bool) {
        guard m.params.count >= 2 else { return }
        var target = m.params[0]
        var text = m.params[1]
        let src = m.source.map(IRCSource.init(parsing:))
        let from = src?.nick ?? ""
        let fromServer = src == nil || src!.isServer || !irc.registered

        // STATUSMSG: "@#chan" is a message to the channel's operators.
        if let f = target.first, irc.prefixSymbols.contains(f), irc.isChannelName(String(target.dropFirst())) {
            target = String(target.dropFirst())
        }

        if isIgnored(.messages, source: m.source) { return }
        var kind: LineKind = notice ? .notice : .message
        if text.hasPrefix("\u{1}") {
            var body = text.dropFirst()
            if body.hasSuffix("\u{1}") { body = body.dropLast() }
            let command = body.prefix { $0 != " " }.uppercased()
            let arg = String(body.dropFirst(command.count).drop { $0 == " " })
            switch (command, notice) {
            case ("ACTION", _):
                kind = .action
                text = arg
            // Answered only to a nick that can take the answer; otherwise shown like any other.
            case ("VERSION", false) where irc.ctcpReplyTarget(src) != nil:
                ctcpReply(to: irc.ctcpReplyTarget(src)!, "VERSION \(config.version)")
                info("\(from) asked for your client version.", window: 0)
                return
            case ("PING", false) where irc.ctcpReplyTarget(src) != nil:
                // The token is echoed without control characters (no escape sequences or
                // formatting go back out under our name).
                ctcpReply(to: irc.ctcpReplyTarget(src)!, "PING \(TextSafety.sanitize(arg))")
                return
            case ("PING", true) where Int64(arg).map({ $0 >= 0 && $0 <= now && now - $0 < 86_400_000 }) == true:
                // The answer to our /ping: the token is the time we sent it (within the last
                // day, never negative: `now - token` must not overflow on a made-up one).
                let h = (now - Int64(arg)! + 5) / 10   // hundredths of a second
                info("CTCP PING reply from \(from): \(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100) s.")
                return
            default:
                info("CTCP \(command) \(notice ? "reply " : "")from \(from): \(arg)", window: 0)
                return
            }
        }

        // A window is named by what we would send to: only a name that is one word gets one
        // (a source such as `:!u@h` has an empty nick; `#a,b` would address two).
        let window: Int
        if irc.isChannelName(target) {
            window = IRCLinkState.isOneWord(target) ? channelWindowFromServer(target) ?? 0 : 0
            if !from.isEmpty { windows[window].noteSpeaker(from) }
        } else if fromServer || !IRCLinkState.isOneWord(from) {
            window = 0
        } else if notice {
            if let w = windowIndex(from) {
                window = w
                followSpelling(of: from, in: w)
            } else {
                window = active
            }
        } else if let w = windowIndex(from) {
            window = w
            followSpelling(of: from, in: window)
        } else if queryWindowCount >= Self.maxQueryWindows {
            if !queryLimitNoted {
                queryLimitNoted = true
                info("\(Self.maxQueryWindows) private windows are open: messages from further nicks are shown here until some are closed (/close).", window: 0)
            }
            window = 0
        } else {
            window = ensureWindow(from, kind: .query)
        }
        append(Line(time: time, kind: kind, nick: fromServer && notice ? (src?.nick ?? "server") : from, text: text), to: window)
    }

    /// A query opened as `/query BOB` takes the server's spelling (`bob`) once it hears from
    /// the nick, as a channel window does on our JOIN.
    private mutating func followSpelling(of from: String, in window: Int) {
        guard windows[window].kind == .query, windows[window].name != from else { return }
        renameWindow(window, to: from)
    }

    /// `NOTICE to :\u{1}body\u{1}`, unless that line would be longer than an IRC line may be
    /// (a PING token is echoed as it came) or `body` holds another \u{1}.
    private mutating func ctcpReply(to: String, _ body: String) {
        let line = "NOTICE \(to) :\u{1}\(body)\u{1}"
        guard line.utf8.count <= IRCLinkState.maxReplyBytes, !body.utf8.contains(1) else { return }
        emit(.send(line))
    }

    // MARK: - Membership

    private mutating func handleJoin(_ m: IRCMessage, time: Int64) {
        guard let who = sourceNick(m), let channels = m.params.first else { return }
        if let source = m.source { irc.hosts.note(source: source, mapping: caseMapping) }
        for channel in channels.split(separator: ",").map(String.init) where IRCLinkState.isOneWord(channel) {
            if isMe(who) {
                guard let w = channelWindowFromServer(channel) else { continue }
                renameWindow(w, to: channel)    // the server's spelling
                windows[w].joined = true
                windows[w].topic = ""        // until 332 says what it is now
                windows[w].nicks.removeAll()
                windows[w].namesInProgress = false
                windows[w].nicks.add(who)
                event("You joined \(channel)", window: w, time: time)
            } else if let w = windowIndex(channel) {
                windows[w].nicks.add(who)
                if isIgnored(.joins, source: m.source) { continue }
                let src = IRCSource(parsing: m.source ?? who)
                let mask = src.user.map { " (\($0)@\(src.host ?? "?"))" } ?? ""
                event("\(who)\(mask) joined \(channel)", window: w, time: time)
            }
        }
    }

    private mutating func handlePart(_ m: IRCMessage, time: Int64) {
        guard let who = sourceNick(m), let channels = m.params.first else { return }
        let reason = m.params.count > 1 && !m.params[1].isEmpty ? " (\(m.params[1]))" : ""
        for channel in channels.split(separator: ",").map(String.init) {
            guard let w = windowIndex(channel) else { continue }
            if isMe(who) {
                windows[w].joined = false
                windows[w].nicks.removeAll()
                event("You left \(channel)\(reason). /close closes this window.", window: w, time: time)
            } else {
                windows[w].nicks.remove(who)
                if isIgnored(.joins, source: m.source) { continue }
                event("\(who) left \(channel)\(reason)", window: w, time: time)
            }
        }
    }

    private mutating func handleQuit(_ m: IRCMessage, time: Int64) {
        guard let who = sourceNick(m) else { return }
        let reason = m.params.first.map { " (\($0))" } ?? ""
        for w in windows.indices {
            let present = windows[w].isChannel ? windows[w].nicks.remove(who) : (windows[w].kind == .query && caseMapping.equal(windows[w].name, who))
            if present && !isIgnored(.joins, source: m.source) { event("\(who) quit\(reason)", window: w, time: time) }
        }
    }

    private mutating func handleNick(_ m: IRCMessage, time: Int64) {
        guard let old = sourceNick(m), let new = m.params.first, IRCLinkState.isOneWord(new) else { return }
        let me = isMe(old)
        irc.hosts.rename(old, to: new, mapping: caseMapping)
        if me {
            nick = new
            irc.wantedNick = new
            info("You are now known as \(new)", window: 0)
        }
        for w in windows.indices {
            switch windows[w].kind {
            case .channel:
                if windows[w].nicks.rename(old, to: new) {
                    event(me ? "You are now known as \(new)" : "\(old) is now known as \(new)", window: w, time: time)
                    if let i = windows[w].recentSpeakers.firstIndex(of: old) { windows[w].recentSpeakers[i] = new }
                }
            case .query where caseMapping.equal(windows[w].name, old):
                // The conversation follows the nick, unless a window for the new nick is
                // already open (someone else had it before): then two windows would share
                // one name, and this one keeps the old.
                let taken = windowIndex(new).map { $0 != w } ?? false
                if !taken || caseMapping.equal(old, new) { renameWindow(w, to: new) }
                event("\(old) is now known as \(new)", window: w, time: time)
            default: break
            }
        }
    }

    private mutating func handleKick(_ m: IRCMessage, time: Int64) {
        guard m.params.count >= 2, let w = windowIndex(m.params[0]) else { return }
        let by = sourceNick(m) ?? "?"
        let victim = m.params[1]
        let reason = m.params.count > 2 ? " (\(m.params[2]))" : ""
        if isMe(victim) {
            windows[w].joined = false
            windows[w].nicks.removeAll()
            error("You were kicked from \(m.params[0]) by \(by)\(reason)", window: w)
        } else {
            windows[w].nicks.remove(victim)
            event("\(victim) was kicked from \(m.params[0]) by \(by)\(reason)", window: w, time: time)
        }
    }

    private mutating func handleTopic(_ m: IRCMessage, time: Int64) {
        guard m.params.count >= 2, let w = windowIndex(m.params[0]) else { return }
        windows[w].topic = TextSafety.sanitize(m.params[1])
        event("\(sourceNick(m) ?? "?") changed the topic to: \(m.params[1])", window: w, time: time)
    }

    /// Channel modes: status modes (+o/-v …) update the nick list; all are shown.
    private mutating func handleMode(_ m: IRCMessage, time: Int64) {
        guard m.params.count >= 2 else { return }
        let target = m.params[0]
        let by = sourceNick(m) ?? "?"
        let change = m.params.dropFirst().joined(separator: " ")
        guard irc.isChannelName(target), let w = windowIndex(target) else {
            info("Mode \(change) for \(target)", window: 0)
            return
        }
        var args = Array(m.params.dropFirst(2))
        var adding = true
        for c in m.params[1] {
            switch c {
            case "+": adding = true
            case "-": adding = false
            default:
                let takesArg = irc.prefixModes.contains(c) || irc.chanModes[0].contains(c) || irc.chanModes[1].contains(c)
                    || (adding && irc.chanModes[2].contains(c))
                guard takesArg else { continue }
                guard !args.isEmpty else { continue }
                let arg = args.removeFirst()
                if irc.prefixModes.contains(c) { windows[w].nicks.setMode(c, on: adding, for: arg) }
            }
        }
        event("\(by) sets mode \(change)", window: w, time: time)
    }
}
