import ChatPOSIX
import Foundation
import Testing
import TestSupport

extension RealClientTests {
    /// WeeChat logs in to an account with SASL PLAIN as it connects: the server buffer says
    /// so without complaint, and WHOIS shows the account to others.
    @Test func weechatLogsInWithSASL() async throws {
        guard let weechat = which("weechat") else {
            Issue.record("needs weechat: apt-get install -y weechat-curses")
            return
        }
        let server = try await ServerProcess()
        let owner = try await ircUser(server, nick: "owner")
        try owner.line("NS REGISTER sesame1")
        try await owner.expect(" 900 owner ")
        try owner.line("QUIT")
        let home = server.dir + "/weechat-sasl"
        let tmux = try await Tmux(cols: 120, rows: 40)
        defer { tmux.kill() }
        let setup = "/server add t 127.0.0.1/\(server.port) -notls; /set irc.server.t.nicks weeuser; "
            + "/set irc.server.t.sasl_mechanism plain; /set irc.server.t.sasl_username owner; "
            + "/set irc.server.t.sasl_password sesame1; /set irc.server.t.autojoin #lobby; /connect t"
        try await tmux.typeLine("exec env TERM=screen \(weechat) --dir \(home) -r '\(setup)'")
        func waitScreen(_ text: String, timeout: Double = 15) async -> Bool { (try? await tmux.waitFor(text: text, timeout: timeout)) != nil }
        guard await waitScreen("has joined #lobby") else { return }
        let human = try await humanUser(server, nick: "human")
        try human.line("/whois weeuser")
        try await human.expect("-- weeuser is logged in as owner")
        try await tmux.typeLine("/buffer 1")
        guard await waitScreen("SASL authentication successful") else { return }
        let serverBuffer = await tmux.screen().joined(separator: "\n")
        #expect(serverBuffer.contains("You are now logged in as owner"), "\(serverBuffer)")
        #expect(!serverBuffer.contains("=!="), "WeeChat complained:\n\(serverBuffer)")
        try await tmux.typeLine("/quit leaving")
        try await human.expect("weeuser quit (Quit: leaving)")
        await tmux.waitUntilEnded()
    }
}
