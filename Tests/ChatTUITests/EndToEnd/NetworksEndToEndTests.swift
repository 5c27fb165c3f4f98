import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// Several networks in one client, against two real servers at once: our chat-server and
/// ngIRCd, both connected to from the configuration file's `autoconnect`.
extension EndToEndTests {
    @Test func twoNetworksAtOnceWithTheWindowListAndDisconnectingOne() async throws {
        let ngircd = try await Ngircd()
        let (server, tmux, path, cleanUp) = try await configured { port in """
            nick = "alice"
            [networks.home]
            address = "127.0.0.1:\(port)"
            channels = ["#lobby"]
            autoconnect = true
            [networks.work]
            address = "127.0.0.1:\(ngircd.port)"
            channels = ["#work"]
            autoconnect = true
            """ }
        defer { cleanUp() }
        let logs = String(path.dropLast("config.toml".count)) + "logs"
        // `chat-tui` alone is `chat-tui connect`: every autoconnect network.
        try await tmux.typeLine(clientCommand("--config \(path) --log-dir \(logs)"))
        // home: 1 server, 2 #lobby; work: 3 server, 4 #work. The first network is shown.
        try await tmux.waitFor("home's #lobby joined") { $0.count == 30 && $0[28].hasPrefix(" alice │ 2:home/#lobby (1) │ connected") }
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #lobby")
        let carol = try await IRCPeer(port: ngircd.port, nick: "carol")
        try carol.line("JOIN #work")
        try await tmux.waitFor(text: "bob (bob@127.0.0.1) joined #lobby")

        // What is typed goes to the network of the window it is typed in.
        try await tmux.typeLine("hello home")
        try await bob.expect("PRIVMSG #lobby :hello home")
        try await tmux.keys("M-4")
        try await tmux.waitFor("work's #work, carol in it") { $0.count == 30 && $0[28].hasPrefix(" alice │ 4:work/#work (2) │ connected") }
        try await tmux.typeLine("hello work")
        try await carol.expect("PRIVMSG #work :hello work")
        #expect(!bob.received.contains("hello work"))
        // A mention on the other network shows in the act list by its number across both.
        try bob.line("PRIVMSG #lobby :alice: over here")
        try await tmux.waitFor("a mention in window 2") { $0.count == 30 && $0[28].contains("act: ") && $0[28].contains("2!") }

        // The window list: every window, by number, under its network.
        try await tmux.typeLine("/buflist")
        let list = try await tmux.waitFor("the window list") { s in
            s.count == 30 && s[1].hasPrefix("1 home") && s[2].hasPrefix("2   #lobby") && s[3].hasPrefix("3 work") && s[4].hasPrefix("4   #work")
        }
        #expect(list[1...4].allSatisfy { column(of: "│", in: $0) == ScreenGeometry.buflistWidth }, "\(list)")
        #expect(list.contains { $0.contains("│") && $0.contains("<alice> hello work") })
        // Alt-Shift-B hides it again.
        try await tmux.keys("M-B")
        try await tmux.waitFor("the window list hidden") { $0.count == 30 && !$0[1].hasPrefix("1 home") }
        try await tmux.typeLine("/buflist on")

        // /disconnect leaves work (its people see the QUIT), home stays.
        try await tmux.typeLine("/disconnect")
        try await carol.expect("QUIT :\"chat-tui\"")   // ngIRCd quotes a client's reason
        try await tmux.waitFor("work disconnected, no retry") { s in
            s.count == 30 && s[28].contains("4:work/#work") && s[28].contains("disconnected") && !s[28].contains("retry")
                && s[3].hasPrefix("3 work (off)")
        }
        try await tmux.keys("M-2")
        try await tmux.waitFor("back in home's #lobby") { $0.count == 30 && $0[28].hasPrefix(" alice │ 2:home/#lobby (2) │ connected") }
        try await tmux.typeLine("still here")
        try await bob.expect("PRIVMSG #lobby :still here")
        // /connect brings work back, its channel rejoined.
        try await tmux.typeLine("/connect work")
        try await tmux.waitFor("work connected again") { $0.count == 30 && $0[28].hasPrefix(" alice │ 3:work/") && $0[28].contains("connected") && !$0[28].contains("disconnected") }
        try await tmux.keys("M-4")
        try await tmux.waitFor("#work rejoined, carol in it") { $0.count == 30 && $0[28].hasPrefix(" alice │ 4:work/#work (2) │ connected") }
        try await tmux.typeLine("back at work")
        try await carol.expect("PRIVMSG #work :back at work")

        // Each network logs into a directory of its own.
        try await quitClient(tmux)
        let home = try String(contentsOfFile: logs + "/home/#lobby.log", encoding: .utf8)
        let work = try String(contentsOfFile: logs + "/work/#work.log", encoding: .utf8)
        #expect(home.contains("<alice> hello home") && home.contains("<alice> still here") && !home.contains("hello work"), "\(home)")
        #expect(work.contains("<alice> hello work") && work.contains("<alice> back at work") && !work.contains("hello home"), "\(work)")
    }
}

extension EndToEndTests {
    @Test func connectAddsAServerAtRunTime() async throws {
        let one = try await ChatServer()
        defer { one.stop() }
        let two = try await ChatServer()
        defer { two.stop() }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(one.port) --nick alice --channel '#one'"))
        try await tmux.waitFor("#one joined") { $0.count == 30 && $0[28].hasPrefix(" alice │ 2:#one (1) │ connected") }
        // Not a network of the file nor an address: said, nothing opened.
        try await tmux.typeLine("/connect 127.0.0.1:99999")
        try await tmux.waitFor(text: "/connect 127.0.0.1:99999: ")
        // A server by address, with --nick: its windows are numbered after the first's (3, the
        // server window; 4, the #lobby our server names as its default channel, shown).
        try await tmux.typeLine("/connect 127.0.0.1:\(two.port)")
        let second = "127.0.0.1:\(two.port)"
        try await tmux.waitFor("the second server") { $0.count == 30 && $0[28].hasPrefix(" alice │ 4:\(second)/#lobby (1) │ connected") }
        let bob = try await IRCPeer(port: two.port, nick: "bob")
        try bob.line("JOIN #two")
        try await tmux.typeLine("/join #two")
        try await tmux.waitFor("#two on the second server") { $0.count == 30 && $0[28].hasPrefix(" alice │ 5:\(second)/#two (2)") }
        try await bob.expect(" JOIN #two")
        try await tmux.typeLine("/window 2")
        try await tmux.waitFor("back on the first") { $0.count == 30 && $0[28].hasPrefix(" alice │ 2:127.0.0.1:\(one.port)/#one (1)") }
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
        try await bob.expect("QUIT")
    }
}
