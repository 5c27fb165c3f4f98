import ChatPOSIX
import Foundation
import Testing
@testable import ChatTUI

/// The configuration file (TOML through TOMLKit): what it holds, and one clear line for each
/// kind of mistake (file, line, key).
@Suite(.serialized, .compute) struct ConfigFileTests {
    let dir = NSTemporaryDirectory() + "chattui-config-\(UUID().uuidString.prefix(8))"

    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    /// Writes `text` as a config file and loads it (the command line's address check).
    func load(_ text: String) throws(ConfigError) -> Settings {
        let path = dir + "/config.toml"
        try? FileManager.default.removeItem(atPath: path)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return try ConfigFile(path: path).load(addressCheck: ChatTUICommand.Connect.addressProblem)
    }

    func failure(_ text: String) -> ConfigError? {
        do { _ = try load(text); return nil } catch { return error }
    }

    static let complete = """
        # a comment
        nick = "alice"
        user = "alice"
        realname = "Alice Liddell"
        network = "home"
        highlights = ["swift", "release"]
        ignores = ["spammer", "*!*@bad.example joins"]
        strip_formatting = true
        mouse = false
        scrollback = 5000
        log_dir = "~/irclogs"

        [networks.home]
        address = "127.0.0.1:4444"
        channels = ["#lobby", "swift"]

        [networks.libera]
        address = "ircs://irc.libera.chat"
        tls = true
        nick = "alice_l"
        tls_fingerprint = "SHA256:\(String(repeating: "AB:", count: 31))AB"

        [keys]
        ctrl-g = "/join #swift"
        alt-x = "kill-line"
        "ctrl-]" = "none"

        [colors]
        highlight = "bright-yellow"
        status = "white,blue"
        nick_op = "208"
        """

    @Test func aCompleteFileIsRead() throws {
        let s = try load(Self.complete)
        #expect(s.values["nick"] == .string("alice"))
        #expect(s.values["highlights"] == .list(["swift", "release"]))
        #expect(s.values["strip_formatting"] == .bool(true))
        #expect(s.values["scrollback"] == .int(5000))
        #expect(s.values["networks.home.channels"] == .list(["#lobby", "swift"]))
        #expect(s.values["networks.libera.tls"] == .bool(true))
        #expect(s.networkNames == ["home", "libera"])
        let keys = KeyTable(s)
        #expect(keys[.ctrl("g")] == .command("/join #swift") && keys[.alt("x")] == .killLine && keys[.ctrl("]")] == nil)
        let colors = ColorScheme(s)
        #expect(colors[.highlight] == .init(foreground: 11, background: -1))
        #expect(colors[.nick_op] == .init(foreground: 208, background: -1))
        #expect(colors[.status] == ColorScheme.defaults[.status])
    }

    @Test func aMissingFileIsNoSettings() throws {
        #expect(try ConfigFile(path: dir + "/none.toml").load { _ in nil } == Settings())
    }

    @Test func malformedTOMLNamesTheFileAndLine() throws {
        let e = try #require(failure("nick = \"alice\"\n\n[networks.home\naddress = \"x\"\n"))
        #expect(e.file == dir + "/config.toml")
        #expect(e.line == 3)
        #expect(e.description.hasPrefix(dir + "/config.toml:3: "))
    }

    @Test func anUnknownKeyNamesItsLineAndKey() throws {
        let top = try #require(failure("nick = \"alice\"\nnickname = \"bob\"\n"))
        #expect(top.line == 2 && top.key == "nickname")
        #expect(top.description == "\(dir)/config.toml:2: nickname: unknown setting (/set lists them)")
        let inNetwork = try #require(failure("[networks.home]\naddress = \"h:1\"\nport = 4444\n"))
        #expect(inNetwork.line == 3 && inNetwork.key == "networks.home.port")
        let colour = try #require(failure("[colors]\nbackground = \"red\"\n"))
        #expect(colour.line == 2 && colour.key == "colors.background")
    }

    @Test func aBadValueNamesItsLineAndKey() throws {
        let cases: [(String, String, Int, String)] = [
            ("nick = \"9lives\"\n", "nick", 1, "not a valid nick"),
            ("\n\nscrollback = 10\n", "scrollback", 3, "must be from 100"),
            ("scrollback = \"many\"\n", "scrollback", 1, "whole number"),
            ("mouse = 1\n", "mouse", 1, "true or false"),
            ("highlights = \"swift\"\n", "highlights", 1, "list of strings"),
            ("highlights = [1, 2]\n", "highlights", 1, "list of strings"),
            ("ignores = [\"bob sometimes\"]\n", "ignores", 1, "not sometimes"),
            ("[networks.home]\naddress = \"host:99999\"\n", "networks.home.address", 2, "is not HOST:PORT"),
            ("[networks.home]\naddress = \"h:1\"\nchannels = [\"bad name\"]\n", "networks.home.channels", 3, "not a valid channel"),
            ("[networks.home]\naddress = \"h:1\"\ntls_fingerprint = \"abc\"\n", "networks.home.tls_fingerprint", 3, "SHA-256"),
            ("[colors]\nstatus = \"plaid\"\n", "colors.status", 2, "not a colour"),
            ("realname = \"a\\u0007b\"\n", "realname", 1, "control characters"),
            ("[networks.home]\nchannels = []\n", "networks.home", 1, "needs an address"),
            ("network = \"work\"\n", "network", 1, "no [networks.work]"),
            ("[keys]\nctrl-q = \"fly\"\n", "keys.ctrl-q", 2, "unknown action \"fly\""),
            ("[keys]\n\"hyper-x\" = \"yank\"\n", "keys.hyper-x", 2, "unknown key name"),
            ("[keys]\nctrl-q = true\n", "keys.ctrl-q", 2, "must be a string"),
        ]
        for (text, key, line, words) in cases {
            let e = try #require(failure(text), "\(text)")
            #expect(e.key == key && e.line == line && e.message.contains(words), "\(text): \(e)")
        }
    }

    @Test func aNULByteOrBadUTF8IsRefused() throws {
        let path = dir + "/config.toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data("nick = \"a\"\n\0x = 1\n".utf8))
        #expect(throws: ConfigError(file: path, line: 2, message: "contains a NUL byte")) { try ConfigFile(path: path).load { _ in nil } }
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x6e, 0x3d, 0xff, 0x0a]))
        #expect(throws: ConfigError(file: path, message: "is not UTF-8")) { try ConfigFile(path: path).load { _ in nil } }
    }

    @Test func savingSetsOneKeyAndKeepsTheOthers() throws {
        _ = try load(Self.complete)
        let file = ConfigFile(path: dir + "/config.toml")
        try file.save("nick", .string("carol"))
        try file.save("networks.work.address", .string("work.example:6667"))
        try file.save("highlights", .list(["a", "b\"c"]))
        try file.save("scrollback", nil)
        let s = try file.load(addressCheck: ChatTUICommand.Connect.addressProblem)
        #expect(s.values["nick"] == .string("carol"))
        #expect(s.values["networks.work.address"] == .string("work.example:6667"))
        #expect(s.values["highlights"] == .list(["a", "b\"c"]))
        #expect(s.values["scrollback"] == nil)
        #expect(s.values["networks.libera.nick"] == .string("alice_l"))
        #expect(s.values["colors.nick_op"] == .string("208"))
        // Written whole through a temporary file renamed over it: none is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["config.toml"])
    }

    @Test func savingCreatesTheFileAndItsDirectory() throws {
        let file = ConfigFile(path: dir + "/new/chat-tui/config.toml")
        try file.save("colors.title", .string("black,cyan"))
        #expect(try file.load { _ in nil }.values == ["colors.title": .string("black,cyan")])
        #expect(Files.status(file.path)?.mode == 0o600)
    }

    @Test func theLineOfAKeyIsFoundInTablesAndDottedKeys() {
        let text = "a = 1\n[networks.home]\n  address = \"x\"\n[colors]\n\"status\" = \"red\"\nnetworks.b.tls = true\n"
        #expect(ConfigFile.line(of: "networks.home.address", in: text) == 3)
        #expect(ConfigFile.line(of: "colors.status", in: text) == 5)
        #expect(ConfigFile.line(of: "colors.networks.b.tls", in: text) == 6)
        #expect(ConfigFile.line(of: "networks.home", in: text) == 2)
    }

    @Test func theCommandLineWinsOverTheNetworkOverTheFile() throws {
        var s = try load(Self.complete)
        func choose(_ args: [String]) throws -> ChatTUICommand.Connect.Chosen {
            try ChatTUICommand.Connect.parse(args).choose(s, file: ConfigFile(path: "conf.toml"))
        }
        // The file's `network`, its channels; the top-level nick and settings.
        var c = try choose([])
        #expect(c.target.host == "127.0.0.1" && c.target.port == 4444)
        #expect(c.config.nick == "alice" && c.config.channels == ["#lobby", "#swift"] && c.config.userName == "alice")
        #expect(c.config.realName == "Alice Liddell" && !c.config.showFormatting && c.config.scrollbackLines == 5000 && !c.mouse)
        #expect(c.logDir?.hasSuffix("/irclogs") == true && c.logDir?.hasPrefix("~") == false)
        // A network by name: its nick over the top-level one, its TLS and fingerprint.
        c = try choose(["libera"])
        #expect(c.config.nick == "alice_l" && c.tls && c.fingerprint != nil && c.target.port == 6697)
        // Options over everything; --channel replaces the network's channels.
        c = try choose(["home", "--nick", "dave", "--channel", "#x", "--mouse", "--no-strip-formatting", "--scrollback", "200", "--log-dir", "/logs"])
        #expect(c.config.nick == "dave" && c.config.channels == ["#x"] && c.mouse && c.config.showFormatting)
        #expect(c.config.scrollbackLines == 200 && c.logDir == "/logs")
        // A server that is no network's name is a host, as before.
        c = try choose(["other.example:6667"])
        #expect(c.target.host == "other.example" && c.config.channels.isEmpty)
        // No server and several networks without `network`: said, with the file.
        s.values["network"] = nil
        #expect(throws: ConfigError.self) { try choose([]) }
        do { _ = try choose([]) } catch {
            #expect("\(error)" == "conf.toml: no server given, and the file has several networks (home, libera) but no `network = \"NAME\"` to choose one")
        }
    }
}
