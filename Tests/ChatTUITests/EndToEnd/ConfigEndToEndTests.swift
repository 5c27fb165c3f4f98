import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// The configuration file as a user meets it: the real binary, a real server, tmux.
extension EndToEndTests {
    /// A fresh directory for one test's configuration file.
    func configDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "chattui-conf-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aMistakeInTheConfigurationFileIsOneLineAndNoStart() async throws {
        let dir = try configDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.toml"
        let cases: [(String, String)] = [
            ("nick = \"alice\"\n[networks.home\n", "chat-tui: \(path):2: "),
            ("nick = \"alice\"\ncolour = \"red\"\n", "chat-tui: \(path):2: colour: unknown setting (/set lists them)"),
            ("\nscrollback = 5\n", "chat-tui: \(path):2: scrollback: must be from 100 to 1000000"),
        ]
        for (text, said) in cases {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            let run = try await runToExit(productPath("chat-tui"), ["connect", "127.0.0.1:1", "--config", path], errorsApart: true, timeout: 60)
            #expect(run.status == 1, "\(text)")
            let lines = run.errors.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix(said), "\(text): \(run.errors)")
        }
        // A missing file is no settings: the client goes on (here to say it needs a terminal).
        let missing = try await runToExit(productPath("chat-tui"), ["connect", "127.0.0.1:1", "--config", dir + "/none.toml"], errorsApart: true, timeout: 60)
        #expect(missing.errors.contains("not a terminal"), "\(missing.errors)")
    }

    @Test func theFileNamesTheNetworkNickAndChannelsAndTheCommandLineWins() async throws {
        let server = try await ChatServer()
        defer { server.stop() }
        let dir = try configDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data("""
            nick = "carol"
            highlights = ["swift"]

            [networks.home]
            address = "127.0.0.1:\(server.port)"
            channels = ["#lobby", "#config"]
            """.utf8))
        let tmux = try await Tmux()
        defer { tmux.kill() }
        // No server named: the file's only network, its channels, its nick.
        try await tmux.typeLine(clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby")
        try await tmux.waitFor("carol in #lobby, #config joined") { $0.count == 30 && $0[28].hasPrefix(" carol │ 2:#lobby") && $0[28].contains("act: 1,3") }
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #config")
        try bob.line("PRIVMSG #config :swift is here")
        // The file's highlight word makes it a mention.
        try await tmux.waitFor("a mention on window 3") { $0.count == 30 && $0[28].contains("act: 1,3!") }
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
        // The network by name, and --nick over the file's nick.
        try await tmux.typeLine(clientCommand("connect home --config \(path) --nick dave"))
        try await tmux.waitFor("dave in #lobby") { $0.count == 30 && $0[28].hasPrefix(" dave │ 2:#lobby") }
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
    }
}
