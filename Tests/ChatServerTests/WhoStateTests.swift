import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// WHO, WHOIS and WHOWAS in the hub, without processes: what each asks, what comes back.
@Suite(.serialized, .compute) struct WhoStateTests {
    let sink = RecordingSink()
    let state: ChatState
    /// The hub's clock, moved by the tests.
    final class Clock: @unchecked Sendable { var now: Int64 = 1_764_300_000_000 }
    let clock = Clock()

    init() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        let clock = self.clock
        state = ChatState(settings: settings, sink: sink, clock: { clock.now })
    }

    func user(_ id: Int, _ nick: String, user: String? = nil, realName: String = "R", join: String? = "#lobby") {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.register(nick: nick, user: user ?? nick, realName: realName), from: id)
        if let join { state.handle(.join(channels: [join]), from: id) }
        _ = sink.take(id)
    }

    /// The rows of the WHO replies to `id`, all chunks together, and the last one's mask and format.
    func who(_ mask: String, _ options: WhoOptions = WhoOptions(), from id: Int = 1) -> (rows: [WhoEntry], mask: String, whox: WhoxFormat?) {
        state.handle(.who(mask: mask, options: options), from: id)
        var rows: [WhoEntry] = [], echoed = "", format: WhoxFormat?
        for case let .who(m, entries, _, whox) in sink.take(id) {
            rows += entries
            echoed = m
            format = whox
        }
        return (rows, echoed, format)
    }

    @Test func whoFindsByChannelNickAndMaskOfNickUserHostOrRealName() {
        user(1, "alice", realName: "Alice Liddell")
        user(2, "bob", user: "bobby", realName: "Bob Builder", join: "#side")
        user(3, "carol", realName: "Carol")
        let lobby = who("#LOBBY")
        #expect(lobby.rows.map(\.nick) == ["alice", "carol"] && lobby.rows.allSatisfy { $0.channel == "#lobby" })
        #expect(lobby.rows.first?.isOperator == true && lobby.mask == "#LOBBY", "the mask as given")
        #expect(who("BOB").rows.map(\.nick) == ["bob"] && who("BOB").mask == "BOB")
        #expect(who("BOB").rows.first?.channel == "*")
        #expect(Set(who("*").rows.map(\.nick)) == ["alice", "bob", "carol"])
        #expect(Set(who("0").rows.map(\.nick)) == ["alice", "bob", "carol"], "0 is everyone (RFC 1459)")
        #expect(who("bobb*").rows.map(\.nick) == ["bob"], "by user name")
        #expect(who("10.0.0.3").rows.map(\.nick) == ["carol"], "by address")
        #expect(who("*builder*").rows.map(\.nick) == ["bob"], "by real name, any case")
        #expect(who("*!bobby@10.0.0.*").rows.map(\.nick) == ["bob"], "nick!user@host")
        #expect(who("*@10.0.0.1").rows.map(\.nick) == ["alice"])
        #expect(who("nobody").rows.isEmpty && who("nobody").mask == "nobody")
        #expect(who("#nowhere").rows.isEmpty && who("").rows.isEmpty)
    }

    @Test func whoCarriesAwayIdleAndTheWhoxFormatAsked() {
        user(1, "alice")
        user(2, "bob")
        state.handle(.away(text: "lunch"), from: 2)
        _ = sink.take(2)
        clock.now += 42_000
        let format = WhoxFormat(fields: [.token, .nick, .idle], token: "7")
        let reply = who("bob", WhoOptions(whox: format))
        #expect(reply.whox == format)
        #expect(reply.rows.first?.isAway == true && reply.rows.first?.idleSeconds == 42)
        #expect(who("bob").whox == nil, "a classic WHO stays classic")
    }

    /// `o` keeps server operators only: there are none yet, so only the end comes back.
    @Test func theOperatorFlagKeepsOperatorsOnly() {
        user(1, "alice")
        user(2, "bob")
        #expect(who("#lobby").rows.count == 2)
        let ops = who("#lobby", WhoOptions(operatorsOnly: true))
        #expect(ops.rows.isEmpty && ops.mask == "#lobby")
        #expect(who("*", WhoOptions(operatorsOnly: true)).rows.isEmpty)
    }

    /// A mask WHO looks at every user and says so in the work it charges; it lists at most 200.
    @Test func aMaskWhoIsChargedAndBounded() {
        for i in 1...250 { user(i, "u\(i)", join: nil) }
        let before = state.work
        #expect(who("u*").rows.count == ChatState.whoMaskLimit)
        #expect(state.work - before >= 250)
    }

    @Test func whoisOfAnUnknownNickIsAnsweredAsMissing() {
        user(1, "alice")
        user(2, "bob", join: "#side")
        state.handle(.whois(nick: "BOB"), from: 1)
        guard case .whois(let info)? = sink.take(1).first else { Issue.record("no whois"); return }
        #expect(info.nick == "bob" && info.channels == ["@#side"])
        state.handle(.whois(nick: "dave"), from: 1)
        #expect(sink.take(1) == [.whoisMissing(nick: "dave")])
        state.handle(.whois(nick: "a b\u{1B}[2J"), from: 1)
        guard case .whoisMissing(let shown)? = sink.take(1).first else { Issue.record("no answer"); return }
        #expect(!shown.contains(" ") && !shown.contains("\u{1B}"), "echoed safely: \(shown)")
    }

    @Test func whowasTellsWhoLeftOrChangedNickNewestFirst() {
        user(1, "alice")
        #expect(whowas("bob") == [])
        user(2, "bob", user: "first", realName: "First Bob")
        clock.now += 1000
        state.handle(.quit(reason: "bye"), from: 2)
        user(3, "bob", user: "second", realName: "Second Bob")
        clock.now += 1000
        state.handle(.nick("robert"), from: 3)
        let both = whowas("BOB")
        #expect(both.map(\.user) == ["second", "first"])
        #expect(both.first == WhowasEntry(nick: "bob", user: "second", host: "10.0.0.3", realName: "Second Bob",
                                          server: "test.server", leftAt: clock.now / 1000))
        #expect(whowas("bob", count: 1).map(\.user) == ["second"])
        #expect(whowas("bob", count: 5).count == 2)
        #expect(whowas("robert").isEmpty, "robert is still here")
        // Someone who never registered leaves no trace.
        state.connect(session: 9, host: "h")
        state.disconnect(session: 9, reason: "gone")
        #expect(whowas("*").isEmpty)
    }

    func whowas(_ nick: String, count: Int = 0) -> [WhowasEntry] {
        _ = sink.take(1)  // what others did meanwhile (bob's nick change)
        state.handle(.whowas(nick: nick, count: count), from: 1)
        guard case .whowas(let asked, let entries)? = sink.take(1).first else { Issue.record("no whowas"); return [] }
        #expect(asked == nick, "the nick as asked")
        return entries
    }

    /// The history is bounded per nick and in all; the oldest go first.
    @Test func theWhowasHistoryIsBounded() {
        var h = WhowasHistory(perNick: 3, capacity: 5)
        func entry(_ nick: String, _ n: Int) -> WhowasEntry {
            WhowasEntry(nick: nick, user: "u\(n)", host: "h", realName: "", server: "s", leftAt: Int64(n))
        }
        for n in 1...4 { h.remember(entry("a", n), key: "a") }
        #expect(h.find(key: "a", count: 0).map(\.leftAt) == [4, 3, 2], "three for one nick, newest first")
        #expect(h.find(key: "a", count: 2).map(\.leftAt) == [4, 3])
        for n in 5...7 { h.remember(entry("b", n), key: "b") }
        // Five places in all: a1 went as a's oldest, then a2 as the oldest of all.
        #expect(h.count == 5)
        #expect(h.find(key: "b", count: 0).map(\.leftAt) == [7, 6, 5])
        #expect(h.find(key: "a", count: 0).map(\.leftAt) == [4, 3])
        for n in 8...20 { h.remember(entry("c\(n)", n), key: "c\(n)") }
        #expect(h.count == 5 && h.find(key: "a", count: 0).isEmpty && h.find(key: "b", count: 0).isEmpty)
        #expect(h.find(key: "c20", count: 0).map(\.leftAt) == [20])
        // The hub's own bounds.
        let hub = WhowasHistory()
        #expect(hub.perNick == 10 && hub.capacity == 4096)
    }
}
