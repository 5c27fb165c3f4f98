import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The small rules irctest and real clients count on, in process: NOTICE gets no automatic
/// reply, LIST answers for the channels asked for (and ELIST's filters), USER needs a real
/// name, an IRC client's invalid UTF-8 is refused (UTF8ONLY), a person's long line is sent
/// as messages that each fit an IRC line.
@Suite(.serialized, .compute) struct ReplyRulesTests {
    let sink = RecordingSink()
    let state: ChatState

    init() { state = .testing(sink) }

    func user(_ id: Int, _ nick: String, join: [String] = []) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.hello(dialect: .irc), from: id)
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if !join.isEmpty { state.handle(.join(channels: join), from: id) }
        _ = sink.take(id)
    }

    @Test func aNoticeNeverGetsAnAutomaticReply() {
        user(1, "alice", join: ["#lobby"])
        user(2, "bob")
        _ = sink.take(1)
        for target in ["#nonexistent", "nobody", "#lobby", "", "#"] {
            state.handle(.message(kind: .notice, target: target, text: "hello"), from: 2)
            #expect(sink.take(2).isEmpty, "\(target)")
        }
        state.handle(.message(kind: .notice, target: "alice", text: ""), from: 2)
        #expect(sink.take(2).isEmpty)
        // The same to a PRIVMSG is answered, and a notice to someone there still arrives.
        state.handle(.message(kind: .privmsg, target: "#nonexistent", text: "hello"), from: 2)
        guard case .error(.noSuchNick, _, _)? = sink.take(2).first else { Issue.record("401 expected"); return }
        state.handle(.message(kind: .notice, target: "alice", text: "psst"), from: 2)
        guard case .message(_, .notice, "alice", "psst", _, _, _, _)? = sink.take(1).first else { Issue.record("no notice"); return }
    }

    private func listed(_ filters: [String], by id: Int = 9) -> [String] {
        state.handle(.list(channels: filters), from: id)
        return sink.take(id).flatMap { e -> [String] in
            if case .list(let rows, _) = e { return rows.map(\.name) }
            return []
        }
    }

    @Test func listAnswersForTheChannelsAskedForAndTheELISTFilters() {
        user(1, "alice", join: ["#chan1", "#chan2", "#big"])
        user(2, "bob", join: ["#big", "#Chan2"])
        user(3, "carol", join: ["#big"])
        user(9, "dave")
        #expect(listed([]) == ["#big", "#chan1", "#chan2"])
        #expect(listed(["#chan1"]) == ["#chan1"])
        #expect(listed(["#CHAN1", "#big", "#chan1"]) == ["#big", "#chan1"], "each once, whatever the case")
        #expect(listed(["#nonexistent"]).isEmpty)
        #expect(listed(["*an1"]) == ["#chan1"])
        #expect(listed(["#c*n?"]) == ["#chan1", "#chan2"])
        #expect(listed(["!*an1"]) == ["#big", "#chan2"])
        #expect(listed(["!#ch*"]) == ["#big"])
        #expect(listed([">1"]) == ["#big", "#chan2"])
        #expect(listed(["<2"]) == ["#chan1"])
        #expect(listed([">1", "<3"]) == ["#chan2"])
        #expect(listed(["#chan1", ">1"]).isEmpty, "a named channel is held to the counts too")
        #expect(listed([">x"]).isEmpty, "not a count: taken as a name, which names no channel")
    }

    /// NAMES of a public channel one is not in is answered with its members (names.py);
    /// of a channel that does not exist, with the end of the list only.
    @Test func namesOfAChannelOneIsNotInIsAnswered() {
        user(1, "alice", join: ["#chan"])
        user(2, "bob", join: ["#chan"])
        user(3, "carol")
        state.handle(.names(channel: "#chan"), from: 3)
        #expect(sink.take(3) == [.names(channel: "#chan", members: [
            Member(nick: "alice", isOperator: true, source: "alice!alice@10.0.0.1"),
            Member(nick: "bob", isOperator: false, source: "bob!bob@10.0.0.2")])])
        state.handle(.names(channel: "#nonexisting"), from: 3)
        #expect(sink.take(3) == [.names(channel: "#nonexisting", members: [])])
    }

    /// `NAMES #a,#b`: each channel's 353s, one 366 naming both (names.py, TARGMAX NAMES).
    @Test func namesOfSeveralChannelsEndsWithOne366() {
        let c = ConversationDriver.irc()
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received(); _ = c.requests()
        c.type("NAMES #chan1,#chan2,#CHAN1")
        #expect(c.requests() == [.names(channel: "#chan1"), .names(channel: "#chan2")])
        c.hub(.names(channel: "#chan1", members: [Member(nick: "foo", isOperator: true)]))
        c.hub(.names(channel: "#chan2", members: [Member(nick: "foo", isOperator: true)]))
        #expect(c.received() == [":chat.test 353 foo = #chan1 :@foo", ":chat.test 353 foo = #chan2 :@foo",
                                 ":chat.test 366 foo #chan1,#chan2 :End of /NAMES list."])
        // One channel, and the lists a JOIN brings, end as before.
        c.type("NAMES #chan1")
        c.hub(.names(channel: "#chan1", members: []))
        #expect(c.received() == [":chat.test 366 foo #chan1 :End of /NAMES list."])
    }

    @Test func anEmptyRealNameIsRefusedWith461() {
        let c = ConversationDriver.irc()
        c.type(["NICK foo", "USER username * * :"])
        #expect(c.received() == [":chat.test 461 * USER :Not enough parameters"])
        #expect(c.requests().isEmpty)
        c.type("USER username * * :Real")
        #expect(c.requests() == [.register(nick: "foo", user: "username", realName: "Real")])
    }

    @Test func invalidUTF8FromAnIRCClientGetsFAILAndGoesNowhere() {
        let c = ConversationDriver.irc()
        c.type("NICK foo")
        c.type(bytes: Array("USER username * * :i".utf8) + [0xE8] + Array("rc".utf8) + [0xE9])
        #expect(c.received() == [":chat.test FAIL USER INVALID_UTF8 :Message rejected, your IRC software MUST use UTF-8 encoding on this network"])
        #expect(c.requests().isEmpty)
        c.type("USER username * * :Real")
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received()
        _ = c.requests()
        c.type(bytes: Array("PRIVMSG bar :hi".utf8) + [0xAA])
        #expect(c.received().first?.hasPrefix(":chat.test FAIL PRIVMSG INVALID_UTF8 :") == true)
        #expect(c.requests().isEmpty)
        // Valid multi-byte text goes on.
        c.type("PRIVMSG bar :héllo 😃")
        #expect(c.requests() == [.message(kind: .privmsg, target: "bar", text: "héllo 😃")])
    }

    @Test func aNoticeToTooManyTargetsIsSentToTheFirstWithoutA407() {
        let c = ConversationDriver.irc()
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received()
        _ = c.requests()
        c.type("NOTICE a,b,c,d,e,f :hi")
        #expect(c.received().isEmpty)
        #expect(c.requests().count == ChatSettings.maxTargets)
    }

    /// A person's long line goes out as messages that each fit one IRC line with the prefix
    /// `:nick!user@host PRIVMSG target :`, so an IRC reader (whose server cuts a message to
    /// one line) gets every word.
    @Test func aPersonsLongLineIsSentAsMessagesThatEachFitAnIRCLine() {
        let c = ConversationDriver.human()
        c.type("alice")
        c.hub(.welcome(Welcome(nick: "alice", user: String(repeating: "u", count: 16), host: String(repeating: "h", count: 63),
                               serverName: "chat.test", network: "Test", version: "v", createdAt: 0, isupport: [],
                               users: 1, channels: 0, motd: nil)))
        c.hub(.join(channel: "#a-rather-long-channel-name-for-this-test", source: "alice!u@h"))
        _ = c.requests()
        let words = (0..<200).map { "w\($0)" }.joined(separator: " ")
        c.type(words)
        let sent = c.requests()
        var texts: [String] = []
        for r in sent {
            guard case .message(.privmsg, let target, let text) = r else { Issue.record("\(r)"); continue }
            let prefix = 1 + "alice".utf8.count + 1 + 16 + 1 + 63 + " PRIVMSG ".utf8.count + target.utf8.count + 2
            #expect(prefix + text.utf8.count <= IRCRenderer.maxBody)
            texts.append(text)
        }
        #expect(texts.count > 2 && texts.joined() == words)
    }

    /// LUSERS counts registered users, unregistered connections apart, and the most users
    /// at once, which stays after they leave.
    @Test func lusersCountsUnregisteredConnectionsAndTheMostUsersAtOnce() {
        user(1, "bar")
        state.handle(.lusers, from: 1)
        #expect(sink.take(1) == [.lusers(LuserCounts(users: 1, unknown: 0, channels: 0, maxUsers: 1))])
        state.connect(session: 2, host: "h")
        state.connect(session: 3, host: "h")
        state.handle(.lusers, from: 1)
        #expect(sink.take(1) == [.lusers(LuserCounts(users: 1, unknown: 2, channels: 0, maxUsers: 1))])
        state.handle(.register(nick: "qux", user: "u", realName: "R"), from: 2)
        state.disconnect(session: 3, reason: "Quit")
        state.handle(.lusers, from: 1)
        #expect(sink.take(1) == [.lusers(LuserCounts(users: 2, unknown: 0, channels: 0, maxUsers: 2))])
        state.disconnect(session: 2, reason: "Quit")
        state.handle(.lusers, from: 1)
        #expect(sink.take(1) == [.lusers(LuserCounts(users: 1, unknown: 0, channels: 0, maxUsers: 2))])
    }

    /// TIME, INFO, ADMIN and HELP/HELPOP, answered by the session.
    @Test func serverInfoAndHelp() {
        let c = ConversationDriver.irc()
        (c.conversation as! IRCConversation).clock = { 1_764_300_000_123 }
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received(); _ = c.requests()
        c.type("TIME")
        #expect(c.received() == [":chat.test 391 foo chat.test :2025-11-28 03:20:00 UTC"])
        c.type("INFO")
        let info = c.received()
        #expect(info.dropLast().allSatisfy { $0.hasPrefix(":chat.test 371 foo :") } && info.count > 1)
        #expect(info.last == ":chat.test 374 foo :End of INFO list")
        c.type("ADMIN")
        #expect(c.received().map { $0.split(separator: " ")[1] } == ["256", "257", "258", "259"])
        c.type("HELP privmsg")
        #expect(c.received() == [":chat.test 704 foo PRIVMSG :PRIVMSG target{,target} :text",
                                 ":chat.test 705 foo PRIVMSG :send a message to channels or nicks (at most 4)",
                                 ":chat.test 706 foo PRIVMSG :End of /HELP"])
        c.type("HELPOP")
        let all = c.received()
        #expect(all.first?.hasPrefix(":chat.test 704 foo * :") == true && all.last == ":chat.test 706 foo * :End of /HELP")
        #expect(all.count == IRCHelp.topics.count + 2)
        c.type("HELP THISISNOTACOMMAND")
        #expect(c.received() == [":chat.test 524 foo THISISNOTACOMMAND :No help available on this topic"])
        c.type("HELP :a b\u{7}c")
        #expect(c.received() == [":chat.test 524 foo a_bc :No help available on this topic"])
        #expect(c.requests().isEmpty, "all answered by the session")
        // Every command of the table has its help, but those other parts of the server add.
        let documented = Set(IRCHelp.topics.map(\.verb))
        for verb in ["PRIVMSG", "JOIN", "MONITOR", "LIST", "TIME", "HELP"] { #expect(documented.contains(verb)) }
    }
}

extension ChatState {
    /// Routing rules for a test: server `test.server`, a fixed clock, events to `sink`.
    static func testing(_ sink: RecordingSink) -> ChatState {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        return ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
    }
}

/// The same rules over TCP, with the real server: in order, as irctest reads them.
@Suite(.serialized) struct ReplyRulesEndToEndTests {
    @Test func namesListLusersHelpTimeAndNoticeInOrder() async throws {
        let server = try await ServerProcess()
        let foo = try await ircUser(server, nick: "foo", join: "#chan1")
        try foo.line("JOIN #chan2")
        try await foo.expect(" 366 foo #chan2 ")
        try foo.line("NAMES #chan1,#chan2")
        try foo.line("LIST #chan2,#nonexistent")
        try foo.line("NOTICE #nonexistent :hello")
        try foo.line("LUSERS")
        try foo.line("HELP JOIN")
        try foo.line("TIME")
        try foo.line("PING :done")
        let got = try await foo.expect("PONG test.server done")
        let codes = got.split(separator: "\r\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count > 1 ? String(words[1]) : nil
        }
        #expect(codes == ["353", "353", "366", "322", "323", "251", "254", "255", "265", "266", "704", "705", "706", "391", "PONG"],
                "\(got)")
        #expect(got.contains(" 366 foo #chan1,#chan2 :End of /NAMES list."))
    }
}
