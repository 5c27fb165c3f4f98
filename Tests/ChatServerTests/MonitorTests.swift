import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// IRCv3 MONITOR in process: the hub's rules (who hears what, the bound, masks refused) and
/// the IRC and telnet words for it.
@Suite(.serialized, .compute) struct MonitorTests {
    let sink = RecordingSink()
    let state: ChatState

    init() { state = .testing(sink) }

    func user(_ id: Int, _ nick: String) {
        state.connect(session: id, host: "h\(id)")
        state.handle(.register(nick: nick, user: "u", realName: "R"), from: id)
    }

    @Test func watchersHearAWatchedNickComeGoAndChange() {
        user(1, "foo")
        _ = sink.take(1)
        state.handle(.monitor(.add, targets: ["bar", "baz"]), from: 1)
        #expect(sink.take(1) == [.monitor(online: [], offline: ["bar", "baz"])])
        user(2, "Bar")
        #expect(sink.take(1) == [.monitor(online: ["Bar!u@h2"], offline: [])])
        // A change of case is the same nick; a new nick is the old one gone and the new one come.
        state.handle(.nick("BAR"), from: 2)
        #expect(sink.take(1).isEmpty)
        state.handle(.nick("baz"), from: 2)
        #expect(sink.take(1) == [.monitor(online: [], offline: ["BAR"]), .monitor(online: ["baz!u@h2"], offline: [])])
        state.handle(.monitor(.status, targets: []), from: 1)
        #expect(sink.take(1) == [.monitor(online: ["baz!u@h2"], offline: ["bar"])])
        state.handle(.quit(reason: "bye"), from: 2)
        #expect(sink.take(1) == [.monitor(online: [], offline: ["baz"])])
        state.handle(.monitor(.list, targets: []), from: 1)
        #expect(sink.take(1) == [.monitorList(targets: ["bar", "baz"])])
    }

    @Test func removeAndClearStopTheNewsAndAnswerNothing() {
        user(1, "foo")
        user(2, "bar")
        _ = sink.take(1)
        state.handle(.monitor(.add, targets: ["qux", "quux"]), from: 1)
        state.handle(.monitor(.add, targets: ["qux"]), from: 2)
        _ = sink.take(1); _ = sink.take(2)
        state.handle(.monitor(.remove, targets: ["QUX", "nobody"]), from: 1)
        #expect(sink.take(1).isEmpty)
        user(3, "qux")
        #expect(sink.take(1).isEmpty)
        #expect(sink.take(2) == [.monitor(online: ["qux!u@h3"], offline: [])])
        state.handle(.monitor(.clear, targets: []), from: 1)
        state.handle(.monitor(.list, targets: []), from: 1)
        #expect(sink.take(1) == [.monitorList(targets: [])])
        // A session that is gone watches nobody any more.
        state.handle(.quit(reason: "bye"), from: 2)
        state.handle(.quit(reason: "bye"), from: 3)
        #expect(sink.take(2).isEmpty)
    }

    @Test func masksAndInvalidNicksAreNotWatched() {
        user(1, "foo")
        _ = sink.take(1)
        state.handle(.monitor(.add, targets: ["*!username@localhost", "a b", "#chan", ""]), from: 1)
        #expect(sink.take(1).isEmpty)
        state.handle(.monitor(.list, targets: []), from: 1)
        #expect(sink.take(1) == [.monitorList(targets: [])])
    }

    @Test func theListIsBoundedAnd734SaysWhatWasLeftOut() {
        user(1, "foo")
        _ = sink.take(1)
        let nicks = (0..<(MonitorTable.limit + 2)).map { "n\($0)" }
        state.handle(.monitor(.add, targets: nicks), from: 1)
        let events = sink.take(1)
        guard case .error(let code, let params, _)? = events.first else { Issue.record("\(events)"); return }
        #expect(code.rawValue == 734 && params == [String(MonitorTable.limit), "n100,n101"])
        #expect(events.last == .monitor(online: [], offline: Array(nicks.prefix(MonitorTable.limit))))
        state.handle(.monitor(.add, targets: ["n0"]), from: 1)
        #expect(sink.take(1) == [.monitor(online: [], offline: ["n0"])], "already watched: no room needed")
    }

    @Test func ircWordsForMonitor() {
        let c = ConversationDriver.irc()
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(ConversationDriver.welcome("foo"))
        _ = c.received(); _ = c.requests()
        c.type(["MONITOR + bar,baz", "MONITOR - bar", "MONITOR c", "MONITOR L", "MONITOR S"])
        #expect(c.requests() == [.monitor(.add, targets: ["bar", "baz"]), .monitor(.remove, targets: ["bar"]),
                                 .monitor(.clear, targets: []), .monitor(.list, targets: []), .monitor(.status, targets: [])])
        c.type(["MONITOR", "MONITOR +", "MONITOR X"])
        #expect(c.received() == [":chat.test 461 foo MONITOR :Not enough parameters",
                                 ":chat.test 461 foo MONITOR :Not enough parameters",
                                 ":chat.test 461 foo MONITOR :Unknown subcommand X"])
        c.hub(.monitor(online: ["bar!u@h"], offline: ["baz", "qux"]))
        c.hub(.monitorList(targets: ["bar", "baz"]))
        c.hub(.monitorList(targets: []))
        c.hub(.error(code: ErrorCode(rawValue: 734), params: ["100", "a,b"], text: "Monitor list is full."))
        #expect(c.received() == [":chat.test 730 foo :bar!u@h", ":chat.test 731 foo :baz,qux",
                                 ":chat.test 732 foo :bar,baz", ":chat.test 733 foo :End of MONITOR list",
                                 ":chat.test 733 foo :End of MONITOR list",
                                 ":chat.test 734 foo 100 a,b :Monitor list is full."])
    }

    @Test func aLongMonitorReplyIsSpreadOverLinesThatFit() {
        let nicks = (0..<100).map { "nick\($0)-with-a-long-name" }
        let lines = IRCRenderer.render(.monitor(online: [], offline: nicks),
                                       context: IRCRenderContext(serverName: "chat.test", nick: "foo", serverTime: false))
        #expect(lines.count > 1 && lines.allSatisfy { $0.command == "731" })
        #expect(lines.flatMap { $0.params[1].split(separator: ",").map(String.init) } == nicks)
        #expect(lines.allSatisfy { $0.serialized().utf8.count <= 510 })
    }

    @Test func telnetWordsForMonitor() {
        #expect(HumanInput.parse("/notify bob carol") == .notify(remove: false, nicks: ["bob", "carol"]))
        #expect(HumanInput.parse("/notify -bob") == .notify(remove: true, nicks: ["bob"]))
        #expect(HumanInput.parse("/notify") == .notify(remove: false, nicks: []))
        // A combining mark after the `-` stays with the nick (the `-` and it are one Character).
        #expect(HumanInput.parse("/notify -\u{0619}ab") == .notify(remove: true, nicks: ["\u{0619}ab"]))
        #expect(HumanInput.parse("/notify bob").request(currentChannel: nil) == .monitor(.add, targets: ["bob"]))
        #expect(HumanInput.parse("/notify -bob").request(currentChannel: nil) == .monitor(.remove, targets: ["bob"]))
        #expect(HumanInput.parse("/notify").request(currentChannel: nil) == .monitor(.status, targets: []))
        let context = HumanRenderContext(nick: "foo", currentChannel: "#lobby", serverName: "chat.test", utcOffsetSeconds: 0)
        #expect(renderHuman(.monitor(online: ["bob!u@h"], offline: ["carol"]), context: context)
            == ["-- bob is online", "-- carol is offline"])
        #expect(renderHuman(.monitor(online: [], offline: []), context: context)
            == ["-- You are not watching anyone (/notify NICK to start)"])
        #expect(HumanText.help.contains { $0.contains("/notify") })
    }
}

/// MONITOR over TCP: an IRC client and a telnet user told when a watched nick comes and goes.
@Suite(.serialized) struct MonitorEndToEndTests {
    @Test func ircAndTelnetWatchersAreTold() async throws {
        let server = try await ServerProcess()
        let foo = try await ircUser(server, nick: "foo")
        let person = try await humanUser(server, nick: "dave")
        try foo.line("MONITOR + bar")
        try await foo.expect(" 731 foo :bar")
        try person.line("/notify bar")
        try await person.expect("-- bar is offline")
        let bar = try await ircUser(server, nick: "bar")
        try await foo.expect(" 730 foo :bar!")
        try await person.expect("-- bar is online")
        try bar.line("QUIT :bye")
        try await foo.expect(" 731 foo :bar")
        try await person.expect("-- bar is offline")
        try foo.line("VERSION")
        try await foo.expect("MONITOR=\(MonitorTable.limit)")
    }
}
