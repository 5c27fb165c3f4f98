import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// `chat-tui connect` with the file's `autoconnect` networks, and `/connect`'s reading of
/// a name or an address.
@Suite(.serialized, .compute) struct AutoconnectTests {
    static let settings = Settings(values: [
        "nick": .string("alice"), "log_dir": .string("/logs"), "network": .string("home"),
        "networks.home.address": .string("127.0.0.1:4444"), "networks.home.autoconnect": .bool(true),
        "networks.home.channels": .list(["#lobby"]),
        "networks.work.address": .string("127.0.0.1:5555"), "networks.work.autoconnect": .bool(true),
        "networks.work.nick": .string("alice_w"),
        "networks.other.address": .string("127.0.0.1:6666"),
    ])

    func chooseNetworks(_ args: [String], _ settings: Settings = settings) throws -> [ChatTUICommand.Connect.Chosen] {
        try ChatTUICommand.Connect.parse(args).chooseNetworks(settings, file: ConfigFile(path: "conf.toml"))
    }

    @Test func noNetworkNamedConnectsToEveryAutoconnectOneEachLoggingApart() throws {
        let all = try chooseNetworks([])
        #expect(all.map(\.name) == ["home", "work"])
        #expect(all.map(\.target.port) == [4444, 5555] && all.map(\.config.nick) == ["alice", "alice_w"])
        #expect(all.map(\.logDir) == ["/logs/home", "/logs/work"])
        #expect(all[0].config.channels == ["#lobby"] && all[1].config.channels.isEmpty)
        // --nick is the person's, for every network.
        #expect(try chooseNetworks(["--nick", "bob"]).map(\.config.nick) == ["bob", "bob"])
        // A network named: that one alone, logging where it always did.
        let one = try chooseNetworks(["other"])
        #expect(one.map(\.name) == ["other"] && one[0].logDir == "/logs")
        // No autoconnect network: the file's `network`, as before.
        var s = Self.settings
        s.values["networks.home.autoconnect"] = nil
        s.values["networks.work.autoconnect"] = .bool(false)
        #expect(try chooseNetworks([], s).map(\.name) == ["home"])
        // One autoconnect network logs where a single one always did.
        s.values["networks.work.autoconnect"] = .bool(true)
        #expect(try chooseNetworks([], s).map(\.logDir) == ["/logs"])
    }

    @Test func oneNetworksOptionsAreRefusedWithSeveral() throws {
        for option in [["--channel", "#x"], ["--raw"], ["--tls"]] {
            #expect(throws: ConfigError.self) { try chooseNetworks(option) }
            do { _ = try chooseNetworks(option) } catch {
                #expect("\(error)".hasPrefix("conf.toml: \(option[0]) belongs to one network, and the file's autoconnect networks are several (home, work)"))
            }
        }
    }

    @Test func connectReadsANetworkOrAnAddressWithTheNickButNotTheCommandLinesNetworkOptions() throws {
        let command = try ChatTUICommand.Connect.parse(["home", "--nick", "bob", "--channel", "#mine"])
        let file = ConfigFile(path: "conf.toml")
        let work = try command.resolve("work", Self.settings, file: file).get()
        #expect(work.name == "work" && work.port == 5555 && work.config.nick == "bob" && work.config.channels.isEmpty)
        #expect(work.logDirectory == "/logs/work")
        let server = try command.resolve("irc.example.org:6667", Self.settings, file: file).get()
        #expect(server.name == "irc.example.org:6667" && server.host == "irc.example.org" && server.config.nick == "bob")
        #expect(server.logDirectory == "/logs/irc.example.org:6667")
        // Neither a network nor an address: the address's own complaint.
        guard case .failure(let why) = command.resolve("no such:place", Self.settings, file: file) else {
            Issue.record("accepted")
            return
        }
        #expect(!why.message.isEmpty)
    }

    @Test func badAutoconnectAndBuflistValuesAreOneLineWithTheKey() throws {
        let dir = NSTemporaryDirectory() + "chattui-auto-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.toml"
        for (text, said) in [
            ("[networks.home]\naddress = \"h:1\"\nautoconnect = \"yes\"\n", ":3: networks.home.autoconnect: "),
            ("nick = \"a\"\nbuflist = 3\n", ":2: buflist: "),
        ] {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            do {
                _ = try ConfigFile(path: path).load(addressCheck: ChatTUICommand.Connect.addressProblem)
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".hasPrefix(path + said), "\(error)")
            }
        }
    }

    @Test func chatTuiAloneIsConnect() throws {
        #expect(try ChatTUICommand.parseAsRoot([]) is ChatTUICommand.Connect)
        let c = try #require(try ChatTUICommand.parseAsRoot(["--config", "x.toml", "--nick", "bob"]) as? ChatTUICommand.Connect)
        #expect(c.config == "x.toml" && c.nick == "bob" && c.server == nil)
    }
}
