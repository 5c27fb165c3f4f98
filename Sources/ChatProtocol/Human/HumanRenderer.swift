/// The lines (without line ends) that show `event` to a human user.
///
/// Messages (`[HH:MM]` is the message's time in the context's offset):
/// - in the current channel: `[12:34] <alice> hi`, `[12:34] * alice waves`;
/// - in another channel: `[12:34] <alice:#rust> hi`, `[12:34] * alice:#rust waves`;
/// - a notice to a channel always names it: `[12:34] -alice:#lobby- text`;
/// - private: `[12:34] *alice* psst`, `[12:34] -alice- text`, action `[12:34] (*) alice waves`.
///
/// Other events are `-- ` lines (`-- You joined #lobby` for the user's own), errors `!! `
/// lines, and server notices and disconnection `*** ` lines. User-provided text is shown as
/// given, except that CR and LF become spaces: no returned line contains a line break.
public func renderHuman(_ event: HubEvent, context: HumanRenderContext) -> [String] {
    let lines = HumanRenderer(context: context).render(event)
    return lines.map { oneLine($0) }
}

/// Lines are wrapped (names lists, channel lists in WHOIS) to at most this many columns,
/// counting one column per Character.
let humanWrapWidth = 70

struct HumanRenderer {
    var context: HumanRenderContext

    func isMe<S: StringProtocol>(_ nick: S) -> Bool { sameName(nick, context.nick) }

    func render(_ event: HubEvent) -> [String] {
        switch event {
        case .welcome(let w):
            return welcome(w)

        case .error(let code, let params, let text):
            return ["!! " + errorSentence(code: code, params: params, text: text)]

        case .nick(let source, let newNick):
            let old = nickOf(source)
            return [isMe(old) ? "-- You are now known as \(newNick)" : "-- \(old) is now known as \(newNick)"]

        case .join(let channel, let source, _), .extendedJoin(let channel, let source, _, _):
            let who = nickOf(source)
            return [isMe(who) ? "-- You joined \(channel)" : "-- \(who) joined \(channel)"]

        case .part(let channel, let source, let reason):
            let who = nickOf(source)
            return [(isMe(who) ? "-- You left \(channel)" : "-- \(who) left \(channel)") + parenthesised(reason)]

        case .quit(let source, let reason):
            let who = nickOf(source)
            return [(isMe(who) ? "-- You quit" : "-- \(who) quit") + parenthesised(reason)]

        case .kick(let channel, let source, let nick, let reason):
            let by = nickOf(source)
            let line: String
            if isMe(nick) {
                line = "-- You were kicked from \(channel) by \(by)"
            } else if isMe(by) {
                line = "-- You kicked \(nick) from \(channel)"
            } else {
                line = "-- \(nick) was kicked from \(channel) by \(by)"
            }
            return [line + parenthesised(reason)]

        case .message(let source, let kind, let target, let text, let time, _, _, _):
            if kind != .action, let ctcp = CTCP(parsing: text) {
                return ctcpLine(source: source, isReply: kind == .notice, target: target, ctcp: ctcp)
            }
            return [message(source: source, kind: kind, target: target, text: text, time: time)]

        case .topic(let channel, let text, let setBy, let setAt, let isChange):
            let by = nickOf(setBy)
            if isChange {
                let who = isMe(by) ? "You" : String(by)
                return [text.isEmpty ? "-- \(who) cleared the topic of \(channel)"
                                     : "-- \(who) set the topic of \(channel): \(text)"]
            }
            if text.isEmpty { return ["-- No topic is set for \(channel)"] }
            var lines = ["-- The topic of \(channel) is: \(text)"]
            if !by.isEmpty {
                lines.append("-- Set by \(by)" + (setAt > 0 ? " on " + dateTime(setAt) : ""))
            }
            return lines

        case .names(let channel, let members, _, _):
            if members.isEmpty { return ["-- Nobody is in \(channel)"] }
            return wrapList(prefix: "-- In \(channel): ", items: members.map { $0.prefixes(all: false) + $0.nick })

        case .memberCount(let channel, let count):
            return ["-- \(count) people are in \(channel), too many to list here (/names \(channel) lists them)"]

        case .who(let mask, let entries, _, _):
            let isChannel = isChannelName(mask)
            if entries.isEmpty { return [isChannel ? "-- Nobody is in \(mask)" : "-- Nobody matches \(mask)"] }
            var lines = [isChannel ? "-- Who is in \(mask):" : "-- Who matches \(mask):"]
            for e in entries {
                var line = "--   " + (e.isOperator ? "@" : e.isVoiced ? "+" : "") + e.nick + " (" + e.user + "@" + e.host + ")"
                if !isChannel && e.channel != "*" && !e.channel.isEmpty { line += " in " + e.channel }
                if e.isAway { line += ", away" }
                if e.isServerOperator { line += ", server operator" }
                lines.append(line)
            }
            return lines

        case .whois(let w):
            var lines = ["-- \(w.nick) is \(w.user)@\(w.host)" + (w.realName.isEmpty ? "" : " (\(w.realName))")]
            if !w.channels.isEmpty { lines += wrapList(prefix: "-- \(w.nick) is in ", items: w.channels) }
            if let away = w.away { lines.append(away.isEmpty ? "-- \(w.nick) is away" : "-- \(w.nick) is away: \(away)") }
            if w.isServerOperator { lines.append("-- \(w.nick) is a server operator") }
            if let account = w.account { lines.append("-- \(w.nick) is logged in as \(account)") }
            var idle = "-- \(w.nick) has been idle " + Durations.short(w.idleSeconds)
            if w.signonTime > 0 { idle += ", online since " + dateTime(w.signonTime) }
            lines.append(idle)
            return lines

        case .whoisMissing(let nick):
            return ["!! " + errorSentence(code: .noSuchNick, params: [nick], text: "")]

        case .whowas(let nick, let entries):
            if entries.isEmpty { return ["-- Nobody called \(nick) has been here lately"] }
            return entries.map { e in
                "-- \(e.nick) was \(e.user)@\(e.host)" + (e.realName.isEmpty ? "" : " (\(e.realName))")
                    + ", until " + dateTime(e.leftAt)
            }

        case .awayStatus(let isAway):
            return [isAway ? "-- You are marked as away" : "-- You are no longer marked as away"]

        case .awayReply(let nick, let text):
            return [text.isEmpty ? "-- \(nick) is away" : "-- \(nick) is away: \(text)"]

        case .channelModes(let channel, let modes, let createdAt):
            let created = createdAt > 0 ? ", created " + dateTime(createdAt) : ""
            if modes.isEmpty || modes == "+" { return ["-- \(channel) has no modes set" + created] }
            return ["-- \(channel) has modes \(modes)" + created]

        case .list(let rows, _):
            if rows.isEmpty { return ["-- There are no channels yet; start one with /join #name"] }
            var lines = ["-- Channels:"]
            for row in rows {
                let users = row.users == 1 ? "1 user" : "\(row.users) users"
                lines.append("--   \(row.name) (\(users))" + (row.topic.isEmpty ? "" : ": " + row.topic))
            }
            return lines

        case .motd(let motd):
            return motdLines(motd, sayWhenMissing: true)

        case .serverNotice(let text):
            return ["*** " + text]

        case .disconnect(let reason):
            return [reason.isEmpty ? "*** Disconnected" : "*** Disconnected: " + reason]

        case .lusers(let l):
            return [population(users: l.users, channels: l.channels)]

        case .ison(let nicks):
            return [nicks.isEmpty ? "-- None of them is online" : "-- Online: " + nicks.joined(separator: ", ")]

        case .userhost(let rows):
            if rows.isEmpty { return ["-- None of them is online"] }
            return rows.map {
                "-- \($0.nick) is \($0.user)@\($0.host)" + ($0.isAway ? ", away" : "") + ($0.isServerOperator ? ", server operator" : "")
            }

        case .channelModeChange(let channel, let source, let modes, let args):
            return modeChange(channel: channel, by: nickOf(source), modes: modes, args: args)

        case .sync, .tlsSignature:
            return []  // the session's own barrier or handshake, not news for the user

        case .invite(let channel, let source, let nick, _):
            let by = nickOf(source)
            if isMe(nick) { return ["-- \(by) invites you to \(channel): /join \(channel) to go there"] }
            return ["-- \(by) invited \(nick) to \(channel)"]

        case .inviting(let channel, let nick):
            return ["-- You invited \(nick) to \(channel); they may join it once"]

        case .modeList(let channel, let mode, let entries):
            let name = mode == "e" ? "ban exceptions" : mode == "I" ? "invite exceptions" : "bans"
            if entries.isEmpty { return ["-- There are no \(name) in \(channel)"] }
            return ["-- The \(name) of \(channel):"] + entries.map {
                "--   \($0.mask) (set by \(nickOf($0.setBy))" + ($0.setAt > 0 ? " on " + dateTime($0.setAt) : "") + ")"
            }
        case .monitor(let online, let offline):
            if online.isEmpty && offline.isEmpty { return ["-- You are not watching anyone (/notify NICK to start)"] }
            return online.map { "-- \(nickOf($0)) is online" } + offline.map { "-- \($0) is offline" }

        case .monitorList(let targets):
            return [targets.isEmpty ? "-- You are not watching anyone" : "-- You watch: " + targets.joined(separator: ", ")]
        case .invitations(let channels):
            return [channels.isEmpty ? "-- You have no invitations" : "-- You are invited to: " + channels.joined(separator: ", ") + " (/join to go there)"]
        case .userModes(_, let modes, let isChange):
            return [userModes(modes, isChange: isChange)]

        case .youreOper(let name):
            return ["-- You are now a server operator (as \(name)): /kill and /wallops are yours; /help lists them"]

        case .loggedIn(_, _, let account):
            return ["-- You are now logged in as \(account)"]

        case .loggedOut:
            return ["-- You are now logged out"]

        case .saslResult:
            return []  // telnet users log in with /identify, never SASL

        case .serviceNotice(let service, let text):
            return ["-\(service)- " + text]

        case .wallops(let source, let text):
            return ["*** Wallops from \(nickOf(source)): " + text]

        case .tagMessage:
            return []  // tags alone (typing, reactions) are for IRC clients that show them

        case .awayChange(let source, let text):
            let who = nickOf(source)
            return [text.map { "-- \(who) is away: \($0)" } ?? "-- \(who) is back"]

        case .setName(let source, let realName):
            let who = nickOf(source)
            return [isMe(who) ? "-- Your real name is now \(realName)" : "-- \(who)'s real name is now \(realName)"]

        case .historyBatch(let target, let isEnd):
            return [isEnd ? "-- End of the history of \(target)" : "-- History of \(target):"]

        case .historyRefused(_, let target):
            return ["-- No history of \(target): you are not in that channel"]

        case .historyTargets(let targets):
            return targets.map { "-- History of \($0.name) until \(IRCRenderer.timestamp(epochMilliseconds: $0.time))" }

        case .accountChange:
            return []  // account-notify is IRC's; the hub sends it to no telnet user
        }
    }

    // MARK: Pieces

    /// Your user modes, in words: `+iwo` becomes "invisible, wallops, server operator".
    func userModes(_ modes: String, isChange: Bool) -> String {
        var adding = true, on: [String] = [], off: [String] = []
        for c in modes {
            let word: String
            switch c {
            case "+": adding = true; continue
            case "-": adding = false; continue
            case "i": word = "invisible"
            case "w": word = "receiving wallops"
            case "o": word = "server operator"
            default: word = "+" + String(c)
            }
            if adding { on.append(word) } else { off.append(word) }
        }
        if !isChange { return on.isEmpty ? "-- You have no user modes set" : "-- Your user modes: " + on.joined(separator: ", ") }
        var parts: [String] = []
        if !on.isEmpty { parts.append("you are now " + on.joined(separator: ", ")) }
        if !off.isEmpty { parts.append("you are no longer " + off.joined(separator: ", ")) }
        return "-- " + parts.joined(separator: "; ")
    }

    func welcome(_ w: Welcome) -> [String] {
        let network = !w.network.isEmpty ? w.network : !w.serverName.isEmpty ? w.serverName : context.serverName
        let lines = ["-- Welcome to \(network), \(w.nick)!", population(users: w.users, channels: w.channels)]
        return lines + motdLines(w.motd, sayWhenMissing: false)
    }

    /// How many people are here, counting the user.
    func population(users: Int, channels: Int) -> String {
        if users <= 1 { return "-- You are the only one here right now" }
        return "-- \(users) people are here, in " + (channels == 1 ? "1 channel" : "\(channels) channels")
    }

    /// A CTCP query or reply (VERSION, PING, DCC, …) from an IRC client: meant for the
    /// recipient's IRC client, which a person on telnet does not have. A query gets one line
    /// saying what was asked, not the raw parameters; a reply, to a query a person cannot
    /// have sent, nothing.
    func ctcpLine(source: String, isReply: Bool, target: String, ctcp: CTCP) -> [String] {
        if isReply { return [] }
        let from = nickOf(source)
        let what = "a CTCP " + shortened(ctcp.command, limit: 32) + " request"
        return [isChannelName(target) ? "-- \(from) sent \(target) \(what)" : "-- \(from) sent you \(what)"]
    }

    /// `-- alice made bob an operator of #rust`, in the first person where it is about the user.
    /// A MODE line as sentences, one per change: `-- alice made bob an operator of #chan`.
    func modeChange(channel: String, by source: Substring, modes: String, args: [String]) -> [String] {
        let by = isMe(source) ? "You" : String(source)
        let changes = ChannelModeChange.parse(modes, args)
        if changes.isEmpty { return ["-- \(by) set mode " + ([modes] + args).joined(separator: " ") + " on \(channel)"] }
        return changes.map { "-- \(by) " + modeSentence($0, channel: channel, by: source) }
    }

    /// What one change did, after who did it: `made bob an operator of #chan`.
    func modeSentence(_ c: ChannelModeChange, channel: String, by source: Substring) -> String {
        let p = c.parameter ?? ""
        let whom = isMe(p) ? (isMe(source) ? "yourself" : "you") : p
        switch (c.letter, c.adding) {
        case ("o", true): return "made \(whom) an operator of \(channel)"
        case ("o", false): return "removed \(whom) as an operator of \(channel)"
        case ("v", true): return "gave \(whom) a voice in \(channel)"
        case ("v", false): return "took the voice of \(whom) in \(channel)"
        case ("b", true): return "banned \(p) from \(channel)"
        case ("b", false): return "lifted the ban on \(p) in \(channel)"
        case ("e", true): return "exempted \(p) from the bans of \(channel)"
        case ("e", false): return "removed the ban exception for \(p) in \(channel)"
        case ("I", true): return "let \(p) join \(channel) without an invitation"
        case ("I", false): return "removed the invite exception for \(p) in \(channel)"
        case ("k", true): return "set the key of \(channel) to \(p) (join with /join \(channel) \(p))"
        case ("k", false): return "removed the key of \(channel)"
        case ("l", true): return "limited \(channel) to \(p) people"
        case ("l", false): return "removed the limit on \(channel)"
        case ("i", true): return "made \(channel) invite-only"
        case ("i", false): return "opened \(channel) to everyone (no longer invite-only)"
        case ("m", true): return "moderated \(channel): only operators and voiced people may speak"
        case ("m", false): return "unmoderated \(channel): everyone may speak"
        case ("n", true): return "closed \(channel) to messages from outside"
        case ("n", false): return "opened \(channel) to messages from outside"
        case ("s", true): return "made \(channel) secret"
        case ("s", false): return "made \(channel) public (no longer secret)"
        case ("t", true): return "locked the topic of \(channel): only operators may set it"
        case ("t", false): return "unlocked the topic of \(channel): everyone may set it"
        default: return "set mode \(c.adding ? "+" : "-")\(c.letter)" + (p.isEmpty ? "" : " " + p) + " on \(channel)"
        }
    }

    func motdLines(_ motd: [String]?, sayWhenMissing: Bool) -> [String] {
        guard let motd, !motd.isEmpty else { return sayWhenMissing ? ["-- There is no message of the day"] : [] }
        return ["-- Message of the day:"] + motd.map { $0.isEmpty ? "--" : "--   " + $0 }
    }

    func message(source: String, kind: MessageKind, target: String, text: String, time: Int64) -> String {
        let from = nickOf(source)
        let stamp = "[" + hourMinute(epochMilliseconds: time, utcOffsetSeconds: context.utcOffsetSeconds) + "] "
        if isChannelName(target) {
            let here = context.currentChannel.map { sameName($0, target) } ?? false
            let who = here ? String(from) : from + ":" + target
            switch kind {
            case .privmsg: return stamp + "<" + who + "> " + text
            case .action: return stamp + "* " + who + " " + text
            case .notice: return stamp + "-" + from + ":" + target + "- " + text
            }
        }
        if isMe(from) && !isMe(target[...]) {
            // Our own message to someone else, echoed by the hub (character mode).
            return HumanText.sentPrivately(kind: kind, to: target, text: text)
        }
        switch kind {
        case .privmsg: return stamp + "*" + from + "* " + text
        case .action: return stamp + "(*) " + from + " " + text
        case .notice: return stamp + "-" + from + "- " + text
        }
    }

    func errorSentence(code: ErrorCode, params: [String], text: String) -> String {
        let p0 = params.first ?? ""
        let p1 = params.count > 1 ? params[1] : ""
        switch code {
        case .noSuchNick where !p0.isEmpty:
            return isChannelName(p0) ? "There is no channel \(p0)." : "There is nobody called \(p0) here."
        case .noSuchChannel where !p0.isEmpty:
            return "There is no channel \(p0)."
        case .cannotSendToChannel where !p0.isEmpty && text.hasPrefix("Cannot send to channel (+m)"):
            return "Your message to \(p0) was not delivered: the channel is moderated, and only operators and voiced people may speak."
        case .cannotSendToChannel where !p0.isEmpty && text.hasPrefix("Cannot send to channel (banned)"):
            return "Your message to \(p0) was not delivered: you are banned from it."
        case .cannotSendToChannel where !p0.isEmpty && isChannelName(p0) && text.hasPrefix("Cannot send to channel"):
            return "Your message to \(p0) was not delivered; you may need to /join \(p0) first."
        case .cannotSendToChannel where !p0.isEmpty && !text.isEmpty:
            // Another reason (a mute, ...): the server's own words say why.
            return "Your message to \(p0) was not delivered: \(text)."
        case .tooManyChannels where !p0.isEmpty:
            return "You can't join \(p0): you are in too many channels. Leave one with /part."
        case .noRecipient:
            return "Say who the message is for: /msg NICK TEXT."
        case .noTextToSend:
            return "There was no text to send."
        case .unknownCommand where !p0.isEmpty:
            return "The server does not know the command \(p0)."
        case .noNicknameGiven:
            return "Give a nickname: /nick NAME."
        case .erroneousNickname where !p0.isEmpty && text.hasPrefix("Nickname is reserved"):
            return "The nickname \(p0) is reserved, choose another."
        case .erroneousNickname where !p0.isEmpty && text.hasPrefix("Nickname too long"):
            return "\"\(p0)\" is too long for a nickname\(text.drop { $0 != "(" }.isEmpty ? "" : " " + text.drop { $0 != "(" })."
        case .erroneousNickname where !p0.isEmpty:
            return "\"\(p0)\" can't be a nickname. Use letters, digits and - _ [ ] { } \\ ` ^ |, starting with a letter."
        case .nicknameInUse where !p0.isEmpty && text.hasPrefix("Nickname is too similar to "):
            let other = text.dropFirst("Nickname is too similar to ".count).prefix { $0 != "," }
            return "The nickname \(p0) is too close to \(other)'s, choose another."
        case .nicknameInUse where !p0.isEmpty:
            return "The nickname \(p0) is taken, choose another."
        case .userNotInChannel where !p0.isEmpty && !p1.isEmpty:
            return "\(p0) is not in \(p1)."
        case .notOnChannel where !p0.isEmpty:
            return "You are not in \(p0)."
        case .userOnChannel where !p0.isEmpty && !p1.isEmpty:
            return "\(p0) is already in \(p1)."
        case .notRegistered:
            return "Choose a nickname first."
        case .needMoreParams:
            return "Something is missing from that command; see /help."
        case .alreadyRegistered:
            return "You are already registered."
        case .bannedFromChannel where !p0.isEmpty && text.contains("frozen"):
            return "You can't join \(p0): it is frozen by the server operator."
        case .bannedFromChannel where !p0.isEmpty:
            return "You are banned from \(p0)."
        case .channelIsFull where !p0.isEmpty:
            return "You can't join \(p0): it is full. An operator of it can /invite you."
        case .inviteOnlyChannel where !p0.isEmpty:
            return "You can't join \(p0) without an invitation: ask one of its operators to /invite you."
        case .badChannelKey where !p0.isEmpty:
            return "\(p0) needs the right key: /join \(p0) KEY."
        case .banListFull where !p0.isEmpty:
            return "The list of \(p0) is full; remove an entry first."
        case .invalidModeParameter where params.count >= 2:
            return "\(params.count > 2 ? params[2] : "That") is not a valid value for mode \(p1) of \(p0)\(text.isEmpty ? "" : ": " + text)."
        case .badChannelName where !p0.isEmpty:
            return "\(p0) can't be a channel name: start it with # and use no spaces or commas."
        case .chanOpPrivsNeeded where !p0.isEmpty:
            return "Only operators of \(p0) can do that."
        case .unknownMode where !p0.isEmpty:
            return "There is no mode \(p0)."
        case .usersDontMatch:
            return "You can't change the modes of other people."
        case .passwordMismatch:
            return text.isEmpty ? "Wrong operator password." : text
        case .noOperHost:
            return "There is no operator block of that name for your address."
        case .noPrivileges:
            return "Only server operators can do that (see /oper)."
        case .unknownUserModeFlag:
            return "There is no such user mode (i invisible, w wallops, o operator)."
        default:
            return text.isEmpty ? "The server refused that (error \(code.rawValue))." : text
        }
    }

    /// `" (reason)"`, or nothing for an empty reason.
    func parenthesised(_ reason: String) -> String { reason.isEmpty ? "" : " (" + reason + ")" }

    func dateTime(_ epochSeconds: Int64) -> String {
        humanDateTime(epochSeconds: epochSeconds, utcOffsetSeconds: context.utcOffsetSeconds)
    }
}

/// By the first byte, as the hub's `Names.isValidChannel` does: `s.first` is a Character, and
/// `#` followed by a combining mark (a valid channel name) is a different Character.
func isChannelName<S: StringProtocol>(_ s: S) -> Bool {
    let b = s.utf8.first
    return b == UInt8(ascii: "#") || b == UInt8(ascii: "&")
}

/// `prefix` followed by the items separated by ", ", wrapped to `humanWrapWidth` columns;
/// continuation lines start with `"--   "`. An item longer than a line gets a line of its own.
func wrapList(prefix: String, items: [String], width: Int = humanWrapWidth) -> [String] {
    var lines: [String] = []
    var line = prefix
    var columns = prefix.count
    var lineHasItem = false
    for (i, item) in items.enumerated() {
        let piece = i == items.count - 1 ? item : item + ","
        let pieceColumns = piece.count
        if lineHasItem && columns + 1 + pieceColumns > width {
            lines.append(line)
            line = "--   "
            columns = line.count
            lineHasItem = false
        }
        if lineHasItem { line += " "; columns += 1 }
        line += piece
        columns += pieceColumns
        lineHasItem = true
    }
    lines.append(line)
    return lines
}

// MARK: - Time

/// `HH:MM` of a time in milliseconds since the epoch. Times before 1970 count back from
/// midnight (-1 ms is 23:59) rather than showing negative digits.
func hourMinute(epochMilliseconds: Int64, utcOffsetSeconds: Int) -> String {
    let t = CivilTime(epochMilliseconds: epochMilliseconds, utcOffsetSeconds: utcOffsetSeconds)
    return NumberFormat.twoDigits(t.hour) + ":" + NumberFormat.twoDigits(t.minute)
}

/// `YYYY-MM-DD HH:MM` of a time in seconds since the epoch (proleptic Gregorian calendar).
func humanDateTime(epochSeconds: Int64, utcOffsetSeconds: Int) -> String {
    let t = CivilTime(epochSeconds: epochSeconds, utcOffsetSeconds: utcOffsetSeconds)
    let year = t.year >= 0 ? NumberFormat.zeroPadded(t.year, width: 4) : "\(t.year)"
    return year + "-" + NumberFormat.twoDigits(t.month) + "-" + NumberFormat.twoDigits(t.day) + " "
        + NumberFormat.twoDigits(t.hour) + ":" + NumberFormat.twoDigits(t.minute)
}
