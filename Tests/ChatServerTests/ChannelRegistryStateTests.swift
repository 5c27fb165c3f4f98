import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// A registered-channel store stand-in: what was written, and a switch to make writes fail.
final class MemoryChannels: ChannelStorage {
    var rows: [String: RegisteredChannel] = [:]
    var writes: [(String, ChannelParts)] = []
    var failing = false
    struct Refused: Error {}
    func loadChannels() throws -> [String: RegisteredChannel] { rows }
    func save(channel: RegisteredChannel, folded: String, parts: ChannelParts) throws {
        if failing { throw Refused() }
        rows[folded] = channel
        writes.append((folded, parts))
    }
    func deleteChannel(folded: String) throws {
        if failing { throw Refused() }
        rows[folded] = nil
    }
}

/// ChanServ and registered channels in the chat state, in process: who may register, drop
/// and change the access list, status regained on join and on login, a registered channel
/// outliving its members, what is written, hostile commands, the operator's freeze and drop.
@Suite(.serialized, .compute) struct ChannelRegistryStateTests {
    let sink = RecordingSink()
    let store = MemoryChannels()
    let state: ChatState

    init() throws {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        state = ChatState(settings: settings, sink: sink, clock: { 1_764_300_000_000 })
        for name in ["alice", "bob", "carol"] {
            state.accounts[name] = Account(name: name, hash: "H", registeredAt: 1)
        }
        try state.useChannelStorage(store)
    }

    /// Session `id` as `nick`, logged in to `account` if given, in `join` if given.
    func user(_ id: Int, _ nick: String, account: String? = nil, join: String? = "#lobby") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        if let account { state.logIn(id, account: account) }
        if let join { state.handle(.join(channels: [join]), from: id) }
        sink.events.removeAll()
    }

    func cs(_ id: Int, _ text: String) { state.handle(.message(kind: .privmsg, target: "ChanServ", text: text), from: id) }

    /// ChanServ's notices to `id`, taken.
    func notices(_ id: Int) -> [String] {
        sink.take(id).compactMap { if case .serviceNotice("ChanServ", let t) = $0 { t } else { nil } }
    }

    /// The MODE changes `id` saw, as `source modes args`, taken.
    func modes(_ id: Int) -> [String] {
        sink.take(id).compactMap {
            if case .channelModeChange(_, let source, let m, let args) = $0 { ([source, m] + args).joined(separator: " ") } else { nil }
        }
    }

    func failure(_ r: Result<Channel, ChatState.AdminError>) -> ChatState.AdminError? {
        if case .failure(let e) = r { e } else { nil }
    }

    func isOp(_ id: Int, _ channel: String = "#lobby") -> Bool? { state.channel(named: channel)?.members[id] }

    @Test func aLoggedInOperatorRegistersAndBecomesFounder() {
        user(1, "alice", account: "alice")
        user(2, "bob", account: "bob")
        user(3, "carol")
        cs(3, "REGISTER #lobby")
        #expect(notices(3) == ["You are not logged in: log in with /identify first."], "a person (no hello says IRC)")
        cs(2, "REGISTER #lobby")
        #expect(notices(2) == ["You must be an operator of #lobby to register it."])
        cs(2, "REGISTER #elsewhere")
        #expect(notices(2) == ["You must be in #elsewhere to register it."])
        cs(1, "register #LOBBY")
        #expect(notices(1) == ["Channel #lobby successfully registered to alice."])
        #expect(store.rows["#lobby"]?.registration.founder == "alice")
        cs(1, "REGISTER #lobby")
        #expect(notices(1) == ["#lobby is already registered."])
        cs(2, "INFO #lobby")
        #expect(notices(2) == ["#lobby is registered to alice since 2025-11-28 03:20 UTC; its access list has 0 entries."])
    }

    @Test func onlyTheFounderDropsAndAnEmptyRegisteredChannelStaysUntilThen() {
        user(1, "alice", account: "alice")
        user(2, "bob", account: "bob")
        cs(1, "REGISTER #lobby")
        _ = notices(1)
        cs(2, "DROP #lobby")
        #expect(notices(2) == ["Only the founder of #lobby can drop it."])
        state.handle(.topic(channel: "#lobby", text: "kept"), from: 1)
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 1)
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 2)
        let ch = state.channel(named: "#lobby")
        #expect(ch != nil && ch!.members.isEmpty && ch!.topic == "kept", "a registered channel outlives its members")
        // Nobody gets +o by joining it first.
        state.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(isOp(2) == false)
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 2)
        cs(1, "UNREGISTER #lobby")
        #expect(notices(1) == ["Channel #lobby is now unregistered."])
        #expect(state.channel(named: "#lobby") == nil && store.rows.isEmpty)
    }

    @Test func theAccessListGivesStatusOnJoinAndOnLogin() {
        user(1, "alice", account: "alice")
        cs(1, "REGISTER #lobby")
        cs(1, "ACCESS #lobby ADD bob OP")
        cs(1, "ACCESS #lobby ADD carol voice")
        #expect(notices(1) == ["Channel #lobby successfully registered to alice.", "bob is on the access list of #lobby as OP.",
                               "carol is on the access list of #lobby as VOICE."])
        #expect(store.rows["#lobby"]?.registration.access.map(\.account) == ["bob", "carol"])
        // bob joins logged in: +o from ChanServ, seen by everyone.
        user(2, "bob", account: "bob", join: nil)
        state.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(modes(1) == ["ChanServ!ChanServ@services. +o bob"])
        #expect(isOp(2) == true)
        // carol joins first, then logs in: +v then.
        user(3, "carol")
        #expect(state.channel(named: "#lobby")!.voiced.isEmpty)
        state.logIn(3, account: "carol")
        #expect(modes(1) == ["ChanServ!ChanServ@services. +v carol"])
        // The founder regains +o too, after losing it.
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 1)
        state.handle(.join(channels: ["#lobby"]), from: 1)
        #expect(isOp(1) == true)
        cs(1, "ACCESS #lobby LIST")
        let list = notices(1)
        #expect(list.first == "Access list of #lobby (founder alice): 2 entries" && list.last == "End of the access list of #lobby.")
        #expect(list.count == 4 && list[1].hasPrefix("1 bob OP (added by alice"))
        cs(1, "ACCESS #lobby DEL bob")
        #expect(notices(1) == ["bob is removed from the access list of #lobby."])
        cs(2, "ACCESS #lobby LIST")
        #expect(notices(2) == ["Only the founder of #lobby can see or change its access list."])
    }

    @Test func opAndVoiceShortcutsFollowTheAccessLevel() {
        user(1, "alice", account: "alice")
        cs(1, "REGISTER #lobby")
        cs(1, "ACCESS #lobby ADD carol VOICE")
        user(2, "bob", account: "bob")
        user(3, "carol", account: "carol")
        _ = notices(1)
        cs(2, "OP #lobby")
        #expect(notices(2) == ["You have no access to OP in #lobby."])
        cs(3, "OP #lobby")
        #expect(notices(3) == ["You have no access to OP in #lobby."])
        cs(3, "DEVOICE #lobby")
        #expect(state.channel(named: "#lobby")!.voiced.isEmpty)
        sink.events.removeAll()
        cs(1, "OP #lobby bob")
        #expect(modes(2) == ["ChanServ!ChanServ@services. +o bob"])
        cs(1, "DEOP #lobby bob")
        #expect(isOp(2) == false)
        cs(1, "OP #lobby nobody")
        #expect(notices(1) == ["nobody is not in #lobby."])
    }

    @Test func hostileCommandsGetAClearNotice() {
        user(1, "alice", account: "alice")
        let long = "#" + String(repeating: "x", count: 400)
        cs(1, "REGISTER \(long)")
        #expect(notices(1).first?.hasSuffix("is not a valid channel name (# and at most 50 characters, no spaces or commas).") == true)
        cs(1, "REGISTER lobby")
        #expect(notices(1) == ["lobby is not a valid channel name (# and at most 50 characters, no spaces or commas)."])
        cs(1, "REGISTER")
        #expect(notices(1) == ["Usage: REGISTER <#channel>"])
        cs(1, "FROBNICATE #lobby")
        #expect(notices(1) == ["Unknown command frobnicate. Type /msg ChanServ HELP for the commands."])
        cs(1, "REGISTER #lobby")
        _ = notices(1)
        cs(1, "ACCESS #lobby TWIDDLE x")
        #expect(notices(1) == ["Unknown ACCESS subcommand TWIDDLE: ADD, DEL or LIST."])
        cs(1, "ACCESS #lobby ADD mallory OP")
        #expect(notices(1) == ["mallory is not a registered account."])
        cs(1, "ACCESS #lobby ADD bob OWNER")
        #expect(notices(1) == ["OWNER is not a level: OP or VOICE."])
        cs(1, "INFO #nowhere")
        #expect(notices(1) == ["#nowhere is not registered."])
        cs(1, "")
        #expect(notices(1).count == 8, "an empty message is HELP")
        // A notice to ChanServ gets no answer; nothing reaches another user.
        state.handle(.message(kind: .notice, target: "ChanServ", text: "REGISTER #x"), from: 1)
        #expect(sink.events.isEmpty)
    }

    @Test func topicModesAndListsAreWrittenAndLoadedBack() throws {
        user(1, "alice", account: "alice")
        cs(1, "REGISTER #lobby")
        state.handle(.topic(channel: "#lobby", text: "Welcome"), from: 1)
        state.handle(.mode(target: "#lobby", args: ["+tk-n+lbe", "sekrit", "12", "*!*@bad", "*!*@good"]), from: 1)
        let writes = store.writes.count
        state.handle(.mode(target: "#lobby", args: ["+v", "alice"]), from: 1)
        #expect(store.writes.count == writes, "member statuses are not written")
        let row = try #require(store.rows["#lobby"])
        #expect(row.topic == "Welcome" && row.topicBy == "alice")
        #expect(row.modes.key == "sekrit" && row.modes.limit == 12 && row.modes.flags == [.topicLock])
        #expect(row.modes.bans.map(\.mask) == ["*!*@bad"] && row.modes.exceptions.map(\.mask) == ["*!*@good"])

        // A fresh chat state loads it: the channel exists empty, in LIST, with all of it.
        let sink2 = RecordingSink()
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0, historyLength: 2, motd: nil)
        let again = ChatState(settings: settings, sink: sink2, clock: { 1_764_300_000_000 })
        try again.useChannelStorage(store)
        let ch = try #require(again.channel(named: "#LOBBY"))
        #expect(ch.members.isEmpty && ch.topic == "Welcome" && ch.modes == row.modes && ch.registration?.founder == "alice")
        again.connect(session: 9, host: "10.0.0.9")
        again.handle(.register(nick: "zed", user: "zed", realName: "R"), from: 9)
        again.handle(.list(channels: []), from: 9)
        #expect(sink2.take(9).contains { if case .list(let rows, _) = $0 { rows.contains { $0.name == "#lobby" && $0.topic == "Welcome" } } else { false } })
        again.handle(.join(channels: ["#lobby"], keys: ["sekrit"]), from: 9)
        #expect(ch.members[9] == false, "nobody is +o by joining a registered channel first")
    }

    @Test func aFailedWriteRegistersNothing() {
        user(1, "alice", account: "alice")
        store.failing = true
        cs(1, "REGISTER #lobby")
        #expect(notices(1) == ["#lobby could not be registered (the server could not write it); try again later."])
        #expect(state.channel(named: "#lobby")?.registration == nil)
    }

    @Test func droppingAnAccountUnregistersItsChannelsAndLeavesAccessLists() throws {
        user(1, "alice", account: "alice")
        user(2, "bob", account: "bob", join: "#bobs")
        cs(1, "REGISTER #lobby")
        cs(2, "REGISTER #bobs")
        cs(2, "ACCESS #bobs ADD alice OP")
        try state.removeAccount("alice")
        #expect(state.channel(named: "#lobby")?.registration == nil && store.rows["#lobby"] == nil)
        #expect(store.rows["#bobs"]?.registration.access.isEmpty == true)
    }

    @Test func theOperatorFreezesAndDropsAChannel() {
        user(1, "alice", account: "alice")
        cs(1, "REGISTER #lobby")
        _ = notices(1)
        #expect(failure(state.setChannelFrozen("#nowhere", true)) == .notFound)
        guard case .success = state.setChannelFrozen("#LOBBY", true) else { Issue.record("not frozen"); return }
        #expect(store.rows["#lobby"]?.registration.frozen == true)
        #expect(notices(1).first?.hasPrefix("#lobby is frozen by the server operator") == true)
        #expect(failure(state.setChannelFrozen("#lobby", true)) == .unchanged)
        user(2, "bob", account: "bob", join: nil)
        state.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(sink.take(2).contains(.error(code: .bannedFromChannel, params: ["#lobby"], text: ChatState.frozenRefusal)))
        cs(1, "ACCESS #lobby ADD bob OP")
        #expect(notices(1) == ["#lobby is frozen by the server operator."])
        state.users[2]!.operName = "root"  // a server operator may join
        state.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(state.channel(named: "#lobby")?.members[2] == false)
        guard case .success = state.setChannelFrozen("#lobby", false) else { Issue.record("still frozen"); return }
        guard case .success(let (name, founder)) = state.dropChannel("#lobby") else { Issue.record("not dropped"); return }
        #expect(name == "#lobby" && founder == "alice" && store.rows.isEmpty)
    }
}
