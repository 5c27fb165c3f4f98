import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Real clients, not our own test client: irssi and WeeChat in tmux, and the Python `irc` library.
/// `.ci/run` installs both; a missing one fails the test with the command that installs it.
@Suite(.serialized) struct RealClientTests {
    /// The first `tool` on PATH, as a shell would find it.
    func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            return "\(dir)/\(tool)"
        }
        return nil
    }

    /// Runs a command to the end; its output goes through a file, since a pipe would stay
    /// open as long as a tmux server started by it lives.
    @discardableResult
    func run(_ path: String, _ args: [String]) async throws -> (Int32, String) {
        let p = try LoggedProcess(path, name: "run") { _ in args }
        _ = await waitUntil(timeout: 3600) { !p.isRunning }
        let code: Int32
        switch p.exit {
        case .exited(let c)?: code = c
        case .signaled?, nil: code = 0
        }
        return (code, p.log)
    }

    @Test func irssiRegistersJoinsChatsAndQuits() async throws {
        guard let irssi = which("irssi") else {
            Issue.record("needs irssi: apt-get install -y irssi")
            return
        }
        let server = try await ServerProcess()
        let home = server.dir + "/irssi"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let tmux = try await Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        try await tmux.typeLine("exec env TERM=screen \(irssi) --home=\(home) -n irssiuser -c 127.0.0.1 -p \(server.port)")
        func waitScreen(_ text: String, timeout: Double = 15) async -> Bool { (try? await tmux.waitFor(text: text, timeout: timeout)) != nil }
        func screen() async -> String { await tmux.screen().joined(separator: "\n") }
        func type(_ line: String) async throws { try await tmux.typeLine(line) }

        guard await waitScreen("Welcome to the test.server Network") else { return }
        try await type("/join #lobby")
        guard await waitScreen("Total of 1 nicks") else { return }
        // irssi's channel sync (MODE, WHO, ban list; irssi paces them about 2.5 s apart) completes.
        guard await waitScreen("Join to #lobby was synced", timeout: 20) else { return }
        let human = try await humanUser(server, nick: "human")
        try await human.expect("In #lobby")
        try human.line("hello irssi")
        guard await waitScreen("human> hello irssi") else { return }
        try await type("hello telnet")
        try await human.expect("<irssiuser> hello telnet")
        try await type("/names")
        guard await waitScreen("Total of 2 nicks") else { return }
        // irssi's own /op (MODE +o) and /version, /lusers: answered, not "Unknown command".
        try await type("/op human")
        try await human.expect("-- irssiuser made you an operator of #lobby")
        guard await waitScreen("mode/#lobby [+o human] by irssiuser") else { return }
        try await type("/version")
        try await type("/lusers")
        try await type("/window 1")  // server replies go to the status window
        guard await waitScreen("I have 2 clients and 0 servers") else { return }
        let shown = await screen()
        #expect(shown.contains("chat-server-0.1.0") && !shown.contains("Unknown command"), "\(shown)")
        try await type("/window 2")
        try await type("/quit leaving")
        try await human.expect("irssiuser quit")
        // Gone before its home (in the server's directory) is removed: it writes there as it ends.
        await tmux.waitUntilEnded()
    }

    @Test func weechatRegistersJoinsChatsAndQuitsWithoutComplaint() async throws {
        guard let weechat = which("weechat") else {
            Issue.record("needs weechat: apt-get install -y weechat-curses")
            return
        }
        let server = try await ServerProcess()
        let home = server.dir + "/weechat"
        let tmux = try await Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        let setup = "/server add t 127.0.0.1/\(server.port) -notls; /set irc.server.t.nicks weeuser; "
            + "/set irc.server.t.autojoin #lobby; /connect t"
        try await tmux.typeLine("exec env TERM=screen \(weechat) --dir \(home) -r '\(setup)'")
        func waitScreen(_ text: String, timeout: Double = 15) async -> Bool { (try? await tmux.waitFor(text: text, timeout: timeout)) != nil }
        func screen() async -> String { await tmux.screen().joined(separator: "\n") }
        func type(_ line: String) async throws { try await tmux.typeLine(line) }

        guard await waitScreen("has joined #lobby") else { return }
        let human = try await humanUser(server, nick: "human")
        try await human.expect("In #lobby: @weeuser, human")
        // WeeChat enables extended-join: the real name comes with the JOIN (`human (telnet user) (…)`).
        guard await waitScreen("(telnet user) (human@127.0.0.1) has joined #lobby") else { return }
        try human.line("hello weechat")
        guard await waitScreen("human | hello weechat") else { return }
        try await type("hello telnet, from weechat")
        try await human.expect("<weeuser> hello telnet, from weechat")
        try await type("/names")
        guard await waitScreen("Nicks #lobby: [@weeuser human]") else { return }
        // The server buffer: WeeChat shows errors and unknown replies there, prefixed =!=.
        try await type("/buffer 1")
        guard await waitScreen("Welcome to the test.server Network") else { return }
        let serverBuffer = await screen()
        #expect(!serverBuffer.contains("=!="), "WeeChat complained:\n\(serverBuffer)")
        #expect(!serverBuffer.contains("Unknown command"), "\(serverBuffer)")
        try await type("/quit leaving")
        try await human.expect("weeuser quit (Quit: leaving)")
        // Gone before its home (in the server's directory) is removed: it writes there as it ends.
        await tmux.waitUntilEnded()
    }

    @Test func thePythonIRCLibraryRegistersJoinsChatsAndQuits() async throws {
        // The python3 on PATH, or Debian's own (where apt's python3-irc goes), with the library.
        let candidates = [which("python3"), "/usr/bin/python3"].compactMap { $0 }
        var python: String?
        for candidate in candidates where python == nil {
            if (try? await run(candidate, ["-c", "import irc.client"]).0) == 0 { python = candidate }
        }
        guard let python else {
            Issue.record("needs python3 with the irc library: apt-get install python3-irc, or pip install irc")
            return
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/python_irc_client.py").path
        let server = try await ServerProcess()
        let human = try await humanUser(server, nick: "human")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: python)
        client.arguments = [script, String(server.port), "pyuser"]
        let out = Pipe()
        client.standardOutput = out
        client.standardError = out
        try client.run()
        try await human.expect("pyuser joined #lobby")
        try await human.expect("<pyuser> hello from python")
        try human.line("hello python")
        try await human.expect("pyuser quit (Quit: bye from python)")
        _ = await waitUntil(timeout: 3600, every: .milliseconds(10)) { !client.isRunning }
        let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(client.terminationStatus == 0, "\(transcript)")
        #expect(transcript.contains("welcome pyuser"))
        #expect(transcript.contains("names @human pyuser"))
        #expect(transcript.contains("message from human: hello python"))
        #expect(transcript.contains("disconnected"))
    }
}
