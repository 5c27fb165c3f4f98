import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// SASL from the configuration file, as a user meets it: the real binary in tmux logs in to
/// our server with PLAIN, and against a scripted server that refuses the login says so and
/// registers anyway; the password is never on screen.
extension EndToEndTests {
    @Test func chatTUILogsInWithSASLPlainFromTheConfigurationFile() async throws {
        let (server, tmux, path, cleanUp) = try await configured { port in """
            nick = "ttuser"
            sasl_mechanism = "plain"
            sasl_username = "owner"
            sasl_password = "sesame-e2e"

            [networks.home]
            address = "127.0.0.1:\(port)"
            channels = ["#lobby"]
            """ }
        defer { cleanUp() }
        let owner = try await IRCPeer(port: server.port, nick: "owner")
        try owner.line("PRIVMSG NickServ :REGISTER sesame-e2e")
        try await owner.expect(" 900 owner ")
        try await tmux.typeLine(clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby")
        try owner.line("WHOIS ttuser")
        try await owner.expect(" 330 owner ttuser owner ")
        // The login is said in the server window.
        try await tmux.typeLine("/window 1")
        try await tmux.waitFor(text: "You are now logged in as owner", timeout: 20)
        #expect(!(await tmux.screen().joined()).contains("sesame-e2e"))
        try await quitClient(tmux)
    }

    @Test func aServerThatRefusesTheLoginIsSaidAndRegistrationGoesOn() async throws {
        let dir = try configDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ScriptedIRCServer()
        let path = dir + "/config.toml"
        let password = String(repeating: "long-password-", count: 21)  // 294 bytes: two AUTHENTICATE lines
        _ = FileManager.default.createFile(atPath: path, contents: Data("""
            sasl_mechanism = "plain"
            sasl_username = "victim"
            sasl_password = "\(password)"
            """.utf8))
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(server.port) --nick victim --config \(path)"))
        let deadline = Date().addingTimeInterval(30)
        try await server.accept(deadline: deadline)
        try await server.expect("USER ", deadline: deadline)
        try server.send([":srv CAP * LS :sasl=PLAIN server-time"])
        try await server.expect("CAP REQ :server-time sasl\r\n", deadline: deadline)
        try server.send([":srv CAP * ACK :server-time sasl"])
        try await server.expect("AUTHENTICATE PLAIN\r\n", deadline: deadline)
        try server.send(["AUTHENTICATE +"])
        let lines = SASLLogin(mechanism: .plain, username: "victim", password: password).payloadLines
        #expect(lines.count == 2)
        try await server.expect(lines.map { "AUTHENTICATE \($0)\r\n" }.joined(), deadline: deadline)
        try server.send([":srv 904 victim :SASL authentication failed"])
        try await server.expect("CAP END\r\n", deadline: deadline)
        try server.send([":srv 001 victim :Welcome", ":srv 422 victim :No MOTD"])
        try await tmux.waitFor(text: "SASL login failed: SASL authentication failed")
        try await tmux.waitFor(text: "Welcome")
        #expect(!(await tmux.screen().joined()).contains("long-password"))
        try await tmux.typeLine("/quit")
    }
}

/// ngIRCd wants a server password and has no SASL: chat-tui sends the configured `password`
/// as PASS, says in one line that it cannot log in, and registers.
extension EndToEndTests {
    @Test func ngircdGetsTheServerPasswordAndItsLackOfSASLIsSaid() async throws {
        let ngircd = try await Ngircd(global: "Password = letmein-e2e\n")
        let dir = try configDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data("""
            password = "letmein-e2e"
            sasl_mechanism = "plain"
            sasl_password = "sesame-e2e"
            [networks.ng]
            address = "127.0.0.1:\(ngircd.port)"
            channels = ["#sasl"]
            """.utf8))
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine(clientCommand("connect ng --nick passer --config \(path)"))
        try await tmux.waitFor(text: "You joined #sasl", timeout: 30)
        try await tmux.typeLine("/window 1")
        try await tmux.waitFor(text: "The server offers no SASL: not logged in (sasl_mechanism is set).", timeout: 20)
        let screen = (await tmux.screen()).joined()
        #expect(!screen.contains("letmein-e2e") && !screen.contains("sesame-e2e"), "\(screen)")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
    }
}
