import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// Channel modes, invitations and what they decide (joins, speech, secrecy), without processes.
@Suite(.serialized, .compute) struct ChatStateModesTests {
    let sink = RecordingSink()
    let state: ChatState

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        state = ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
    }

    /// Registers `nick` as session `id` (host 10.0.0.id) and joins `join`; nothing it got is kept.
    func user(_ id: Int, _ nick: String, join: String? = "#c") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
        _ = sink.take(id)
    }

    func take(_ ids: Int...) { for id in ids { _ = sink.take(id) } }

    func mode(_ id: Int, _ args: String..., channel: String = "#c") {
        state.handle(.mode(target: channel, args: args), from: id)
    }

    func errorCodes(_ id: Int) -> [UInt16] {
        sink.take(id).compactMap { if case .error(let c, _, _) = $0 { return c.rawValue } else { return nil } }
    }

    func joined(_ id: Int) -> Bool {
        sink.take(id).contains { if case .join = $0 { return true } else { return false } }
    }

    @Test func theModeQueryShowsEveryModeAndTheKeyOnlyToMembers() {
        user(1, "alice")
        user(2, "bob", join: nil)
        mode(1)
        #expect(sink.take(1) == [.channelModes(channel: "#c", modes: "+n", createdAt: 1_764_300_000)])
        mode(1, "+itmsk-n+l", "sesame", "10")
        take(1)
        mode(1)
        #expect(sink.take(1) == [.channelModes(channel: "#c", modes: "+iklmst sesame 10", createdAt: 1_764_300_000)])
        mode(2)
        #expect(sink.take(2) == [.channelModes(channel: "#c", modes: "+iklmst * 10", createdAt: 1_764_300_000)])
        mode(1, "-iklmst")
        take(1)
        mode(1)
        #expect(sink.take(1) == [.channelModes(channel: "#c", modes: "+", createdAt: 1_764_300_000)])
    }

    /// One MODE line is one broadcast, in order, with only what changed; a non-operator gets
    /// one 482, an unknown letter one 472; past MODES parameterised changes are ignored.
    @Test func severalChangesInOneLineAreOneBroadcastInOrder() {
        user(1, "alice")
        user(2, "bob")
        take(1, 2)
        mode(1, "+mtv-n+n", "BOB")
        let change = HubEvent.channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "+mtv-n+n", args: ["bob"])
        #expect(sink.take(1) == [change])
        #expect(sink.take(2) == [change])
        mode(2, "+s-t+z+z")
        #expect(errorCodes(2) == [482, 472])
        user(3, "c3"); user(4, "c4"); user(5, "c5"); user(6, "c6")
        take(1)
        mode(1, "+vvvvv", "c3", "c4", "c5", "c6", "alice")
        // The fifth nick is past MODES=4: ignored.
        #expect(sink.take(1) == [.channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "+vvvv",
                                                    args: ["c3", "c4", "c5", "c6"])])
        #expect(state.channel(named: "#c")?.voiced.contains(1) == false)
    }

    @Test func statusChangesNameExistingMembers() {
        user(1, "alice")
        user(2, "bob", join: "#other")
        mode(1, "+v", "nobody")
        #expect(sink.take(1) == [.error(code: .noSuchNick, params: ["nobody"], text: "No such nick/channel")])
        mode(1, "+o", "bob")
        #expect(sink.take(1) == [.error(code: .userNotInChannel, params: ["bob", "#c"], text: "They aren't on that channel")])
        mode(1, "+o", "alice")  // already: nothing
        #expect(sink.take(1).isEmpty)
    }

    @Test func aKeyIsNeededToJoinAndBadKeysAreRefused() {
        user(1, "alice")
        mode(1, "+k", "")
        #expect(sink.take(1) == [.error(code: .invalidModeParameter, params: ["#c", "k", "*"],
                                        text: "Invalid key: 1 to 23 characters, no spaces or commas")])
        for bad in ["two words", String(repeating: "k", count: 24), "a,b"] {
            mode(1, "+k", bad)
            #expect(errorCodes(1) == [696], "\(bad)")
        }
        mode(1, "+k", "sesame")
        take(1)
        user(2, "bob", join: nil)
        state.handle(.join(channels: ["#c"]), from: 2)
        #expect(errorCodes(2) == [475])
        state.handle(.join(channels: ["#c"], keys: ["wrong"]), from: 2)
        #expect(errorCodes(2) == [475])
        state.handle(.join(channels: ["#x", "#c"], keys: ["", "sesame"]), from: 2)
        #expect(joined(2))
        #expect(state.channel(named: "#c")?.members[2] == false)
        mode(1, "-k", "whatever")
        #expect(sink.take(1).contains(.channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "-k", args: ["*"])))
    }

    @Test func aLimitKeepsTheChannelFromGrowingAndBadLimitsAreRefused() {
        user(1, "alice")
        for bad in ["0", "-1", "abc", "", "99999999999"] {
            mode(1, "+l", bad)
            #expect(errorCodes(1) == [696], "\(bad)")
        }
        mode(1, "+l", "2")
        #expect(sink.take(1) == [.channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "+l", args: ["2"])])
        user(2, "bob")
        #expect(state.channel(named: "#c")?.members.count == 2)
        user(3, "carol", join: nil)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(errorCodes(3) == [471])
        mode(1, "-l")
        take(1)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(joined(3))
    }

    @Test func bansKeepPeopleOutAndQuietUnlessExcepted() {
        user(1, "alice")
        user(2, "bob")
        user(3, "barb", join: nil)
        take(1, 2)
        mode(1, "+b", "b*")  // b*!*@*
        #expect(sink.take(1) == [.channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "+b", args: ["b*!*@*"])])
        take(2)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(errorCodes(3) == [474])
        // A banned member can't speak; an operator can, though the mask matches nobody else.
        state.handle(.message(kind: .privmsg, target: "#c", text: "hi"), from: 2)
        #expect(sink.take(2) == [.error(code: .cannotSendToChannel, params: ["#c"], text: "Cannot send to channel (banned)")])
        #expect(sink.take(1).isEmpty)
        mode(1, "+e", "*!barb@*")
        take(1, 2)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(joined(3))
        take(1, 2)
        mode(1, "+b")
        #expect(sink.take(1) == [.modeList(channel: "#c", mode: "b", entries: [ModeListEntry(mask: "b*!*@*", setBy: "alice!alice@10.0.0.1", setAt: 1_764_300_000)])])
        mode(2, "e")  // anyone may look
        #expect(sink.take(2) == [.modeList(channel: "#c", mode: "e", entries: [ModeListEntry(mask: "*!barb@*", setBy: "alice!alice@10.0.0.1", setAt: 1_764_300_000)])])
        mode(1, "-b", "B*!*@*")
        #expect(sink.take(1).first == .channelModeChange(channel: "#c", source: "alice!alice@10.0.0.1", modes: "-b", args: ["b*!*@*"]))
        take(2)
        state.handle(.message(kind: .privmsg, target: "#c", text: "free"), from: 2)
        #expect(sink.take(2).isEmpty)
    }

    /// Each list holds at most `listLimit` masks: the next is refused with 478.
    @Test func listsAreBounded() {
        user(1, "alice")
        for i in 0..<ChannelModes.listLimit { mode(1, "+b", "spam\(i)") }
        take(1)
        mode(1, "+b", "one-more")
        #expect(sink.take(1) == [.error(code: .banListFull, params: ["#c", "one-more!*@*"], text: "Channel list is full (at most 100)")])
        #expect(state.channel(named: "#c")?.modes.bans.count == ChannelModes.listLimit)
        mode(1, "+I", "one-more")  // another list has its own room
        #expect(state.channel(named: "#c")?.modes.inviteExceptions.count == 1)
    }

    /// `INVITE` alone: the channels one is invited to, by their own names, those still there.
    @Test func theHubListsLiveInvitationsOldestFirst() {
        user(1, "alice", join: "#Club")
        user(2, "bob", join: nil)
        for c in ["#b", "#gone"] { state.handle(.join(channels: [c]), from: 1) }
        take(1)
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: [])])
        for c in ["#b", "#CLUB", "#gone"] { state.handle(.invite(nick: "bob", channel: c), from: 1) }
        take(1, 2)
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: ["#b", "#Club", "#gone"])])
        // Joining uses the invitation up; a channel gone since is not listed.
        state.handle(.join(channels: ["#b"]), from: 2)
        state.handle(.part(channels: ["#gone"], reason: ""), from: 1)
        take(2)
        state.handle(.invitations, from: 2)
        #expect(sink.take(2) == [.invitations(channels: ["#Club"])])
    }

    @Test func inviteOnlyChannelsLetInTheInvitedOnceAndInviteExceptions() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol", join: nil)
        user(4, "dave", join: nil)
        take(1, 2)
        mode(1, "+i")
        take(1, 2)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(errorCodes(3) == [473])
        // A member who is not an operator may not invite to an invite-only channel.
        state.handle(.invite(nick: "carol", channel: "#c"), from: 2)
        #expect(errorCodes(2) == [482])
        mode(1, "+o", "bob")
        take(1, 2)
        state.handle(.invite(nick: "CAROL", channel: "#C"), from: 1)
        #expect(sink.take(1) == [.inviting(channel: "#c", nick: "carol")])
        let invite = HubEvent.invite(channel: "#c", source: "alice!alice@10.0.0.1", nick: "carol")
        #expect(sink.take(3) == [invite])
        #expect(sink.take(2) == [invite], "the other operator hears of it")
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(joined(3))
        state.handle(.part(channels: ["#c"], reason: ""), from: 3)
        take(3)
        state.handle(.join(channels: ["#c"]), from: 3)
        #expect(errorCodes(3) == [473], "an invitation is used up by the join")
        mode(1, "+I", "dave")
        take(1)
        state.handle(.join(channels: ["#c"]), from: 4)
        #expect(joined(4))
    }

    @Test func anInvitationGetsPastKeyLimitAndBan() {
        user(1, "alice")
        user(2, "bob", join: nil)
        mode(1, "+klb", "k", "1", "bob")
        take(1)
        state.handle(.invite(nick: "bob", channel: "#c"), from: 1)
        take(1, 2)
        state.handle(.join(channels: ["#c"]), from: 2)
        #expect(joined(2))
    }

    @Test func invitationsAreRefusedWithTheRightNumerics() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol", join: "#d")
        take(1, 2)
        state.handle(.invite(nick: "nobody", channel: "#c"), from: 1)
        #expect(errorCodes(1) == [401])
        state.handle(.invite(nick: "carol", channel: "#nowhere"), from: 1)
        #expect(errorCodes(1) == [403])
        state.handle(.invite(nick: "alice", channel: "#d"), from: 1)
        #expect(errorCodes(1) == [442])
        state.handle(.invite(nick: "bob", channel: "#c"), from: 1)
        #expect(sink.take(1) == [.error(code: .userOnChannel, params: ["bob", "#c"], text: "is already on channel")])
        // Without +i any member invites; plain members do not hear of it.
        state.handle(.invite(nick: "carol", channel: "#c"), from: 2)
        #expect(sink.take(2) == [.inviting(channel: "#c", nick: "carol")])
        #expect(sink.take(1) == [.invite(channel: "#c", source: "bob!bob@10.0.0.2", nick: "carol")], "alice operates #c")
        #expect(sink.take(3).count == 1)
    }

    /// Invitations a user holds are bounded: the oldest goes.
    @Test func invitationsAreBounded() {
        user(1, "alice", join: nil)
        user(2, "bob", join: nil)
        for i in 0...ChatState.maxInvitations {
            state.handle(.join(channels: ["#c\(i)"]), from: 1)
            state.handle(.invite(nick: "bob", channel: "#c\(i)"), from: 1)
        }
        #expect(state.users[2]?.invitations.count == ChatState.maxInvitations)
        #expect(state.users[2]?.invitations.first == "#c1")
    }

    @Test func moderatedChannelsHearOnlyOperatorsAndVoices() {
        user(1, "alice")
        user(2, "bob")
        user(3, "carol")
        take(1, 2, 3)
        mode(1, "+m")
        take(1, 2, 3)
        state.handle(.message(kind: .privmsg, target: "#c", text: "hi"), from: 2)
        #expect(sink.take(2) == [.error(code: .cannotSendToChannel, params: ["#c"], text: "Cannot send to channel (+m)")])
        #expect(sink.take(3).isEmpty)
        mode(1, "+v", "bob")
        take(1, 2, 3)
        state.handle(.message(kind: .privmsg, target: "#c", text: "hi"), from: 2)
        #expect(sink.take(3).count == 1)
        state.handle(.message(kind: .privmsg, target: "#c", text: "op"), from: 1)
        #expect(sink.take(3).count == 1)
        state.handle(.who(mask: "#c"), from: 3)
        guard case .who(_, let rows, _, _)? = sink.take(3).first else { Issue.record("no who"); return }
        #expect(rows.map(\.isVoiced) == [false, true, false])
        state.handle(.names(channel: "#c"), from: 3)
        #expect(sink.take(3) == [.names(channel: "#c", members: [
            Member(nick: "alice", isOperator: true, source: "alice!alice@10.0.0.1"),
            Member(nick: "bob", isOperator: false, isVoiced: true, source: "bob!bob@10.0.0.2"),
            Member(nick: "carol", isOperator: false, source: "carol!carol@10.0.0.3")])])
    }

    @Test func outsidersMaySpeakOnlyWithoutNoExternal() {
        user(1, "alice")
        user(2, "bob", join: nil)
        state.handle(.message(kind: .privmsg, target: "#c", text: "hi"), from: 2)
        #expect(errorCodes(2) == [404])
        mode(1, "-n")
        take(1)
        state.handle(.message(kind: .privmsg, target: "#c", text: "hi"), from: 2)
        #expect(sink.take(2).isEmpty)
        #expect(sink.take(1).count == 1)
    }

    @Test func aLockedTopicIsForOperators() {
        user(1, "alice")
        user(2, "bob")
        mode(1, "+t")
        take(1, 2)
        state.handle(.topic(channel: "#c", text: "mine"), from: 2)
        #expect(sink.take(2) == [.error(code: .chanOpPrivsNeeded, params: ["#c"], text: "You're not channel operator")])
        state.handle(.topic(channel: "#c", text: "ours"), from: 1)
        #expect(state.channel(named: "#c")?.topic == "ours")
    }

    @Test func secretChannelsAreHiddenFromOutsiders() {
        user(1, "alice")
        user(2, "bob", join: "#open")
        mode(1, "+s")
        take(1)
        state.handle(.list(channels: []), from: 2)
        #expect(sink.take(2) == [.list([ChannelSummary(name: "#open", users: 1, topic: "")])])
        state.handle(.list(channels: []), from: 1)
        #expect(sink.take(1) == [.list([ChannelSummary(name: "#c", users: 1, topic: ""), ChannelSummary(name: "#open", users: 1, topic: "")])])
        state.handle(.names(channel: "#c"), from: 2)
        #expect(sink.take(2) == [.names(channel: "#c", members: [])])
        state.handle(.names(channel: "#c"), from: 1)
        guard case .names(_, let m, _, true)? = sink.take(1).first, m.count == 1 else { Issue.record("a secret list for a member"); return }
        state.handle(.who(mask: "#c"), from: 2)
        #expect(sink.take(2) == [.who(mask: "#c", entries: [])])
        state.handle(.whois(nick: "alice"), from: 2)
        guard case .whois(let w)? = sink.take(2).first else { Issue.record("no whois"); return }
        #expect(w.channels.isEmpty)
        state.handle(.whois(nick: "alice"), from: 1)
        guard case .whois(let own)? = sink.take(1).first else { Issue.record("no whois"); return }
        #expect(own.channels == ["@#c"])
    }
}
