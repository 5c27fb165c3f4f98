import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Private messages in the stored history (`--history-private`), in process with a state
/// store in memory: kept only when asked for, notices too but not CTCP queries; read by
/// CHATHISTORY with the other party's nick as target, by the two parties only; a party logged
/// in is its account, so whoever takes the nick later does not read it.
@Suite(.serialized) struct PrivateHistoryStateTests {
    final class Clock { var now: Int64 = 1_764_300_000_000 }
    let sink = RecordingSink()
    let clock = Clock()
    let state: ChatState
    let store: StateStore

    init() throws {
        var settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 50, motd: nil)
        settings.historyPrivate = true
        let clock = clock
        state = ChatState(settings: settings, sink: sink, clock: { clock.now })
        store = try StateStore(directory: nil)
        state.historyStorage = store
    }

    func user(_ id: Int, _ nick: String, account: String? = nil) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.hello(dialect: .irc), from: id)
        state.handle(.register(nick: nick, user: nick, realName: "Real \(nick)"), from: id)
        state.users[id]!.account = account
        _ = sink.take(id)
    }

    func say(_ id: Int, _ target: String, _ text: String, kind: MessageKind = .privmsg) {
        clock.now += 10
        state.handle(.message(kind: kind, target: target, text: text), from: id)
    }

    /// What CHATHISTORY LATEST `target` answers `id`: the batch's target and the texts, nil if refused.
    func latest(_ target: String, from id: Int) -> (target: String, texts: [String])? {
        store.commitTurn()
        _ = sink.take(id)
        state.handle(.chatHistory(HistoryQuery(subcommand: .latest, target: target, first: .none, limit: 50)), from: id)
        let events = sink.take(id)
        guard case .historyBatch(let shown, false)? = events.first, case .historyBatch(_, true)? = events.last else { return nil }
        return (shown, events.dropFirst().dropLast().compactMap { if case .message(_, _, _, let t, _, _, _, _) = $0 { t } else { nil } })
    }

    @Test func theTwoPartiesReadTheirConversationAndNobodyElse() throws {
        user(1, "alice")
        user(2, "Bob")
        user(3, "carol")
        say(1, "bob", "hi bob")
        say(2, "alice", "hi alice")
        say(1, "bob", "a notice", kind: .notice)
        say(1, "bob", "waves", kind: .action)
        say(1, "bob", "\u{1}VERSION\u{1}")
        say(1, "carol", "for carol")
        let alice = try #require(latest("BOB", from: 1))
        #expect(alice.target == "Bob" && alice.texts == ["hi bob", "hi alice", "a notice", "waves"])
        #expect(latest("alice", from: 2)?.texts == ["hi bob", "hi alice", "a notice", "waves"])
        #expect(latest("alice", from: 3)?.texts == ["for carol"])
        #expect(latest("bob", from: 3)?.texts == [], "carol was not in it")
        // The lines keep who sent them to whom.
        store.commitTurn()
        let kept = store.recent(channel: ChatState.conversationKey("n:alice", "n:bob"), limit: 10)
        #expect(kept.map(\.target) == ["Bob", "alice", "Bob", "Bob"] && kept[1].source == "Bob!Bob@10.0.0.2")
        // Not a nick at all: refused, as an unknown channel is.
        #expect(latest("a b", from: 1) == nil)
    }

    @Test func nothingIsKeptOrServedUnlessTheOperatorAsks() throws {
        var settings = state.settings
        settings.historyPrivate = false
        state.updateSettings(settings)
        user(1, "alice")
        user(2, "bob")
        say(1, "bob", "not kept")
        store.commitTurn()
        #expect(try store.database.integer("SELECT count(*) FROM history") == 0)
        #expect(latest("bob", from: 1) == nil, "a nick is not a target then")
    }

    @Test func aPartyLoggedInIsItsAccountNotItsNick() {
        user(1, "alice", account: "alice")
        user(2, "bob", account: "bob")
        state.accounts["bob"] = Account(name: "bob", hash: "H", registeredAt: 1)
        say(1, "bob", "secret")
        state.disconnect(session: 1, reason: "bye")
        // Someone else on the nick, not logged in, does not read it; the owner, logged in, does.
        user(5, "alice")
        #expect(latest("bob", from: 5)?.texts == [])
        state.users[5]!.account = "alice"
        #expect(latest("bob", from: 5)?.texts == ["secret"])
        // Bob gone: his registered account's conversations are still found by his nick.
        state.disconnect(session: 2, reason: "bye")
        #expect(latest("bob", from: 5)?.texts == ["secret"])
        // Bob back under another nick, logged in: found by that nick too.
        user(6, "bobby", account: "bob")
        #expect(latest("bobby", from: 5)?.texts == ["secret"])
    }
}
