import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The routing rules, without processes: requests in, events out.
final class RecordingSink: EventSink {
    var events: [(Int, HubEvent)] = []
    func deliver(_ frame: [UInt8], to session: Int) {
        var d = FrameDecoder()
        d.append(frame)
        while let e = try? d.next({ try HubEvent(type: $0, payload: $1) }) { events.append((session, e)) }
    }
    func deliver(_ frame: [UInt8], toEach sessions: [Int]) {
        #expect(Set(sessions).count == sessions.count, "a broadcast names a session twice: \(sessions)")
        for id in sessions { deliver(frame, to: id) }
    }
    func take(_ id: Int) -> [HubEvent] {
        defer { events.removeAll { $0.0 == id } }
        return events.filter { $0.0 == id }.map(\.1)
    }
}

@Suite(.serialized, .compute) struct ChatStateTests {
    let sink = RecordingSink()
    let state: ChatState
    var now: Int64 = 1_764_300_000_000

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        state = ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
    }

    func user(_ id: Int, _ nick: String, join: String? = "#lobby") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
    }

    @Test func registrationWelcomesAndRefusesTakenAndLookAlikeNicks() {
        user(1, "alice", join: nil)
        guard case .welcome(let w) = sink.take(1).first else { Issue.record("no welcome"); return }
        #expect(w.nick == "alice" && w.host == "10.0.0.1")
        state.connect(session: 2, host: "h")
        for taken in ["ALICE", "a1ice", "alIce", "server", "test.server"] {
            state.handle(.register(nick: taken, user: "x", realName: ""), from: 2)
            guard case .error(let code, _, _) = sink.take(2).first else { Issue.record("accepted \(taken)"); continue }
            #expect(code == .nicknameInUse || code == .erroneousNickname, "\(taken): \(code)")
        }
        state.handle(.join(channels: ["#x"]), from: 2)
        guard case .error(.notRegistered, _, _) = sink.take(2).first else { Issue.record("451 expected"); return }
    }

    /// A sync is answered with its token after what came before it, before registration and
    /// after a quit too (the quitting session waits on it for its farewell).
    @Test func aSyncIsAnsweredAfterEverythingBeforeIt() {
        state.connect(session: 1, host: "h")
        state.handle(.sync(token: 0), from: 1)
        #expect(sink.take(1) == [.sync(token: 0)])
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(1)
        _ = sink.take(2)
        state.handle(.names(channel: "#lobby"), from: 1)
        state.handle(.sync(token: 3), from: 1)
        let events = sink.take(1)
        #expect(events.count == 2 && events.last == .sync(token: 3))
        state.handle(.quit(reason: "Quit"), from: 1)
        state.handle(.sync(token: 4), from: 1)
        #expect(sink.take(1) == [.sync(token: 4)])
        #expect(sink.take(2).contains { if case .quit = $0 { return true } else { return false } })
    }

    /// Reserved names are folded as look-alikes of a present nick are: `r00t` passes for
    /// `root` as well as `a1ice` for `alice`.
    @Test func lookAlikesOfReservedNicksAreRefused() {
        state.connect(session: 1, host: "h")
        for nick in ["r00t", "R00T", "Adm1n", "adm|n", "N1ckServ", "nickserv", "0per", "OPER", "c0nso1e", "0perat0r", "Irc", "1rc", "hvb"] {
            state.handle(.register(nick: nick, user: "x", realName: ""), from: 1)
            let events = sink.take(1)
            if nick == "hvb" {  // not a look-alike in this small table: accepted
                #expect(events.contains { if case .welcome = $0 { return true } else { return false } }, "\(events)")
                continue
            }
            guard case .error(.erroneousNickname, let params, let text) = events.first else {
                Issue.record("accepted \(nick): \(events)")
                continue
            }
            // (A nick starting with a digit is not a nick at all.)
            #expect(params == [nick] && (text == "Nickname is reserved" || nick.first!.isNumber), "\(nick): \(params) \(text)")
        }
        // A nick change to one is refused too.
        state.handle(.nick("r00t"), from: 1)
        guard case .error(.erroneousNickname, _, "Nickname is reserved") = sink.take(1).first else { Issue.record("NICK r00t accepted"); return }
    }

    /// Every request with hostile text in every string field: no event to anyone (the
    /// sender included) carries a control, format or separator character. Free text is
    /// cleaned, names that cannot be shown are refused, and a refused name echoed in a reply
    /// is made safe.
    @Test func hostileTextInEveryRequestReachesNoEventUnsafe() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol", join: "#other")
        state.handle(.away(text: "gone"), from: 3)
        let hostile = [
            "x\u{1B}[2J\u{1B}]0;owned\u{7}\u{1B}]52;c;aGk=\u{7}y", "\u{9B}31mz", "a\u{202E}b", "l\u{2028}m\u{2029}n",
            "zero\u{200B}w\u{FEFF}", "nul\u{0}bel\u{7}", "\u{85}\u{9D}0;t\u{9C}", "nb\u{A0}sp\u{200E}",
        ]
        let names = hostile.flatMap { [$0, "#" + $0, "bob" + $0, "#lobby" + $0] }
        state.connect(session: 9, host: "10.0.0.9")
        for h in hostile + names {
            let requests: [HubRequest] = [
                .register(nick: h, user: h, realName: h), .nick(h), .join(channels: [h]), .part(channels: [h], reason: h),
                .message(kind: .privmsg, target: "#lobby", text: h), .message(kind: .notice, target: "bob", text: h),
                .message(kind: .action, target: h, text: h), .message(kind: .privmsg, target: "#lobby", text: "\u{1}" + h + "\u{1}"),
                .topic(channel: "#lobby", text: h), .topic(channel: h, text: nil), .topic(channel: h, text: h),
                .names(channel: h), .who(mask: h), .who(mask: h + "*"), .whois(nick: h),
                .kick(channel: "#lobby", nick: h, reason: h), .kick(channel: h, nick: "bob", reason: h),
                .away(text: h), .mode(target: h, args: [h]), .mode(target: "#lobby", args: ["+o" + h, h]),
                .mode(target: "#lobby", args: [h]), .ison(nicks: [h]), .userhost(nicks: [h]),
                .message(kind: .privmsg, target: "carol", text: h), .whois(nick: "alice"), .who(mask: "#lobby"), .list(channels: []),
                .part(channels: ["#lobby"], reason: h), .join(channels: ["#lobby"]),
            ]
            for r in requests { state.handle(r, from: 1) }
            state.handle(.register(nick: h, user: h, realName: h), from: 9)
        }
        state.connect(session: 4, host: "10.0.0.4")
        state.handle(.register(nick: "dave", user: "\u{1B}[31m\u{202E}", realName: hostile.joined()), from: 4)
        state.handle(.join(channels: ["#lobby"]), from: 4)
        state.handle(.who(mask: "#lobby"), from: 2)
        state.handle(.whois(nick: "dave"), from: 2)
        state.handle(.kick(channel: "#lobby", nick: "dave", reason: ""), from: 1)
        state.handle(.quit(reason: hostile.joined()), from: 1)
        #expect(!sink.events.isEmpty)
        for (to, event) in sink.events {
            for text in strings(in: event) where !UnsafeText.isSafe(text, allowingIRCFormatting: true) {
                Issue.record("to \(to): \(UnsafeText.findings(in: text, allowingIRCFormatting: true)) in \(event)")
            }
        }
    }

    /// A refused name echoed in a reply is short, whatever it is made of: a character may
    /// hold any number of combining marks, so the cut is by scalar.
    @Test func anEchoedNameIsCutByScalars() {
        user(1, "alice", join: nil)
        _ = sink.take(1)
        let zalgo = "#" + String(repeating: "e" + String(repeating: "\u{301}", count: 200), count: 10)
        for r: HubRequest in [.join(channels: [zalgo]), .whois(nick: zalgo), .names(channel: zalgo), .who(mask: zalgo)] {
            state.handle(r, from: 1)
            for event in sink.take(1) {
                for text in strings(in: event) { #expect(text.unicodeScalars.count <= 64, "\(r): \(text.utf8.count) bytes") }
            }
        }
    }

    /// Every string inside a value, however deep.
    private func strings(in value: Any) -> [String] {
        if let s = value as? String { return [s] }
        return Mirror(reflecting: value).children.flatMap { strings(in: $0.value) }
    }

    /// A quit reason reaches everyone who shared a channel with the user: no escape sequence,
    /// C1 control or bidi override in it may reach their terminals (a screen clear, a window
    /// title, a clipboard write).
    @Test func quitReasonsAreCleanedBeforeTheyReachOthers() {
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(1); _ = sink.take(2)
        let hostile = "Quit: bye\u{1B}[2J\u{1B}]0;owned\u{7}\u{1B}]52;c;aGk=\u{7}\u{9B}31m\u{202E}drow"
        state.handle(.quit(reason: hostile + String(repeating: "x", count: 1000)), from: 1)
        let reasons = sink.take(2).compactMap { e -> String? in
            if case .quit(_, let reason) = e { return reason } else { return nil }
        }
        #expect(reasons.count == 1)
        let reason = reasons.first ?? ""
        #expect(reason.hasPrefix("Quit: bye"), "\(reason.debugDescription)")
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                "\(reason.debugDescription)")
        #expect(reason.utf8.count <= 300)
    }

    @Test func channelNamesThatCannotBeShownSafelyAreRefused() {
        user(1, "alice", join: nil)
        _ = sink.take(1)
        for name in ["#\u{9B}2J", "#\u{202E}olleh", "#a\u{200B}"] {
            state.handle(.join(channels: [name]), from: 1)
            let events = sink.take(1)
            #expect(events.contains { if case .error(.noSuchChannel, _, _) = $0 { return true } else { return false } },
                    "\(name.debugDescription): \(events)")
            #expect(state.channel(named: name) == nil)
        }
    }

    @Test func channelMessagesGoToEveryMemberButTheSenderAndIntoHistory() {
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(1); _ = sink.take(2)
        for t in ["one", "two", "three"] { state.handle(.message(kind: .privmsg, target: "#lobby", text: t), from: 1) }
        #expect(sink.take(1).isEmpty)
        let got = sink.take(2).compactMap { e -> String? in
            if case .message(_, _, "#lobby", let text, _, _, _, _) = e { return text } else { return nil }
        }
        #expect(got == ["one", "two", "three"])
        user(3, "carol")
        let replay = sink.take(3).compactMap { e -> String? in
            if case .message(_, _, _, let text, _, _, _, _) = e { return text } else { return nil }
        }
        #expect(replay == ["two", "three"], "history keeps the last 2")
    }

    @Test func ctcpQueriesAndNoticesAreNotReplayed() {
        user(1, "alice")
        for (kind, text) in [(MessageKind.privmsg, "kept"), (.privmsg, "\u{1}VERSION\u{1}"), (.notice, "note"), (.action, "waves")] {
            state.handle(.message(kind: kind, target: "#lobby", text: text), from: 1)
        }
        user(2, "bob")
        let replay = sink.take(2).compactMap { e -> String? in
            if case .message(_, _, _, let text, _, _, _, _) = e { return text } else { return nil }
        }
        #expect(replay == ["kept", "waves"])
    }

    @Test func textIsSanitisedAtTheHub() {
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(2)
        state.handle(.message(kind: .privmsg, target: "#LOBBY", text: "a\u{1B}[31mb\u{7}c\u{202E}d"), from: 1)
        guard case .message(_, _, let target, let text, _, _, _, _) = sink.take(2).first else { Issue.record("nothing"); return }
        #expect(target == "#lobby")
        #expect(text == "abcd")
    }

    @Test func firstMemberIsOperatorAndOnlyOperatorsKick() {
        user(1, "alice")
        user(2, "bob")
        _ = sink.take(1); _ = sink.take(2)
        state.handle(.kick(channel: "#lobby", nick: "alice", reason: "x"), from: 2)
        guard case .error(.chanOpPrivsNeeded, _, _) = sink.take(2).first else { Issue.record("482 expected"); return }
        state.handle(.kick(channel: "#lobby", nick: "bob", reason: "bye"), from: 1)
        guard case .kick(_, _, "bob", "bye") = sink.take(2).first else { Issue.record("kick expected"); return }
        state.handle(.message(kind: .privmsg, target: "#lobby", text: "hi"), from: 2)
        guard case .error(.cannotSendToChannel, _, _) = sink.take(2).first else { Issue.record("404 expected"); return }
    }

    @Test func operatorsGiveAndTakeOperatorStatus() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol", join: "#elsewhere")
        for i in 1...3 { _ = sink.take(i) }
        // Not an operator: refused, nothing changes.
        state.handle(.mode(target: "#lobby", args: ["+o", "bob"]), from: 2)
        #expect(sink.take(2) == [.error(code: .chanOpPrivsNeeded, params: ["#lobby"], text: "You're not channel operator")])
        // The operator ops bob: everyone in the channel sees it, by bob's own spelling.
        state.handle(.mode(target: "#LOBBY", args: ["+o", "BOB"]), from: 1)
        let opped = HubEvent.channelModeChange(channel: "#lobby", source: "alice!alice@10.0.0.1", modes: "+o", args: ["bob"])
        #expect(sink.take(1) == [opped])
        #expect(sink.take(2) == [opped])
        #expect(sink.take(3).isEmpty)
        #expect(state.channel(named: "#lobby")?.members[2] == true)
        // Again: no change, no notice. Someone not in the channel, or nobody: 441, 401.
        state.handle(.mode(target: "#lobby", args: ["+oo", "bob", "carol"]), from: 1)
        #expect(sink.take(1) == [.error(code: .userNotInChannel, params: ["carol", "#lobby"], text: "They aren't on that channel")])
        state.handle(.mode(target: "#lobby", args: ["+o", "nobody"]), from: 1)
        #expect(sink.take(1) == [.error(code: .noSuchNick, params: ["nobody"], text: "No such nick/channel")])
        // bob, now an operator, can kick and take alice's status; then she cannot op.
        state.handle(.mode(target: "#lobby", args: ["-o", "alice"]), from: 2)
        #expect(sink.take(1) == [.channelModeChange(channel: "#lobby", source: "bob!bob@10.0.0.2", modes: "-o", args: ["alice"])])
        _ = sink.take(2)
        state.handle(.mode(target: "#lobby", args: ["+o", "alice"]), from: 1)
        guard case .error(.chanOpPrivsNeeded, _, _) = sink.take(1).first else { Issue.record("482 expected"); return }
        // Unknown letters are refused once each; +o without a nick is ignored.
        state.handle(.mode(target: "#lobby", args: ["+xxo"]), from: 2)
        #expect(sink.take(2) == [.error(code: .unknownMode, params: ["x"], text: "is unknown mode char to me")])
        state.handle(.names(channel: "#lobby"), from: 2)
        #expect(sink.take(2) == [.names(channel: "#lobby", members: [Member(nick: "bob", isOperator: true, source: "bob!bob@10.0.0.2"),
                                                                     Member(nick: "alice", isOperator: false, source: "alice!alice@10.0.0.1")])])
    }

    @Test func namesInNoChannelIsAnEmptyListForStar() {
        user(1, "alice", join: nil)
        _ = sink.take(1)
        state.handle(.names(channel: nil), from: 1)
        #expect(sink.take(1) == [.names(channel: "*", members: [])])
    }

    @Test func lusersIsonAndUserhostAnswerFromWhoIsOnline() {
        user(1, "alice")
        user(2, "Bob", join: "#two")
        state.connect(session: 3, host: "h")  // not registered: not counted, not online
        for i in 1...2 { _ = sink.take(i) }
        state.handle(.away(text: "lunch"), from: 2)
        _ = sink.take(2)
        state.handle(.lusers, from: 1)
        #expect(sink.take(1) == [.lusers(LuserCounts(users: 2, unknown: 1, channels: 2, maxUsers: 2))])
        state.handle(.ison(nicks: ["bob", "nobody", "ALICE"]), from: 1)
        #expect(sink.take(1) == [.ison(nicks: ["Bob", "alice"])])
        state.handle(.ison(nicks: ["nobody"]), from: 1)
        #expect(sink.take(1) == [.ison(nicks: [])])
        state.handle(.userhost(nicks: ["bob", "alice", "x", "x", "x", "alice"]), from: 1)
        #expect(sink.take(1) == [.userhost([UserHost(nick: "Bob", user: "Bob", host: "10.0.0.2", isAway: true),
                                            UserHost(nick: "alice", user: "alice", host: "10.0.0.1", isAway: false)])],
                "at most five nicks are looked up")
    }

    @Test func disconnectAnnouncesOnceToEachPeerAndFreesTheNick() {
        user(1, "alice")
        user(2, "bob", join: "#lobby")
        state.handle(.join(channels: ["#two"]), from: 1)
        state.handle(.join(channels: ["#two"]), from: 2)
        _ = sink.take(1); _ = sink.take(2)
        state.disconnect(session: 1, reason: "Session crashed (SIGSEGV)")
        let quits = sink.take(2).filter { if case .quit = $0 { return true } else { return false } }
        #expect(quits == [.quit(source: "alice!alice@10.0.0.1", reason: "Session crashed (SIGSEGV)")])
        #expect(state.session(named: "alice") == nil)
        #expect(state.channel(named: "#two")?.members.count == 1)
    }

    @Test func emptyChannelsDisappear() {
        user(1, "alice", join: "#solo")
        state.handle(.part(channels: ["#solo"], reason: ""), from: 1)
        #expect(state.channel(named: "#solo") == nil)
    }

    @Test func longListsComeInFrameSizedChunksWithOneEnd() {
        for i in 1...2500 { user(i, "u\(i)") }
        for i in 1...2500 { _ = sink.take(i) }
        state.handle(.names(channel: "#lobby"), from: 7)
        let names = sink.take(7).compactMap { e -> (Int, Bool)? in
            if case .names(_, let members, let more, _) = e { return (members.count, more) } else { return nil }
        }
        #expect(names.map(\.0) == [1000, 1000, 500])
        #expect(names.map(\.1) == [true, true, false])
        state.handle(.who(mask: "#lobby"), from: 7)
        let who = sink.take(7).compactMap { e -> Int? in if case .who(_, let entries, _, _) = e { return entries.count } else { return nil } }
        #expect(who.reduce(0, +) == 2500 && who.allSatisfy { $0 <= 200 })
    }

    /// Rows are counted by bytes as well as by number: whatever the hosts and real names, no
    /// reply needs a frame over 64 KiB (200 WHO rows of long ones trapped the hub).
    @Test func listRepliesAreChunkedByBytes() {
        let host = String(repeating: "h", count: 300)
        for i in 1...400 {
            state.connect(session: i, host: host + "\(i)")
            state.handle(.register(nick: "user\(i)", user: "u", realName: String(repeating: "r", count: 100)), from: i)
            state.handle(.join(channels: ["#lobby"]), from: i)
        }
        for i in 1...400 { _ = sink.take(i) }
        state.handle(.who(mask: "#lobby"), from: 1)
        let who = sink.take(1).compactMap { e -> (Int, Bool)? in if case .who(_, let rows, let more, _) = e { return (rows.count, more) } else { return nil } }
        #expect(who.map(\.0).reduce(0, +) == 400 && who.count >= 3, "\(who)")
        #expect(who.map(\.1) == Array(repeating: true, count: who.count - 1) + [false])
    }

    @Test func peopleInACrowdAreSparedMembershipNotices() {
        // Telnet users (hello(.human)) and one IRC client in a channel of 60.
        for i in 1...60 {
            state.connect(session: i, host: "h")
            state.handle(.hello(dialect: i == 1 ? .irc : .human), from: i)
            state.handle(.register(nick: "n\(i)", user: "n", realName: ""), from: i)
            state.handle(.join(channels: ["#big"]), from: i)
        }
        for i in 1...60 { _ = sink.take(i) }
        state.connect(session: 61, host: "h")
        state.handle(.register(nick: "late", user: "l", realName: ""), from: 61)
        state.handle(.join(channels: ["#big"]), from: 61)
        let late = sink.take(61)
        func joins(_ events: [HubEvent]) -> Int { events.filter { if case .join = $0 { return true } else { return false } }.count }
        func joins(_ id: Int) -> Int { joins(sink.take(id)) }
        #expect(joins(1) == 1, "IRC clients keep their nick lists")
        #expect(joins(2) == 0, "people in a crowd get no join notice")
        #expect(joins(late) == 1, "the one who joined always learns it")
        // A person joining a crowd gets a head count, not sixty nicks.
        #expect(late.contains { if case .memberCount("#big", 61) = $0 { return true } else { return false } })
        #expect(!late.contains { if case .names = $0 { return true } else { return false } })
        // An IRC client gets the full NAMES list its nick list needs.
        state.connect(session: 62, host: "h")
        state.handle(.hello(dialect: .irc), from: 62)
        state.handle(.register(nick: "bot", user: "b", realName: ""), from: 62)
        state.handle(.join(channels: ["#big"]), from: 62)
        let names = sink.take(62).compactMap { e -> Int? in if case .names(_, let m, _, _) = e { return m.count } else { return nil } }
        #expect(names.reduce(0, +) == 62)
        #expect(joins(1) == 1 && joins(2) == 0)
        // Leaving and changing nicks: the IRC clients hear of it, the people do not.
        state.handle(.part(channels: ["#big"], reason: "bye"), from: 3)
        state.handle(.nick("renamed"), from: 4)
        state.handle(.quit(reason: "gone"), from: 5)
        let ircSaw = sink.take(1), personSaw = sink.take(2), botSaw = sink.take(62)
        for saw in [ircSaw, botSaw] {
            #expect(saw.contains { if case .part = $0 { return true } else { return false } })
            #expect(saw.contains { if case .nick = $0 { return true } else { return false } })
            #expect(saw.contains { if case .quit = $0 { return true } else { return false } })
        }
        #expect(personSaw.isEmpty, "\(personSaw)")
        // The one who left still hears of it.
        #expect(sink.take(3).contains { if case .part = $0 { return true } else { return false } })
    }

    @Test func aChannelWhoseSecondByteIsACombiningMarkIsStillAChannel() {
        // "#" followed by U+0301 is one Character but a valid channel name (found by fuzzing).
        let name = "#\u{301}x"
        user(1, "alice", join: name)
        user(2, "bob", join: name)
        _ = sink.take(1); _ = sink.take(2)
        state.handle(.message(kind: .privmsg, target: name, text: "hi"), from: 1)
        guard case .message(_, _, let target, "hi", _, _, _, _) = sink.take(2).first else { Issue.record("not delivered"); return }
        #expect(target == name)
    }
}
