import Testing
import TestSupport
@testable import ChatProtocol

/// 2025-11-28 12:34:56.789 UTC, in milliseconds since the epoch.
let noonish: Int64 = 1_764_333_296_789

@Suite(.serialized, .compute) struct HumanRendererTests {
    let me = HumanRenderContext(nick: "alice", currentChannel: "#lobby", serverName: "chat.local", utcOffsetSeconds: 0)

    func render(_ e: HubEvent, _ context: HumanRenderContext? = nil) -> [String] {
        renderHuman(e, context: context ?? me)
    }

    /// What IRCv3 adds reads as a person expects, should it reach a terminal (the hub sends
    /// none of it to people today): an away or a name change in words, an extended JOIN as a
    /// JOIN, tags alone as nothing.
    @Test func ircv3EventsReadAsWords() {
        #expect(render(.awayChange(source: "al!al@h", text: "lunch")) == ["-- al is away: lunch"])
        #expect(render(.awayChange(source: "al!al@h", text: nil)) == ["-- al is back"])
        #expect(render(.setName(source: "al!al@h", realName: "Al Bundy")) == ["-- al's real name is now Al Bundy"])
        #expect(render(.extendedJoin(channel: "#a", source: "al!al@h", realName: "Al")) == ["-- al joined #a"])
        #expect(render(.tagMessage(source: "al!al@h", target: "#a", tags: "+typing=active", time: 0, id: 1)).isEmpty)
    }

    @Test func contextDefaults() {
        let c = HumanRenderContext(nick: "bob", serverName: "s")
        #expect(c.currentChannel == nil)
        #expect(c.utcOffsetSeconds == 0)
    }

    @Test func welcome() {
        let w = Welcome(nick: "alice", user: "alice", host: "127.0.0.1", serverName: "chat.local", network: "TermNet",
                        version: "0.1", createdAt: 0, isupport: ["CHANTYPES=#"], users: 5, channels: 3,
                        motd: ["Be nice.", "", "Have fun."])
        #expect(render(.welcome(w)) == [
            "-- Welcome to TermNet, alice!",
            "-- 5 people are here, in 3 channels",
            "-- Message of the day:",
            "--   Be nice.",
            "--",
            "--   Have fun.",
        ])
        var alone = w
        alone.users = 1; alone.channels = 0; alone.motd = nil; alone.network = ""
        #expect(render(.welcome(alone)) == ["-- Welcome to chat.local, alice!", "-- You are the only one here right now"])
        var two = alone
        two.users = 2; two.channels = 1; two.serverName = ""; two.motd = []
        #expect(render(.welcome(two)) == ["-- Welcome to chat.local, alice!", "-- 2 people are here, in 1 channel"])
    }

    @Test(arguments: [
        (ErrorCode.noSuchNick, ["bob"], "There is nobody called bob here."),
        (.noSuchNick, ["#nope"], "There is no channel #nope."),
        (.noSuchChannel, ["#nope"], "There is no channel #nope."),
        (.tooManyChannels, ["#rust"], "You can't join #rust: you are in too many channels. Leave one with /part."),
        (.noRecipient, [], "Say who the message is for: /msg NICK TEXT."),
        (.noTextToSend, [], "There was no text to send."),
        (.unknownCommand, ["FOO"], "The server does not know the command FOO."),
        (.noNicknameGiven, [], "Give a nickname: /nick NAME."),
        (.erroneousNickname, ["1x"], "\"1x\" can't be a nickname. Use letters, digits and - _ [ ] { } \\ ` ^ |, starting with a letter."),
        (.nicknameInUse, ["alice"], "The nickname alice is taken, choose another."),
        (.userNotInChannel, ["bob", "#rust"], "bob is not in #rust."),
        (.notOnChannel, ["#rust"], "You are not in #rust."),
        (.userOnChannel, ["bob", "#rust"], "bob is already in #rust."),
        (.notRegistered, [], "Choose a nickname first."),
        (.needMoreParams, ["JOIN"], "Something is missing from that command; see /help."),
        (.alreadyRegistered, [], "You are already registered."),
        (.bannedFromChannel, ["#rust"], "You are banned from #rust."),
        (.badChannelName, ["#a b"], "#a b can't be a channel name: start it with # and use no spaces or commas."),
        (.chanOpPrivsNeeded, ["#rust"], "Only operators of #rust can do that."),
        (.unknownMode, ["z"], "There is no mode z."),
        (.usersDontMatch, [], "You can't change the modes of other people."),
    ] as [(ErrorCode, [String], String)])
    func errorSentences(code: ErrorCode, params: [String], sentence: String) {
        #expect(render(.error(code: code, params: params, text: "server text")) == ["!! " + sentence])
    }

    @Test func anUndeliveredMessageSaysWhy() {
        // Not a member: the usual reason, with what to do about it.
        #expect(render(.error(code: .cannotSendToChannel, params: ["#rust"], text: "Cannot send to channel (no external messages)"))
            == ["!! Your message to #rust was not delivered; you may need to /join #rust first."])
        // Any other reason (a mute): the server's words, for channels and people alike.
        #expect(render(.error(code: .cannotSendToChannel, params: ["#rust"], text: "You are muted by the server operator"))
            == ["!! Your message to #rust was not delivered: You are muted by the server operator."])
        #expect(render(.error(code: .cannotSendToChannel, params: ["bob"], text: "You are muted by the server operator"))
            == ["!! Your message to bob was not delivered: You are muted by the server operator."])
    }

    @Test func errorsFallBackToTheEventText() {
        #expect(render(.error(code: .nicknameInUse, params: [], text: "Nickname is already in use")) == ["!! Nickname is already in use"])
        #expect(render(.error(code: .userNotInChannel, params: ["bob"], text: "They aren't on that channel"))
            == ["!! They aren't on that channel"])
        #expect(render(.error(code: ErrorCode(rawValue: 999), params: ["x"], text: "Odd")) == ["!! Odd"])
        #expect(render(.error(code: ErrorCode(rawValue: 999), params: [], text: "")) == ["!! The server refused that (error 999)."])
    }

    @Test func nickChanges() {
        #expect(render(.nick(source: "bob!bob@::1", newNick: "robert")) == ["-- bob is now known as robert"])
        #expect(render(.nick(source: "alice!alice@host", newNick: "alicia")) == ["-- You are now known as alicia"])
        #expect(render(.nick(source: "ALICE!alice@host", newNick: "alicia")) == ["-- You are now known as alicia"])
    }

    @Test func ownJoinReadsDifferentlyFromOthers() {
        #expect(render(.join(channel: "#lobby", source: "bob!bob@::1")) == ["-- bob joined #lobby"])
        #expect(render(.join(channel: "#lobby", source: "alice!alice@127.0.0.1")) == ["-- You joined #lobby"])
        #expect(render(.join(channel: "#lobby", source: "AlIcE!alice@127.0.0.1")) == ["-- You joined #lobby"])
        #expect(render(.join(channel: "#lobby", source: "alice2!a@h")) == ["-- alice2 joined #lobby"])
        #expect(render(.join(channel: "#lobby", source: "alic!a@h")) == ["-- alic joined #lobby"])
    }

    @Test func partsAndQuits() {
        #expect(render(.part(channel: "#lobby", source: "bob!b@h", reason: "bye")) == ["-- bob left #lobby (bye)"])
        #expect(render(.part(channel: "#lobby", source: "bob!b@h", reason: "")) == ["-- bob left #lobby"])
        #expect(render(.part(channel: "#rust", source: "alice!a@h", reason: "")) == ["-- You left #rust"])
        #expect(render(.quit(source: "bob!b@h", reason: "Connection closed")) == ["-- bob quit (Connection closed)"])
        #expect(render(.quit(source: "bob!b@h", reason: "")) == ["-- bob quit"])
        #expect(render(.quit(source: "alice!a@h", reason: "bye")) == ["-- You quit (bye)"])
    }

    @Test func kicks() {
        #expect(render(.kick(channel: "#lobby", source: "bob!b@h", nick: "alice", reason: "spam"))
            == ["-- You were kicked from #lobby by bob (spam)"])
        #expect(render(.kick(channel: "#lobby", source: "bob!b@h", nick: "carol", reason: "spam"))
            == ["-- carol was kicked from #lobby by bob (spam)"])
        #expect(render(.kick(channel: "#lobby", source: "alice!a@h", nick: "carol", reason: ""))
            == ["-- You kicked carol from #lobby"])
    }

    @Test func channelMessages() {
        let t = noonish
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "hello", time: t))
            == ["[12:34] <bob> hello"])
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "#LOBBY", text: "hello", time: t))
            == ["[12:34] <bob> hello"])
        #expect(render(.message(source: "bob!b@h", kind: .action, target: "#lobby", text: "waves", time: t))
            == ["[12:34] * bob waves"])
        #expect(render(.message(source: "bob!b@h", kind: .notice, target: "#lobby", text: "note", time: t))
            == ["[12:34] -bob:#lobby- note"])
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "#rust", text: "hi", time: t))
            == ["[12:34] <bob:#rust> hi"])
        #expect(render(.message(source: "bob!b@h", kind: .action, target: "#rust", text: "waves", time: t))
            == ["[12:34] * bob:#rust waves"])
        #expect(render(.message(source: "bob!b@h", kind: .notice, target: "#rust", text: "note", time: t))
            == ["[12:34] -bob:#rust- note"])
        // Without a current channel every channel is "another" one.
        let nowhere = HumanRenderContext(nick: "alice", currentChannel: nil, serverName: "s")
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "hi", time: t), nowhere)
            == ["[12:34] <bob:#lobby> hi"])
    }

    @Test func privateMessages() {
        let t = noonish
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "alice", text: "psst", time: t))
            == ["[12:34] *bob* psst"])
        #expect(render(.message(source: "bob!b@h", kind: .notice, target: "alice", text: "fyi", time: t))
            == ["[12:34] -bob- fyi"])
        #expect(render(.message(source: "bob!b@h", kind: .action, target: "alice", text: "winks", time: t))
            == ["[12:34] (*) bob winks"])
        // A server as the source has no "!".
        #expect(render(.message(source: "chat.local", kind: .notice, target: "alice", text: "hi", time: t))
            == ["[12:34] -chat.local- hi"])
    }

    @Test func topics() {
        #expect(render(.topic(channel: "#lobby", text: "new topic", setBy: "alice!a@h", setAt: 1, isChange: true))
            == ["-- You set the topic of #lobby: new topic"])
        #expect(render(.topic(channel: "#lobby", text: "new topic", setBy: "bob!b@h", setAt: 1, isChange: true))
            == ["-- bob set the topic of #lobby: new topic"])
        #expect(render(.topic(channel: "#lobby", text: "", setBy: "bob!b@h", setAt: 1, isChange: true))
            == ["-- bob cleared the topic of #lobby"])
        #expect(render(.topic(channel: "#lobby", text: "", setBy: "", setAt: 0, isChange: false))
            == ["-- No topic is set for #lobby"])
        #expect(render(.topic(channel: "#lobby", text: "Rust talk", setBy: "bob!b@h", setAt: noonish / 1000, isChange: false))
            == ["-- The topic of #lobby is: Rust talk", "-- Set by bob on 2025-11-28 12:34"])
        #expect(render(.topic(channel: "#lobby", text: "Rust talk", setBy: "bob", setAt: 0, isChange: false))
            == ["-- The topic of #lobby is: Rust talk", "-- Set by bob"])
        #expect(render(.topic(channel: "#lobby", text: "Rust talk", setBy: "", setAt: 0, isChange: false))
            == ["-- The topic of #lobby is: Rust talk"])
    }

    @Test func names() {
        let members = [Member(nick: "alice", isOperator: true), Member(nick: "bob", isOperator: false),
                       Member(nick: "carol", isOperator: false)]
        #expect(render(.names(channel: "#lobby", members: members)) == ["-- In #lobby: @alice, bob, carol"])
        #expect(render(.names(channel: "#lobby", members: [])) == ["-- Nobody is in #lobby"])
        #expect(render(.names(channel: "#lobby", members: [Member(nick: "solo", isOperator: false)])) == ["-- In #lobby: solo"])
    }

    @Test func longNamesListsWrap() {
        let members = (1...40).map { Member(nick: "user\($0)", isOperator: $0 == 1) }
        let lines = render(.names(channel: "#lobby", members: members))
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= humanWrapWidth })
        #expect(lines[0].hasPrefix("-- In #lobby: @user1, user2,"))
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("--   user") })
        // Nothing lost or reordered: the lines, joined back, are the unwrapped list.
        let joined = lines.dropFirst().reduce(lines[0]) { $0 + " " + $1.dropFirst(5) }
        #expect(joined == "-- In #lobby: " + members.map { ($0.isOperator ? "@" : "") + $0.nick }.joined(separator: ", "))
        // Every line but the last ends with a comma.
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix(",") })
        #expect(!lines.last!.hasSuffix(","))
    }

    @Test func wrapExactlyAtTheWidth() {
        // "P: aaa, bbb" is 11 columns: it fits in 11, not in 10.
        #expect(wrapList(prefix: "P: ", items: ["aaa", "bbb"], width: 11) == ["P: aaa, bbb"])
        #expect(wrapList(prefix: "P: ", items: ["aaa", "bbb"], width: 10) == ["P: aaa,", "--   bbb"])
        // The comma counts: "P: aaa, bbb," is 12 columns.
        #expect(wrapList(prefix: "P: ", items: ["aaa", "bbb", "ccc"], width: 12) == ["P: aaa, bbb,", "--   ccc"])
        #expect(wrapList(prefix: "P: ", items: ["aaa", "bbb", "ccc"], width: 11) == ["P: aaa,", "--   bbb,", "--   ccc"])
        // An item longer than a line still shows, on a line of its own.
        let huge = String(repeating: "n", count: 100)
        #expect(wrapList(prefix: "P: ", items: ["a", huge, "b"], width: 20) == ["P: a,", "--   " + huge + ",", "--   b"])
    }

    @Test func who() {
        let entries = [
            WhoEntry(channel: "#lobby", nick: "alice", user: "alice", host: "127.0.0.1", realName: "Alice", isAway: false, isOperator: true),
            WhoEntry(channel: "#lobby", nick: "bob", user: "bob", host: "::1", realName: "Bob", isAway: true, isOperator: false),
        ]
        #expect(render(.who(mask: "#lobby", entries: entries)) == [
            "-- Who is in #lobby:",
            "--   @alice (alice@127.0.0.1)",
            "--   bob (bob@::1), away",
        ])
        #expect(render(.who(mask: "#empty", entries: [])) == ["-- Nobody is in #empty"])
        #expect(render(.who(mask: "bob", entries: [entries[1]])) == ["-- Who matches bob:", "--   bob (bob@::1) in #lobby, away"])
        var loner = entries[1]
        loner.channel = "*"
        #expect(render(.who(mask: "bob", entries: [loner])) == ["-- Who matches bob:", "--   bob (bob@::1), away"])
        #expect(render(.who(mask: "zed", entries: [])) == ["-- Nobody matches zed"])
    }

    @Test func whois() {
        let info = WhoisInfo(nick: "bob", user: "bob", host: "::1", realName: "Bob Builder", channels: ["@#lobby", "#rust"],
                             idleSeconds: 303, signonTime: noonish / 1000, away: "lunch")
        #expect(render(.whois(info)) == [
            "-- bob is bob@::1 (Bob Builder)",
            "-- bob is in @#lobby, #rust",
            "-- bob is away: lunch",
            "-- bob has been idle 5m 3s, online since 2025-11-28 12:34",
        ])
        let bare = WhoisInfo(nick: "bob", user: "b", host: "h", realName: "", channels: [], idleSeconds: 7, signonTime: 0, away: nil)
        #expect(render(.whois(bare)) == ["-- bob is b@h", "-- bob has been idle 7s"])
    }

    @Test func durations() {
        #expect(Durations.short(-5) == "0s")
        #expect(Durations.short(59) == "59s")
        #expect(Durations.short(60) == "1m 0s")
        #expect(Durations.short(3600 + 7 * 60 + 9) == "1h 7m")
        #expect(Durations.short(3 * 86_400 + 4 * 3600) == "3d 4h")
        #expect(Durations.short(Int64.max).hasSuffix("h"))
    }

    @Test func away() {
        #expect(render(.awayStatus(isAway: true)) == ["-- You are marked as away"])
        #expect(render(.awayStatus(isAway: false)) == ["-- You are no longer marked as away"])
        #expect(render(.awayReply(nick: "bob", text: "lunch")) == ["-- bob is away: lunch"])
        #expect(render(.awayReply(nick: "bob", text: "")) == ["-- bob is away"])
    }

    @Test func channelModes() {
        #expect(render(.channelModes(channel: "#lobby", modes: "+nt", createdAt: noonish / 1000))
            == ["-- #lobby has modes +nt, created 2025-11-28 12:34"])
        #expect(render(.channelModes(channel: "#lobby", modes: "+", createdAt: 0)) == ["-- #lobby has no modes set"])
        #expect(render(.channelModes(channel: "#lobby", modes: "", createdAt: -1)) == ["-- #lobby has no modes set"])
    }

    @Test func list() {
        #expect(render(.list([ChannelSummary(name: "#lobby", users: 3, topic: "Say hi"),
                              ChannelSummary(name: "#rust", users: 1, topic: "")])) == [
            "-- Channels:",
            "--   #lobby (3 users): Say hi",
            "--   #rust (1 user)",
        ])
        #expect(render(.list([])) == ["-- There are no channels yet; start one with /join #name"])
    }

    @Test func motd() {
        #expect(render(.motd(["Hello", "World"])) == ["-- Message of the day:", "--   Hello", "--   World"])
        #expect(render(.motd(nil)) == ["-- There is no message of the day"])
        #expect(render(.motd([])) == ["-- There is no message of the day"])
    }

    @Test func serverNoticeAndDisconnect() {
        #expect(render(.serverNotice(text: "Restarting in 5 minutes")) == ["*** Restarting in 5 minutes"])
        #expect(render(.disconnect(reason: "Ping timeout")) == ["*** Disconnected: Ping timeout"])
        #expect(render(.disconnect(reason: "")) == ["*** Disconnected"])
    }

    /// CTCP from IRC clients (irssi's /ping, /ctcp VERSION) is for the recipient's client: a
    /// person sees one line saying what was asked, never the raw request; replies (NOTICE)
    /// are not shown. ACTION arrives as an action, not as CTCP.
    @Test func ctcpQueriesAreOneLineAndRepliesAreDropped() {
        let t = noonish
        #expect(render(.message(source: "opp!o@h", kind: .privmsg, target: "alice", text: "\u{1}VERSION\u{1}", time: t))
            == ["-- opp sent you a CTCP VERSION request"])
        #expect(render(.message(source: "opp!o@h", kind: .privmsg, target: "alice", text: "\u{1}PING 1764333296\u{1}", time: t))
            == ["-- opp sent you a CTCP PING request"])
        // Without the closing 0x01, as some clients send it, and to a channel.
        #expect(render(.message(source: "opp!o@h", kind: .privmsg, target: "#lobby", text: "\u{1}TIME", time: t))
            == ["-- opp sent #lobby a CTCP TIME request"])
        #expect(render(.message(source: "opp!o@h", kind: .notice, target: "alice", text: "\u{1}VERSION irssi 1.4\u{1}", time: t))
            .isEmpty)
        // An 0x01 elsewhere, or alone, is not CTCP.
        #expect(render(.message(source: "opp!o@h", kind: .privmsg, target: "alice", text: "a\u{1}b", time: t))
            == ["[12:34] *opp* a\u{1}b"])
        #expect(render(.message(source: "opp!o@h", kind: .privmsg, target: "alice", text: "\u{1}\u{1}", time: t))
            == ["[12:34] *opp* \u{1}\u{1}"])
    }

    @Test func operatorChangesInTheFirstPersonWhereTheyAreAboutMe() {
        func mode(_ by: String, _ modes: String, _ nick: String) -> [String] {
            render(.channelModeChange(channel: "#dev", source: by + "!u@h", modes: modes, args: [nick]))
        }
        #expect(mode("bob", "+o", "carol") == ["-- bob made carol an operator of #dev"])
        #expect(mode("bob", "+o", "alice") == ["-- bob made you an operator of #dev"])
        #expect(mode("alice", "+o", "bob") == ["-- You made bob an operator of #dev"])
        #expect(mode("bob", "-o", "alice") == ["-- bob removed you as an operator of #dev"])
        #expect(mode("alice", "-o", "alice") == ["-- You removed yourself as an operator of #dev"])
        #expect(render(.channelModeChange(channel: "#dev", source: "bob!u@h", modes: "+x", args: []))
            == ["-- bob set mode +x on #dev"])
    }

    @Test func serverQueryReplies() {
        #expect(render(.lusers(LuserCounts(users: 5, channels: 1, maxUsers: 5))) == ["-- 5 people are here, in 1 channel"])
        #expect(render(.ison(nicks: ["bob", "carol"])) == ["-- Online: bob, carol"])
        #expect(render(.ison(nicks: [])) == ["-- None of them is online"])
        #expect(render(.userhost([UserHost(nick: "bob", user: "b", host: "h", isAway: true)])) == ["-- bob is b@h, away"])
    }

    @Test func noLineEverContainsALineBreak() {
        let nasty = "a\r\nb\rc\nd"
        let events: [HubEvent] = [
            .message(source: "bob\n!b@h", kind: .privmsg, target: "#lobby", text: nasty, time: noonish),
            .topic(channel: "#lobby", text: nasty, setBy: nasty, setAt: 1, isChange: false),
            .part(channel: "#lobby", source: "bob!b@h", reason: nasty),
            .error(code: .nicknameInUse, params: [nasty], text: nasty),
            .error(code: ErrorCode(rawValue: 1), params: [], text: nasty),
            .names(channel: nasty, members: [Member(nick: nasty, isOperator: false)]),
            .motd([nasty]),
            .serverNotice(text: nasty),
            .memberCount(channel: nasty, count: 3),
            .disconnect(reason: nasty),
            .whois(WhoisInfo(nick: nasty, user: nasty, host: nasty, realName: nasty, channels: [nasty], idleSeconds: 0,
                             signonTime: 0, away: nasty)),
            .list([ChannelSummary(name: nasty, users: 1, topic: nasty)]),
            .message(source: "bob!b@h", kind: .privmsg, target: "alice", text: "\u{1}" + nasty + "\u{1}", time: noonish),
            .ison(nicks: [nasty]), .userhost([UserHost(nick: nasty, user: nasty, host: nasty, isAway: true)]),
            .channelModeChange(channel: nasty, source: nasty, modes: nasty, args: [nasty]),
        ]
        for e in events {
            for line in render(e) {
                #expect(!line.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }, "\(line)")
            }
        }
        #expect(render(.message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: nasty, time: noonish))
            == ["[12:34] <bob> a  b c d"])
    }

    @Test func aCrowdIsAHeadCount() {
        #expect(render(.memberCount(channel: "#lobby", count: 10_000))
            == ["-- 10000 people are in #lobby, too many to list here (/names #lobby lists them)"])
    }

    @Test func everyEventRendersAtLeastOneLine() {
        let w = Welcome(nick: "a", user: "a", host: "h", serverName: "s", network: "n", version: "v", createdAt: 0,
                        isupport: [], users: 0, channels: 0, motd: nil)
        let all: [HubEvent] = [
            .welcome(w), .error(code: .noSuchNick, params: [], text: ""), .nick(source: "a", newNick: "b"),
            .join(channel: "#c", source: "a"), .part(channel: "#c", source: "a", reason: ""), .quit(source: "a", reason: ""),
            .kick(channel: "#c", source: "a", nick: "b", reason: ""),
            .message(source: "a", kind: .privmsg, target: "#c", text: "", time: 0),
            .topic(channel: "#c", text: "", setBy: "", setAt: 0, isChange: false), .names(channel: "#c", members: []),
            .who(mask: "#c", entries: []),
            .whois(WhoisInfo(nick: "a", user: "a", host: "h", realName: "", channels: [], idleSeconds: 0, signonTime: 0, away: nil)),
            .awayStatus(isAway: true), .awayReply(nick: "a", text: ""), .channelModes(channel: "#c", modes: "", createdAt: 0),
            .list([]), .motd(nil), .serverNotice(text: ""), .disconnect(reason: ""),
            .memberCount(channel: "#c", count: 10_000), .lusers(LuserCounts(users: 1, channels: 0, maxUsers: 1)), .ison(nicks: []),
            .userhost([]), .channelModeChange(channel: "#c", source: "a", modes: "+o", args: ["b"]),
        ]
        #expect(Set(all.map(\.messageType.rawValue)).count == 24)
        for e in all { #expect(!render(e).isEmpty, "\(e)") }
    }

    /// Found by fuzzing (fuzz/targets/message-fast-path.swift): a channel whose name is '#'
    /// then a combining mark was not taken for a channel (first Character, not first byte), so
    /// its messages were shown as private ones, unlike the fast path.
    @Test func channelStartingWithACombiningMark() {
        let name = "#\u{35B}x"
        let here = HumanRenderContext(nick: "alice", currentChannel: name, serverName: "chat.local")
        let e = HubEvent.message(source: "bob!b@h", kind: .privmsg, target: name, text: "hi", time: 0)
        #expect(render(e, here) == ["[00:00] <bob> hi"])
        #expect(render(e) == ["[00:00] <bob:\(name)> hi"])
        #expect(render(.who(mask: name, entries: [])) == ["-- Nobody is in \(name)"])
    }
}

@Suite(.serialized, .compute) struct HumanTimeTests {
    func hm(_ ms: Int64, _ offset: Int = 0) -> String { hourMinute(epochMilliseconds: ms, utcOffsetSeconds: offset) }

    @Test func hoursAndMinutes() {
        #expect(hm(0) == "00:00")
        #expect(hm(noonish) == "12:34")
        #expect(hm(59_999) == "00:00")
        #expect(hm(60_000) == "00:01")
        #expect(hm(86_399_999) == "23:59")
        #expect(hm(86_400_000) == "00:00")
    }

    @Test func midnightRollsOver() {
        let midnight: Int64 = 1_764_288_000_000  // 2025-11-28 00:00:00 UTC
        #expect(hm(midnight) == "00:00")
        #expect(hm(midnight - 1) == "23:59")
        #expect(hm(midnight - 60_001) == "23:58")
        #expect(humanDateTime(epochSeconds: midnight / 1000, utcOffsetSeconds: 0) == "2025-11-28 00:00")
        #expect(humanDateTime(epochSeconds: midnight / 1000 - 1, utcOffsetSeconds: 0) == "2025-11-27 23:59")
    }

    @Test func offsets() {
        #expect(hm(noonish, 3600) == "13:34")
        #expect(hm(noonish, -3600) == "11:34")
        #expect(hm(noonish, 5 * 3600 + 1800) == "18:04")  // UTC+5:30
        #expect(hm(noonish, -(12 * 3600 + 35 * 60)) == "23:59")  // back across midnight
        #expect(hm(noonish, 11 * 3600 + 26 * 60) == "00:00")  // forward across midnight
        #expect(humanDateTime(epochSeconds: noonish / 1000, utcOffsetSeconds: 12 * 3600) == "2025-11-29 00:34")
        #expect(humanDateTime(epochSeconds: noonish / 1000, utcOffsetSeconds: -13 * 3600) == "2025-11-27 23:34")
        let context = HumanRenderContext(nick: "a", currentChannel: "#c", serverName: "s", utcOffsetSeconds: -7200)
        #expect(renderHuman(.message(source: "b!b@h", kind: .privmsg, target: "#c", text: "x", time: noonish), context: context)
            == ["[10:34] <b> x"])
    }

    @Test func negativeAndExtremeTimesNeverShowNegativeDigits() {
        #expect(hm(-1) == "23:59")
        #expect(hm(-60_000) == "23:59")
        #expect(hm(-60_001) == "23:58")
        #expect(hm(-86_400_000) == "00:00")
        #expect(hm(-1, -3600) == "22:59")
        #expect(humanDateTime(epochSeconds: -1, utcOffsetSeconds: 0) == "1969-12-31 23:59")
        for ms in [Int64.min, Int64.min + 1, Int64.max, Int64.max - 1] {
            for offset in [0, 50_400, -50_400, Int.max, Int.min] {
                let s = hm(ms, offset)
                #expect(s.count == 5 && !s.contains("-"), "\(ms) \(offset): \(s)")
                _ = humanDateTime(epochSeconds: ms, utcOffsetSeconds: offset)
            }
        }
    }

    @Test func calendar() {
        #expect(humanDateTime(epochSeconds: 0, utcOffsetSeconds: 0) == "1970-01-01 00:00")
        #expect(humanDateTime(epochSeconds: 951_782_400, utcOffsetSeconds: 0) == "2000-02-29 00:00")
        #expect(humanDateTime(epochSeconds: 4_107_542_400, utcOffsetSeconds: 0) == "2100-03-01 00:00")
        #expect(humanDateTime(epochSeconds: 1_709_164_800, utcOffsetSeconds: 0) == "2024-02-29 00:00")
        #expect(humanDateTime(epochSeconds: -62_135_596_800, utcOffsetSeconds: 0) == "0001-01-01 00:00")
        // Every day from 1960 to 2040 follows the one before it.
        var previous = CivilTime.date(daysSinceEpoch: -3653)
        for day in Int64(-3652)...25_567 {
            let (y, m, d) = CivilTime.date(daysSinceEpoch: day)
            let next = d == previous.2 + 1 && m == previous.1 && y == previous.0
                || d == 1 && (m == previous.1 + 1 && y == previous.0 || m == 1 && previous.1 == 12 && y == previous.0 + 1)
            #expect(next, "day \(day)")
            previous = (y, m, d)
        }
    }
}
