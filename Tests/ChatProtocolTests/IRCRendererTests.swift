import Testing
import TestSupport
@testable import ChatProtocol

private let ctx = IRCRenderContext(serverName: "irc.test", nick: "alice", serverTime: false)

private func lines(_ event: HubEvent, _ context: IRCRenderContext = ctx) -> [String] {
    IRCRenderer.render(event, context: context).map { $0.serialized() }
}

/// Every rendered line fits the 512-byte limit (tags aside) and parses back to the same message.
private func checkWire(_ event: HubEvent, _ context: IRCRenderContext = ctx) throws {
    for m in IRCRenderer.render(event, context: context) {
        var wire: [UInt8] = []
        m.appendLine(to: &wire)
        let tagBytes = m.tags.isEmpty ? 0 : (wire.firstIndex(of: 0x20)! + 1)
        #expect(wire.count - tagBytes <= 512, "\(m.serialized())")
        #expect(try IRCMessage(parsing: Array(wire.dropLast(2)), limits: .strict) == m)
    }
}

@Suite(.serialized, .compute) struct IRCRendererTests {
    let welcome = Welcome(nick: "alice", user: "al", host: "127.0.0.1", serverName: "irc.test", network: "TestNet",
                          version: "chat-1.0", createdAt: 1_764_300_000,
                          isupport: ["CASEMAPPING=rfc1459", "CHANTYPES=#", "CHANMODES=b,k,l,imnst", "PREFIX=(o)@",
                                     "NICKLEN=30", "CHANNELLEN=50", "TOPICLEN=390", "NETWORK=TestNet", "AWAYLEN=200",
                                     "KICKLEN=300", "MODES=4", "MAXTARGETS=4", "CHANLIMIT=#:20", "SAFELIST"],
                          users: 3, channels: 2, motd: ["Be nice.", ""])

    @Test func welcomeBurst() {
        let pre = IRCRenderContext(serverName: "irc.test", nick: "*")
        #expect(lines(.welcome(welcome), pre) == [
            ":irc.test 001 alice :Welcome to the TestNet Network, alice!al@127.0.0.1",
            ":irc.test 002 alice :Your host is irc.test, running version chat-1.0",
            ":irc.test 003 alice :This server was created 2025-11-28 03:20:00 UTC",
            ":irc.test 004 alice irc.test chat-1.0 i biklmnost",
            ":irc.test 005 alice CASEMAPPING=rfc1459 CHANTYPES=# CHANMODES=b,k,l,imnst PREFIX=(o)@ NICKLEN=30 CHANNELLEN=50 TOPICLEN=390 NETWORK=TestNet AWAYLEN=200 KICKLEN=300 MODES=4 MAXTARGETS=4 CHANLIMIT=#:20 :are supported by this server",
            ":irc.test 005 alice SAFELIST :are supported by this server",
            ":irc.test 251 alice :There are 3 users and 0 invisible on 1 servers",
            ":irc.test 254 alice 2 :channels formed",
            ":irc.test 255 alice :I have 3 clients and 0 servers",
            ":irc.test 375 alice :- irc.test Message of the day - ",
            ":irc.test 372 alice :- Be nice.",
            ":irc.test 372 alice :- ",
            ":irc.test 376 alice :End of /MOTD command.",
        ])
    }

    @Test func welcomeWithoutMotdOrModeTokens() {
        var w = welcome
        w.motd = nil
        w.isupport = []
        let out = lines(.welcome(w))
        #expect(out.contains(":irc.test 004 alice irc.test chat-1.0 i o"))
        #expect(!out.contains { $0.contains(" 005 ") })
        #expect(out.last == ":irc.test 422 alice :MOTD File is missing")
    }

    @Test func isupportLinesStayShort() throws {
        var w = welcome
        w.isupport = (0..<40).map { "TOKEN\($0)=" + String(repeating: "v", count: 60) }
        let fives = IRCRenderer.render(.welcome(w), context: ctx).filter { $0.command == "005" }
        #expect(fives.count > 3)
        #expect(fives.allSatisfy { $0.params.count <= 13 + 2 && $0.params.last == "are supported by this server" })
        #expect(fives.flatMap { $0.params.dropFirst().dropLast() } == w.isupport)
        try checkWire(.welcome(w))
    }

    @Test func errorNumerics() {
        #expect(lines(.error(code: .noSuchNick, params: ["bob"], text: "No such nick/channel"))
            == [":irc.test 401 alice bob :No such nick/channel"])
        #expect(lines(.error(code: .nicknameInUse, params: ["bob"], text: "Nickname is already in use"),
                      IRCRenderContext(serverName: "irc.test"))
            == [":irc.test 433 * bob :Nickname is already in use"])
        #expect(lines(.error(code: .notRegistered, params: [], text: "You have not registered"))
            == [":irc.test 451 alice :You have not registered"])
        #expect(lines(.error(code: ErrorCode(rawValue: 7), params: [], text: "odd")) == [":irc.test 007 alice :odd"])
    }

    @Test func membershipChanges() {
        #expect(lines(.nick(source: "alice!al@h", newNick: "alicia")) == [":alice!al@h NICK :alicia"])
        #expect(lines(.join(channel: "#lobby", source: "bob!b@h")) == [":bob!b@h JOIN #lobby"])
        #expect(lines(.part(channel: "#lobby", source: "bob!b@h", reason: "")) == [":bob!b@h PART #lobby"])
        #expect(lines(.part(channel: "#lobby", source: "bob!b@h", reason: "see you")) == [":bob!b@h PART #lobby :see you"])
        #expect(lines(.quit(source: "bob!b@h", reason: "Quit: bye now")) == [":bob!b@h QUIT :Quit: bye now"])
        #expect(lines(.quit(source: "bob!b@h", reason: "")) == [":bob!b@h QUIT :"])
        #expect(lines(.kick(channel: "#lobby", source: "alice!al@h", nick: "bob", reason: "be nice"))
            == [":alice!al@h KICK #lobby bob :be nice"])
    }

    @Test func messages() {
        let t: Int64 = 1_764_300_000_123
        #expect(lines(.message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "hello there", time: t))
            == [":bob!b@h PRIVMSG #lobby :hello there"])
        #expect(lines(.message(source: "bob!b@h", kind: .notice, target: "alice", text: "psst", time: t))
            == [":bob!b@h NOTICE alice :psst"])
        #expect(lines(.message(source: "bob!b@h", kind: .action, target: "#lobby", text: "waves", time: t))
            == [":bob!b@h PRIVMSG #lobby :\u{1}ACTION waves\u{1}"])
        let timed = IRCRenderContext(serverName: "irc.test", nick: "alice", serverTime: true)
        #expect(lines(.message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "hi 世界", time: t), timed)
            == ["@time=2025-11-28T03:20:00.123Z :bob!b@h PRIVMSG #lobby :hi 世界"])
        // Only messages carry time: other events have none to give.
        #expect(lines(.join(channel: "#lobby", source: "bob!b@h"), timed) == [":bob!b@h JOIN #lobby"])
    }

    /// A message too long for one line with its prefix is cut to fit, on a character
    /// boundary, never relayed as two messages (irctest's buffering.py).
    @Test func longMessagesAreCutToOneLine() throws {
        let text = String(repeating: "word ", count: 300)  // 1500 bytes
        for kind in [MessageKind.privmsg, .notice, .action] {
            let event = HubEvent.message(source: "bob!bobuser@some.long.host.example.org", kind: kind, target: "#lobby",
                                         text: text, time: 0)
            let out = IRCRenderer.render(event, context: ctx)
            #expect(out.count == 1)
            var wire: [UInt8] = []
            try #require(out.first).appendLine(to: &wire)
            #expect(wire.count == 512)
            let sent = try #require(out.first).params[1]
            if kind == .action {
                #expect(sent.hasPrefix("\u{1}ACTION ") && sent.hasSuffix("\u{1}"))
                #expect(text.hasPrefix(sent.dropFirst(8).dropLast()))
            } else {
                #expect(text.hasPrefix(sent))
            }
            try checkWire(event)
            try checkWire(event, IRCRenderContext(serverName: "irc.test", nick: "alice", serverTime: true))
        }
        // A multi-byte character that would cross the limit is left out whole.
        let source = "bob!b@h"
        let room = IRCRenderer.maxBody - (1 + source.utf8.count + " PRIVMSG alice :".utf8.count)
        let emoji = String(repeating: "a", count: room - 2) + "😃"
        let cut = try #require(IRCRenderer.render(.message(source: source, kind: .privmsg, target: "alice", text: emoji, time: 0),
                                                  context: ctx).first)
        #expect(cut.params[1] == String(repeating: "a", count: room - 2))
        let exact = String(repeating: "a", count: room - 4) + "😃"
        #expect(IRCRenderer.render(.message(source: source, kind: .privmsg, target: "alice", text: exact, time: 0),
                                   context: ctx).first?.params[1] == exact)
    }

    @Test func cutTextKeepsWholeScalars() {
        #expect(IRCMessage.cutText("hello", maxBytes: 10) == "hello")
        #expect(IRCMessage.cutText("hello", maxBytes: 3) == "hel")
        #expect(IRCMessage.cutText("hello", maxBytes: 0) == "")
        #expect(IRCMessage.cutText("a😃b", maxBytes: 4) == "a")
        #expect(IRCMessage.cutText("a😃b", maxBytes: 5) == "a😃")
        #expect(IRCMessage.cutText("é", maxBytes: 1) == "")
    }

    @Test func topics() {
        #expect(lines(.topic(channel: "#lobby", text: "Welcome all", setBy: "bob!b@h", setAt: 1_700_000_000, isChange: true))
            == [":bob!b@h TOPIC #lobby :Welcome all"])
        #expect(lines(.topic(channel: "#lobby", text: "", setBy: "bob!b@h", setAt: 0, isChange: true))
            == [":bob!b@h TOPIC #lobby :"])
        #expect(lines(.topic(channel: "#lobby", text: "Welcome all", setBy: "bob", setAt: 1_700_000_000, isChange: false))
            == [":irc.test 332 alice #lobby :Welcome all", ":irc.test 333 alice #lobby bob 1700000000"])
        #expect(lines(.topic(channel: "#lobby", text: "", setBy: "", setAt: 0, isChange: false))
            == [":irc.test 331 alice #lobby :No topic is set"])
    }

    @Test func names() throws {
        let members = [Member(nick: "alice", isOperator: true), Member(nick: "bob", isOperator: false)]
        #expect(lines(.names(channel: "#lobby", members: members))
            == [":irc.test 353 alice = #lobby :@alice bob", ":irc.test 366 alice #lobby :End of /NAMES list."])
        #expect(lines(.names(channel: "#empty", members: []))
            == [":irc.test 366 alice #empty :End of /NAMES list."])
        // Many members: several 353 lines, each under the limit, nobody lost or cut.
        let many = (0..<300).map { Member(nick: "user\($0)_long_nick", isOperator: $0 % 7 == 0) }
        let event = HubEvent.names(channel: "#big", members: many)
        let out = IRCRenderer.render(event, context: ctx)
        #expect(out.count > 2)
        let listed = out.filter { $0.command == "353" }.flatMap { $0.params[3].split(separator: " ").map(String.init) }
        #expect(listed == many.map { ($0.isOperator ? "@" : "") + $0.nick })
        try checkWire(event)
    }

    @Test func who() {
        let entries = [
            WhoEntry(channel: "#lobby", nick: "bob", user: "b", host: "h1", realName: "Bob Builder", isAway: false, isOperator: true),
            WhoEntry(channel: "*", nick: "carol", user: "c", host: "h2", realName: "Carol", isAway: true, isOperator: false),
        ]
        #expect(lines(.who(mask: "#lobby", entries: entries)) == [
            ":irc.test 352 alice #lobby b h1 irc.test bob H@ :0 Bob Builder",
            ":irc.test 352 alice * c h2 irc.test carol G :0 Carol",
            ":irc.test 315 alice #lobby :End of /WHO list.",
        ])
    }

    @Test func whois() {
        let info = WhoisInfo(nick: "bob", user: "b", host: "h", realName: "Bob B", channels: ["@#lobby", "#dev"],
                             idleSeconds: 42, signonTime: 1_700_000_000, away: "lunch")
        #expect(lines(.whois(info)) == [
            ":irc.test 311 alice bob b h * :Bob B",
            ":irc.test 319 alice bob :@#lobby #dev",
            ":irc.test 312 alice bob irc.test :terminal chat server",
            ":irc.test 317 alice bob 42 1700000000 :seconds idle, signon time",
            ":irc.test 301 alice bob :lunch",
            ":irc.test 318 alice bob :End of /WHOIS list.",
        ])
        var here = info
        here.away = nil
        here.channels = []
        let out = lines(.whois(here))
        #expect(!out.contains { $0.contains(" 301 ") || $0.contains(" 319 ") })
        #expect(out.count == 4)
    }

    @Test func away() {
        #expect(lines(.awayStatus(isAway: true)) == [":irc.test 306 alice :You have been marked as being away"])
        #expect(lines(.awayStatus(isAway: false)) == [":irc.test 305 alice :You are no longer marked as being away"])
        #expect(lines(.awayReply(nick: "bob", text: "gone fishing")) == [":irc.test 301 alice bob :gone fishing"])
    }

    @Test func channelModes() {
        #expect(lines(.channelModes(channel: "#lobby", modes: "+nt", createdAt: 1_700_000_000))
            == [":irc.test 324 alice #lobby +nt", ":irc.test 329 alice #lobby 1700000000"])
        #expect(lines(.channelModes(channel: "#lobby", modes: "+kl secret 10", createdAt: 5))
            == [":irc.test 324 alice #lobby +kl secret 10", ":irc.test 329 alice #lobby 5"])
        #expect(lines(.channelModes(channel: "#lobby", modes: "", createdAt: 5))
            == [":irc.test 324 alice #lobby +", ":irc.test 329 alice #lobby 5"])
    }

    @Test func list() {
        #expect(lines(.list([ChannelSummary(name: "#lobby", users: 3, topic: "Welcome all"),
                             ChannelSummary(name: "#dev", users: 1, topic: "")])) == [
            ":irc.test 322 alice #lobby 3 :Welcome all",
            ":irc.test 322 alice #dev 1 :",
            ":irc.test 323 alice :End of /LIST",
        ])
        #expect(lines(.list([])) == [":irc.test 323 alice :End of /LIST"])
        // A long list comes in several events; only the last ends it.
        #expect(lines(.list([ChannelSummary(name: "#a", users: 1, topic: "")], more: true)) == [":irc.test 322 alice #a 1 :"])
        #expect(lines(.names(channel: "#a", members: [Member(nick: "x", isOperator: false)], more: true))
            == [":irc.test 353 alice = #a :x"])
        #expect(lines(.who(mask: "#a", entries: [], more: true)).isEmpty)
    }

    @Test func motd() throws {
        #expect(lines(.motd(nil)) == [":irc.test 422 alice :MOTD File is missing"])
        #expect(lines(.motd(["Hello"])) == [
            ":irc.test 375 alice :- irc.test Message of the day - ",
            ":irc.test 372 alice :- Hello",
            ":irc.test 376 alice :End of /MOTD command.",
        ])
        let long = HubEvent.motd([String(repeating: "ab ", count: 300)])
        #expect(IRCRenderer.render(long, context: ctx).filter { $0.command == "372" }.count == 2)
        try checkWire(long)
    }

    @Test func serverNoticeAndDisconnect() {
        #expect(lines(.serverNotice(text: "Server restarting in 5 minutes"))
            == [":irc.test NOTICE alice :Server restarting in 5 minutes"])
        #expect(lines(.serverNotice(text: "hi"), IRCRenderContext(serverName: "irc.test")) == [":irc.test NOTICE * :hi"])
        #expect(lines(.disconnect(reason: "send queue exceeded")) == ["ERROR :Closing Link: send queue exceeded"])
    }

    @Test func longFreeTextNeverMakesALineLongerThan512() throws {
        let long = String(repeating: "reason é ", count: 900)  // ~9 KB, multi-byte characters
        let source = "bob!bob@192.0.2.7"
        let events: [HubEvent] = [
            .quit(source: source, reason: long), .kick(channel: "#lobby", source: source, nick: "carol", reason: long),
            .part(channel: "#lobby", source: source, reason: long), .disconnect(reason: long),
            .error(code: .noSuchNick, params: ["carol"], text: long),
            .topic(channel: "#lobby", text: long, setBy: source, setAt: 0, isChange: true),
            .topic(channel: "#lobby", text: long, setBy: source, setAt: 0, isChange: false),
            .awayReply(nick: "bob", text: long), .serverNotice(text: long), .motd([long]),
            .whois(WhoisInfo(nick: "bob", user: "bob", host: "192.0.2.7", realName: long, channels: ["#lobby"],
                             idleSeconds: 0, signonTime: 0, away: long)),
            .who(mask: "#lobby", entries: [WhoEntry(channel: "#lobby", nick: "bob", user: "bob", host: "h", realName: long,
                                                    isAway: false, isOperator: false)], more: false),
            .list([ChannelSummary(name: "#lobby", users: 2, topic: long)], more: false),
        ]
        for e in events {
            try checkWire(e)
            try checkWire(e, IRCRenderContext(serverName: "irc.test", nick: "alice", serverTime: true))
        }
        // A cut reason keeps whole characters and as much as fits.
        let quit = try #require(IRCRenderer.render(.quit(source: source, reason: long), context: ctx).first)
        var wire: [UInt8] = []
        quit.appendLine(to: &wire)
        #expect(wire.count > 500 && wire.count <= 512)
        #expect(long.hasPrefix(quit.params[0]))
    }

    @Test func noLineInjectionFromAnyField() throws {
        let evil = "x\r\nQUIT :pwned\0"
        let events: [HubEvent] = [
            .welcome(Welcome(nick: evil, user: evil, host: evil, serverName: evil, network: evil, version: evil,
                             createdAt: 0, isupport: [evil], users: 1, channels: 1, motd: [evil])),
            .error(code: .noSuchNick, params: [evil], text: evil),
            .nick(source: evil, newNick: evil), .join(channel: evil, source: evil),
            .part(channel: evil, source: evil, reason: evil), .quit(source: evil, reason: evil),
            .kick(channel: evil, source: evil, nick: evil, reason: evil),
            .message(source: evil, kind: .action, target: evil, text: evil, time: 0),
            .topic(channel: evil, text: evil, setBy: evil, setAt: 0, isChange: false),
            .topic(channel: evil, text: evil, setBy: evil, setAt: 0, isChange: true),
            .names(channel: evil, members: [Member(nick: evil, isOperator: true)]),
            .who(mask: evil, entries: [WhoEntry(channel: evil, nick: evil, user: evil, host: evil, realName: evil,
                                                isAway: true, isOperator: true)]),
            .whois(WhoisInfo(nick: evil, user: evil, host: evil, realName: evil, channels: [evil], idleSeconds: 0,
                             signonTime: 0, away: evil)),
            .awayReply(nick: evil, text: evil), .channelModes(channel: evil, modes: evil, createdAt: 0),
            .list([ChannelSummary(name: evil, users: 0, topic: evil)]), .motd([evil]),
            .serverNotice(text: evil), .disconnect(reason: evil), .memberCount(channel: evil, count: 1),
            .lusers(LuserCounts(users: 1, channels: 1, maxUsers: 1)), .ison(nicks: [evil]),
            .userhost([UserHost(nick: evil, user: evil, host: evil, isAway: true)]),
            .channelModeChange(channel: evil, source: evil, modes: evil, args: [evil]),
        ]
        let context = IRCRenderContext(serverName: evil, nick: evil, serverTime: true)
        for e in events {
            let out = IRCRenderer.render(e, context: context)
            #expect(!out.isEmpty)
            for m in out {
                // the message values themselves are clean, not only their serialisation
                let fields = [m.source ?? "", m.command] + m.params + m.tags.map(\.value)
                #expect(fields.allSatisfy { !$0.utf8.contains(0x0D) && !$0.utf8.contains(0x0A) && !$0.utf8.contains(0) },
                        "\(e)")
                var wire: [UInt8] = []
                m.appendLine(to: &wire)
                #expect(wire.filter { $0 == 0x0A }.count == 1)
            }
        }
    }

    @Test func serverQueriesLusersIsonUserhostVersion() throws {
        #expect(lines(.lusers(LuserCounts(users: 7, channels: 2, maxUsers: 9))) == [
            ":irc.test 251 alice :There are 7 users and 0 invisible on 1 servers",
            ":irc.test 254 alice 2 :channels formed",
            ":irc.test 255 alice :I have 7 clients and 0 servers",
            ":irc.test 265 alice 7 9 :Current local users 7, max 9",
            ":irc.test 266 alice 7 9 :Current global users 7, max 9",
        ])
        #expect(lines(.lusers(LuserCounts(users: 7, invisible: 3, operators: 1, unknown: 2, channels: 0, maxUsers: 7))) == [
            ":irc.test 251 alice :There are 4 users and 3 invisible on 1 servers",
            ":irc.test 252 alice 1 :operator(s) online",
            ":irc.test 253 alice 2 :unknown connection(s)",
            ":irc.test 254 alice 0 :channels formed",
            ":irc.test 255 alice :I have 7 clients and 0 servers",
            ":irc.test 265 alice 7 7 :Current local users 7, max 7",
            ":irc.test 266 alice 7 7 :Current global users 7, max 7",
        ])
        #expect(lines(.ison(nicks: ["Bob", "carol"])) == [":irc.test 303 alice :Bob carol"])
        #expect(lines(.ison(nicks: [])) == [":irc.test 303 alice :"])
        #expect(lines(.userhost([UserHost(nick: "bob", user: "b", host: "10.0.0.2", isAway: false),
                                 UserHost(nick: "carol", user: "c", host: "::1", isAway: true)]))
            == [":irc.test 302 alice :bob=+b@10.0.0.2 carol=-c@::1"])
        #expect(lines(.userhost([])) == [":irc.test 302 alice :"])
        #expect(lines(.userhost([UserHost(nick: "dave", user: "d", host: "h", isAway: true, isServerOperator: true)]))
            == [":irc.test 302 alice :dave*=-d@h"])
        let version = IRCRenderer.version(welcome, context: ctx).map { $0.serialized() }
        #expect(version.first == ":irc.test 351 alice chat-1.0 irc.test :terminal chat server")
        #expect(Array(version.dropFirst()) == lines(.welcome(welcome)).filter { $0.contains(" 005 ") })
        try checkWire(.userhost([UserHost(nick: "bob", user: "b", host: "h", isAway: false)]))
    }

    @Test func channelModeChangeIsAModeLineFromTheOperator() throws {
        #expect(lines(.channelModeChange(channel: "#dev", source: "alice!a@h", modes: "+o", args: ["bob"]))
            == [":alice!a@h MODE #dev +o bob"])
        #expect(lines(.channelModeChange(channel: "#dev", source: "alice!a@h", modes: "-o", args: ["bob"]))
            == [":alice!a@h MODE #dev -o bob"])
        try checkWire(.channelModeChange(channel: "#dev", source: "alice!a@h", modes: "+o", args: ["bob"]))
    }

    @Test func intoAppends() {
        var out = [IRCMessage(command: "PING", params: ["x"])]
        IRCRenderer.render(.awayStatus(isAway: true), context: ctx, into: &out)
        IRCRenderer.render(.join(channel: "#a", source: "b!b@h"), context: ctx, into: &out)
        #expect(out.map { $0.command } == ["PING", "306", "JOIN"])
        #expect(render(.motd(nil), context: ctx) == IRCRenderer.render(.motd(nil), context: ctx))
    }
}

@Suite(.serialized, .compute) struct IRCTimestampTests {
    @Test func serverTimeFormat() {
        #expect(IRCRenderer.timestamp(epochMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(IRCRenderer.timestamp(epochMilliseconds: 1_764_300_000_123) == "2025-11-28T03:20:00.123Z")
        #expect(IRCRenderer.timestamp(epochMilliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")  // leap day
        #expect(IRCRenderer.timestamp(epochMilliseconds: 4_107_542_399_999) == "2100-02-28T23:59:59.999Z")  // no leap in 2100
        #expect(IRCRenderer.timestamp(epochMilliseconds: 4_107_542_400_000) == "2100-03-01T00:00:00.000Z")
        #expect(IRCRenderer.timestamp(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(IRCRenderer.timestamp(epochMilliseconds: 253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
    }

    @Test func humanDate() {
        #expect(IRCRenderer.humanDate(epochSeconds: 1_764_300_000) == "2025-11-28 03:20:00 UTC")
        #expect(IRCRenderer.humanDate(epochSeconds: 0) == "1970-01-01 00:00:00 UTC")
    }

    /// Checks the civil-date conversion day by day over 1900...2200 against a naive calendar walk.
    @Test func civilDatesAgreeWithCalendarWalk() {
        func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        let monthDays: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var (y, m, d): (Int64, Int64, Int64) = (1900, 1, 1)
        var days: Int64 = -25_567  // 1900-01-01
        while y < 2200 {
            let c = CivilTime.date(daysSinceEpoch: days)
            if c.year != y || c.month != m || c.day != d {
                Issue.record("day \(days): got \(c), expected \(y)-\(m)-\(d)")
                return
            }
            days += 1
            d += 1
            let len = m == 2 && isLeap(y) ? 29 : monthDays[Int(m - 1)]
            if d > len { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
    }
}
