import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Real clients, not our own test client: irssi and WeeChat in tmux, and the Python `irc` library.
/// `.ci/run` installs both; a missing one fails the test with the command that installs it.
@Suite struct RealClientTests {
    /// The first `tool` on PATH, as a shell would find it.
    func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            return "\(dir)/\(tool)"
        }
        return nil
    }

    /// Runs a command to the end (`Proc.spawn`, then waitpid); its output goes through a
    /// file, since a pipe would stay open as long as a tmux server started by it lives.
    @discardableResult
    func run(_ path: String, _ args: [String]) throws -> (Int32, String) {
        let outPath = NSTemporaryDirectory() + "run-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let status = Proc.waitFor(try Proc.spawn(path, args, outputPath: outPath))
        let code: Int32
        switch status {
        case .exited(let c): code = c
        case .signaled: code = 0
        }
        return (code, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
    }

    @Test func irssiRegistersJoinsChatsAndQuits() throws {
        guard let irssi = which("irssi") else {
            Issue.record("needs irssi: apt-get install -y irssi")
            return
        }
        let server = try ServerProcess()
        let home = server.dir + "/irssi"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let tmux = try Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        try tmux.typeLine("exec env TERM=screen \(irssi) --home=\(home) -n irssiuser -c 127.0.0.1 -p \(server.port)")
        func waitScreen(_ text: String, timeout: Double = 15) -> Bool { (try? tmux.waitFor(text: text, timeout: timeout)) != nil }
        func screen() -> String { tmux.screen().joined(separator: "\n") }
        func type(_ line: String) throws { try tmux.typeLine(line) }

        guard waitScreen("Welcome to the test.server Network") else { return }
        try type("/join #lobby")
        guard waitScreen("Total of 1 nicks") else { return }
        // irssi's channel sync (MODE, WHO, ban list; irssi paces them about 2.5 s apart) completes.
        guard waitScreen("Join to #lobby was synced", timeout: 20) else { return }
        let human = try humanUser(server, nick: "human")
        try human.expect("In #lobby")
        try human.line("hello irssi")
        guard waitScreen("human> hello irssi") else { return }
        try type("hello telnet")
        try human.expect("<irssiuser> hello telnet")
        try type("/names")
        guard waitScreen("Total of 2 nicks") else { return }
        // irssi's own /op (MODE +o) and /version, /lusers: answered, not "Unknown command".
        try type("/op human")
        try human.expect("-- irssiuser made you an operator of #lobby")
        guard waitScreen("mode/#lobby [+o human] by irssiuser") else { return }
        try type("/version")
        try type("/lusers")
        try type("/window 1")  // server replies go to the status window
        guard waitScreen("I have 2 clients and 0 servers") else { return }
        #expect(screen().contains("chat-server-0.1.0") && !screen().contains("Unknown command"), "\(screen())")
        try type("/window 2")
        try type("/quit leaving")
        try human.expect("irssiuser quit")
    }

    @Test func weechatRegistersJoinsChatsAndQuitsWithoutComplaint() throws {
        guard let weechat = which("weechat") else {
            Issue.record("needs weechat: apt-get install -y weechat-curses")
            return
        }
        let server = try ServerProcess()
        let home = server.dir + "/weechat"
        let tmux = try Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        let setup = "/server add t 127.0.0.1/\(server.port) -notls; /set irc.server.t.nicks weeuser; "
            + "/set irc.server.t.autojoin #lobby; /connect t"
        try tmux.typeLine("exec env TERM=screen \(weechat) --dir \(home) -r '\(setup)'")
        func waitScreen(_ text: String, timeout: Double = 15) -> Bool { (try? tmux.waitFor(text: text, timeout: timeout)) != nil }
        func screen() -> String { tmux.screen().joined(separator: "\n") }
        func type(_ line: String) throws { try tmux.typeLine(line) }

        guard waitScreen("has joined #lobby") else { return }
        let human = try humanUser(server, nick: "human")
        try human.expect("In #lobby: @weeuser, human")
        guard waitScreen("human (human@127.0.0.1) has joined #lobby") else { return }
        try human.line("hello weechat")
        guard waitScreen("human | hello weechat") else { return }
        try type("hello telnet, from weechat")
        try human.expect("<weeuser> hello telnet, from weechat")
        try type("/names")
        guard waitScreen("Nicks #lobby: [@weeuser human]") else { return }
        // The server buffer: WeeChat shows errors and unknown replies there, prefixed =!=.
        try type("/buffer 1")
        guard waitScreen("Welcome to the test.server Network") else { return }
        let serverBuffer = screen()
        #expect(!serverBuffer.contains("=!="), "WeeChat complained:\n\(serverBuffer)")
        #expect(!serverBuffer.contains("Unknown command"), "\(serverBuffer)")
        try type("/quit leaving")
        try human.expect("weeuser quit (Quit: leaving)")
    }

    @Test func thePythonIRCLibraryRegistersJoinsChatsAndQuits() throws {
        // The python3 on PATH, or Debian's own (where apt's python3-irc goes), with the library.
        let candidates = [which("python3"), "/usr/bin/python3"].compactMap { $0 }
        guard let python = candidates.first(where: { (try? run($0, ["-c", "import irc.client"]).0) == 0 }) else {
            Issue.record("needs python3 with the irc library: apt-get install python3-irc, or pip install irc")
            return
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/python_irc_client.py").path
        let server = try ServerProcess()
        let human = try humanUser(server, nick: "human")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: python)
        client.arguments = [script, String(server.port), "pyuser"]
        let out = Pipe()
        client.standardOutput = out
        client.standardError = out
        try client.run()
        try human.expect("pyuser joined #lobby")
        try human.expect("<pyuser> hello from python")
        try human.line("hello python")
        try human.expect("pyuser quit (Quit: bye from python)")
        while client.isRunning { usleep(10_000) }
        let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(client.terminationStatus == 0, "\(transcript)")
        #expect(transcript.contains("welcome pyuser"))
        #expect(transcript.contains("names @human pyuser"))
        #expect(transcript.contains("message from human: hello python"))
        #expect(transcript.contains("disconnected"))
    }
}
