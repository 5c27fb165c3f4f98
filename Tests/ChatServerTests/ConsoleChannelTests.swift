@testable import ChatServerDaemon
import ChatProtocol
import Testing

/// The console's registered-channel commands against the stand-in hub: `channels` with the
/// founder and registration, freeze (members told, joins refused), unfreeze, drop; mistakes
/// and a store that refuses; help lists them.
@Suite(.serialized, .compute) struct ConsoleChannelTests {
    let host = StandInConsoleHost()
    let actions = ConsoleActions()
    let store = MemoryChannels()

    init() throws {
        try host.chat.useChannelStorage(store)
        host.chat.accounts["alice"] = Account(name: "alice", hash: "H", registeredAt: 1)
        host.connect(1, "alice")
        host.chat.logIn(1, account: "alice")
        host.chat.handle(.join(channels: ["#lobby"]), from: 1)
        host.chat.handle(.join(channels: ["#side"]), from: 1)
        host.chat.handle(.message(kind: .privmsg, target: "ChanServ", text: "REGISTER #lobby"), from: 1)
        host.connect(2, "bob")
        host.chat.handle(.part(channels: ["#lobby"], reason: ""), from: 2)
        _ = host.sink.events.removeAll()
    }

    func run(_ line: String) -> ConsoleReply { actions.run(line, by: "test", host: host) }

    @Test func channelsShowsFounderRegistrationAndFrozen() {
        let all = run("channels")
        #expect(all.error == nil && all.lines.count == 3, "\(all.lines)")
        #expect(all.lines[0].hasPrefix("CHANNEL") && all.lines[0].contains("FOUNDER") && all.lines[0].contains("REGISTERED"))
        #expect(all.lines[1].hasPrefix("#lobby") && all.lines[1].contains("alice"))
        #expect(all.lines[2].hasPrefix("#side") && !all.lines[2].contains("alice"))
        // An empty registered channel is listed; an empty unregistered one is gone.
        host.chat.handle(.part(channels: ["#lobby", "#side"], reason: ""), from: 1)
        let empty = run("channels")
        #expect(empty.lines.count == 2 && empty.lines[1].hasPrefix("#lobby "), "\(empty.lines)")
    }

    @Test func freezeRefusesJoinsUntilUnfrozen() {
        #expect(run("freeze-channel #LOBBY").lines == ["froze #lobby: only server operators may join it; its 1 member stay"])
        #expect(host.sink.take(1).contains { if case .serviceNotice("ChanServ", let t) = $0 { t.contains("frozen") } else { false } })
        #expect(store.rows["#lobby"]?.registration.frozen == true)
        #expect(run("channels").lines[1].contains("frozen"))
        host.chat.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(host.sink.take(2) == [.error(code: .bannedFromChannel, params: ["#lobby"], text: ChatState.frozenRefusal)])
        #expect(run("freeze-channel #lobby").error?.message == "#lobby is already frozen")
        #expect(run("unfreeze-channel #lobby").lines == ["unfroze #lobby"])
        host.chat.handle(.join(channels: ["#lobby"]), from: 2)
        #expect(host.chat.channel(named: "#lobby")?.members[2] == false)
    }

    @Test func dropForgetsTheRegistrationAndMistakesSayWhy() {
        #expect(run("drop-channel #lobby").lines == ["dropped the registration of #lobby (founder alice)"])
        #expect(store.rows.isEmpty && host.chat.channel(named: "#lobby")?.registration == nil)
        #expect(run("drop-channel #lobby").error?.message == "no registered channel named '#lobby'")
        #expect(run("freeze-channel #side").error?.message == "no registered channel named '#side'")
        #expect(run("freeze-channel").error?.message == "freeze-channel needs a channel name")
        #expect(run("drop-channel #a #b").error?.message == "drop-channel takes one channel")
        host.chat.handle(.message(kind: .privmsg, target: "ChanServ", text: "REGISTER #side"), from: 1)
        store.failing = true
        #expect(run("drop-channel #side").error?.message == "the state database refused the change")
        #expect(run("freeze-channel #side").error != nil && host.chat.channel(named: "#side")?.registration?.frozen == false)
        let help = run("help").lines.joined(separator: "\n")
        #expect(help.contains("freeze-channel") && help.contains("unfreeze-channel") && help.contains("drop-channel"))
    }
}
