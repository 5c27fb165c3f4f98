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

    /// A server, tmux and a configuration file written from `text` (given the server's
    /// port), for one test; `cleanUp` ends them all.
    func configured(_ text: (Int) -> String) async throws -> (server: ChatServer, tmux: Tmux, path: String, cleanUp: () -> Void) {
        let server = try await ChatServer()
        let dir = try configDirectory()
        let path = dir + "/config.toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text(server.port).utf8))
        let tmux = try await Tmux()
        return (server, tmux, path, {
            tmux.kill()
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        })
    }

    /// `/quit`, and the client's exit status 0.
    func quitClient(_ tmux: Tmux) async throws {
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
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
        let (server, tmux, path, cleanUp) = try await configured { port in """
            nick = "carol"
            highlights = ["swift"]

            [networks.home]
            address = "127.0.0.1:\(port)"
            channels = ["#lobby", "#config"]
            """ }
        defer { cleanUp() }
        // No server named: the file's only network, its channels, its nick.
        try await tmux.typeLine(clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby")
        try await tmux.waitFor("carol in #lobby, #config joined") { $0.count == 30 && $0[28].hasPrefix(" carol │ 2:#lobby") && $0[28].contains("act: 1,3") }
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #config")
        try bob.line("PRIVMSG #config :swift is here")
        // The file's highlight word makes it a mention.
        try await tmux.waitFor("a mention on window 3") { $0.count == 30 && $0[28].contains("act: 1,3!") }
        try await quitClient(tmux)
        // The network by name, and --nick over the file's nick.
        try await tmux.typeLine(clientCommand("connect home --config \(path) --nick dave"))
        try await tmux.waitFor("dave in #lobby") { $0.count == 30 && $0[28].hasPrefix(" dave │ 2:#lobby") }
        try await quitClient(tmux)
    }
}

extension EndToEndTests {
    @Test func setChangesASettingAtRunTimeAndSavesTheFile() async throws {
        let (server, tmux, path, cleanUp) = try await configured { port in """
            # mine
            nick = "alice"
            [networks.home]
            address = "127.0.0.1:\(port)"
            channels = ["#lobby"]
            """ }
        defer { cleanUp() }
        try await tmux.typeLine(clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby")

        // Tab completes the key; the value applies at once and is saved.
        try await tmux.type("/set hig")
        try await tmux.keys("Tab")
        try await tmux.waitFor("the key completed") { $0.last?.hasPrefix("[#lobby] /set highlights") == true }
        try await tmux.typeLine("swift, tea")
        try await tmux.waitFor(text: "highlights = [\"swift\", \"tea\"]; saved.")
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("highlights = [ \"swift\", \"tea\" ]"), "\(saved)")
        #expect(saved.contains("address = \"127.0.0.1:\(server.port)\"") && saved.contains("nick = \"alice\""), "\(saved)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: String(path[..<path.lastIndex(of: "/")!])) == ["config.toml"])

        // Colours change on screen at once: the status bar from white on blue to black on cyan.
        func statusRow() async throws -> String {
            let styled = try await tmux.cmd(["capture-pane", "-p", "-e", "-t", ":0"])
            return styled.split(separator: "\n").first { $0.contains("alice") && $0.contains("2:#lobby") }.map(String.init) ?? ""
        }
        #expect(try await statusRow().contains("44m"))
        try await tmux.typeLine("/set colors.status black,cyan")
        try await tmux.waitFor(text: "colors.status = \"black,cyan\"; saved.")
        var row = ""
        for _ in 0..<200 {
            row = try await statusRow()
            if row.contains("46m") { break }
            await pause(.milliseconds(50))
        }
        #expect(row.contains("46m") && !row.contains("44m"), "\(row.debugDescription)")

        // A bad value is said and changes nothing.
        try await tmux.typeLine("/set scrollback 5")
        try await tmux.waitFor(text: "scrollback: must be from 100 to 1000000")
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("scrollback"))

        // The next start reads what was saved.
        try await quitClient(tmux)
        try await tmux.typeLine(clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby")
        try await tmux.typeLine("/set highlights")
        try await tmux.waitFor(text: "highlights = [\"swift\", \"tea\"]")
        try await quitClient(tmux)
    }
}

extension EndToEndTests {
    @Test func keysFromTheFileAndBindWorkInTheTerminal() async throws {
        let (server, tmux, path, cleanUp) = try await configured { port in """
            [keys]
            ctrl-g = "/join #bound"
            """ }
        defer { cleanUp() }
        try await startClient(tmux, server: server, nick: "alice", extra: "--config \(path)")
        try await tmux.keys("C-g")
        try await tmux.waitFor(text: "You joined #bound")
        // /bind: Ctrl-X erases the line; saved beside the file's binding.
        try await tmux.typeLine("/bind ctrl-x kill-line")
        try await tmux.waitFor(text: "keys.ctrl-x = \"kill-line\"; saved.")
        try await tmux.type("to be erased")
        try await tmux.keys("C-x")
        try await tmux.waitFor("an empty input line") { $0.last?.trimmingCharacters(in: .whitespaces) == "[#bound]" }
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("ctrl-g = \"/join #bound\"") && saved.contains("ctrl-x = \"kill-line\""), "\(saved)")
        try await tmux.typeLine("/bind ctrl-x fly")
        try await tmux.waitFor(text: "keys.ctrl-x: unknown action \"fly\"")
        try await quitClient(tmux)
    }
}
