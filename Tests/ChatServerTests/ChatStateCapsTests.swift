import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// What the IRCv3 capabilities a session tells the hub of change in what the hub sends
/// (ChatState+Caps.swift): echo, ids and client-only tags, TAGMSG, away-notify, extended-join,
/// setname. Pure: requests in, events out.
@Suite(.serialized, .compute) struct ChatStateCapsTests {
    let sink = RecordingSink()
    let state: ChatState
    let now: Int64 = 1_764_300_000_000

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        state = ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
    }

    /// An IRC user with `caps`, in `#lobby`; its welcome and join taken.
    func user(_ id: Int, _ nick: String, _ caps: [IRCCapability] = [], human: Bool = false) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.hello(dialect: human ? .human : .irc), from: id)
        state.handle(.capabilities(names: caps.map(\.rawValue)), from: id)
        state.handle(.register(nick: nick, user: nick, realName: "Real \(nick)"), from: id)
        state.handle(.join(channels: ["#lobby"]), from: id)
    }

    func clear() { sink.events.removeAll() }

    @Test func echoGivesTheSenderTheSameMessageOnlyWhenAccepted() {
        user(1, "alice", [.echoMessage])
        user(2, "bob")
        clear()
        state.handle(.message(kind: .privmsg, target: "#lobby", text: "hi"), from: 1)
        let echoed = sink.take(1), delivered = sink.take(2)
        #expect(echoed.count == 1 && echoed == delivered, "same time, same id")
        guard case .message(_, _, "#lobby", "hi", now, let id, "", _)? = echoed.first else { Issue.record("\(echoed)"); return }
        #expect(id != 0)
        state.handle(.message(kind: .privmsg, target: "bob", text: "psst"), from: 1)
        #expect(sink.take(1) == sink.take(2))
        // Refused: no echo, the error instead (a PRIVMSG: a NOTICE gets no error either).
        state.handle(.message(kind: .privmsg, target: "#nowhere", text: "x"), from: 1)
        guard case .error(.noSuchNick, _, _)? = sink.take(1).first else { Issue.record("401 expected"); return }
        // Without echo-message the sender gets nothing back.
        state.handle(.message(kind: .privmsg, target: "#lobby", text: "yo"), from: 2)
        #expect(sink.take(2).isEmpty)
    }

    @Test func messageIDsAreNewForEachMessage() {
        user(1, "alice")
        user(2, "bob")
        clear()
        for text in ["a", "b"] { state.handle(.message(kind: .privmsg, target: "#lobby", text: text), from: 1) }
        let ids = sink.take(2).compactMap { e -> UInt64? in
            if case .message(_, _, _, _, _, let id, _, _) = e { return id } else { return nil }
        }
        #expect(ids.count == 2 && ids[0] != ids[1] && ids[0] != 0)
    }

    @Test func clientTagsGoWithTheMessageAndBadOnesAreDropped() {
        user(1, "alice", [.messageTags])
        user(2, "bob")
        clear()
        state.handle(.taggedMessage(kind: .privmsg, target: "#lobby", text: "hi", tags: "+draft/reply=abc;+typing"), from: 1)
        guard case .message(_, _, _, "hi", _, _, "+draft/reply=abc;+typing", _)? = sink.take(2).first else {
            Issue.record("tags not relayed"); return
        }
        // A hostile session's tags (a line break, a server tag, a space) never reach anyone.
        for bad in ["+a=b\r\nQUIT", "label=x", "+a b", String(repeating: "+a=b;", count: 1000)] {
            state.handle(.taggedMessage(kind: .privmsg, target: "#lobby", text: "x", tags: bad), from: 1)
            guard case .message(_, _, _, "x", _, _, "", _)? = sink.take(2).first else { Issue.record("\(bad.prefix(20))"); return }
        }
    }

    @Test func tagmsgGoesOnlyToThoseWithMessageTags() {
        user(1, "alice", [.messageTags, .echoMessage])
        user(2, "bob", [.messageTags])
        user(3, "carol")
        user(4, "dave", human: true)
        clear()
        state.handle(.tagMessage(target: "#lobby", tags: "+typing=active"), from: 1)
        let echo = sink.take(1), bob = sink.take(2)
        guard case .tagMessage(_, "#lobby", "+typing=active", _, let id, _)? = bob.first else { Issue.record("\(bob)"); return }
        #expect(id != 0 && echo == bob)
        #expect(sink.take(3).isEmpty && sink.take(4).isEmpty)
        // To a user without message-tags: nothing; to a missing one: 401; no tags: nothing.
        state.handle(.tagMessage(target: "carol", tags: "+typing=active"), from: 1)
        #expect(sink.take(3).isEmpty && sink.take(1).count == 1, "accepted: echoed all the same")
        state.handle(.tagMessage(target: "zed", tags: "+a"), from: 1)
        guard case .error(.noSuchNick, _, _)? = sink.take(1).first else { Issue.record("401 expected"); return }
        state.handle(.tagMessage(target: "bob", tags: "label=1"), from: 1)
        #expect(sink.take(1).isEmpty && sink.take(2).isEmpty)
    }

    @Test func awayChangesGoToPeersWithAwayNotifyAndFollowAJoin() {
        user(1, "alice", [.awayNotify])
        user(2, "bob")
        clear()
        state.handle(.away(text: "lunch"), from: 2)
        #expect(sink.take(1) == [.awayChange(source: "bob!bob@10.0.0.2", text: "lunch")])
        #expect(sink.take(2) == [.awayStatus(isAway: true)])
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 2)
        clear()
        state.handle(.join(channels: ["#lobby"]), from: 2)
        let seen = sink.take(1)
        #expect(seen.first == .join(channel: "#lobby", source: "bob!bob@10.0.0.2"))
        #expect(seen.last == .awayChange(source: "bob!bob@10.0.0.2", text: "lunch"))
        state.handle(.away(text: nil), from: 2)
        #expect(sink.take(1) == [.awayChange(source: "bob!bob@10.0.0.2", text: nil)])
    }

    @Test func extendedJoinCarriesTheRealNameToThoseWhoAsked() {
        user(1, "alice", [.extendedJoin])
        user(2, "bob")
        clear()
        user(3, "carol")
        #expect(sink.take(1).first == .extendedJoin(channel: "#lobby", source: "carol!carol@10.0.0.3", realName: "Real carol"))
        #expect(sink.take(2).first == .join(channel: "#lobby", source: "carol!carol@10.0.0.3"))
    }

    @Test func setNameChangesTheRealNameAndTellsPeersWithSetname() {
        user(1, "alice", [.setname])
        user(2, "bob", [.setname])
        user(3, "carol")
        clear()
        state.handle(.setName(realName: "Alice\u{7} Liddell"), from: 1)
        let change = HubEvent.setName(source: "alice!alice@10.0.0.1", realName: "Alice Liddell")
        #expect(sink.take(1) == [change] && sink.take(2) == [change] && sink.take(3).isEmpty)
        #expect(state.users[1]?.realName == "Alice Liddell")
        state.handle(.setName(realName: "\u{7}"), from: 1)
        #expect(sink.take(1).isEmpty, "nothing left after cleaning: ignored")
    }

    /// setname's limit (NAMELEN) and the targets a PRIVMSG, NOTICE or TAGMSG may have, which
    /// labeled-response clients read.
    @Test func isupportGivesTheRealNameLimitAndTargetsPerCommand() {
        #expect(state.settings.isupport.contains("NAMELEN=\(ChatState.realNameLimit)"))
        let targmax = state.settings.isupport.first { $0.hasPrefix("TARGMAX=") }?.dropFirst(8).split(separator: ",") ?? []
        for command in ["NOTICE:4", "PRIVMSG:4", "TAGMSG:4"] { #expect(targmax.contains(Substring(command)), "\(targmax)") }
    }

    @Test func capabilitiesMayBeToldBeforeRegistrationAndChanged() {
        state.connect(session: 1, host: "h")
        state.handle(.capabilities(names: ["echo-message", "sasl", "server-time"]), from: 1)
        #expect(state.users[1]?.caps == [.echoMessage])
        #expect(sink.take(1).isEmpty, "no reply, no 451")
        state.handle(.capabilities(names: []), from: 1)
        #expect(state.users[1]?.caps == [])
    }
}
