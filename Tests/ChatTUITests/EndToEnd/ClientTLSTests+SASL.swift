import Foundation
import Testing
import TestSupport
@testable import ChatTUI

/// chat-tui logs in with SASL EXTERNAL: the configuration's `tls_cert` (certificate and key
/// in one PEM file) is presented over TLS, and the account holding its fingerprint
/// (NickServ CERT ADD) is the one logged in to.
extension ClientTLSTests {
    @Test func chatTUILogsInWithSASLExternalAndItsClientCertificate() async throws {
        let server = try await TLSChatServer()
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let cert = try await TestCertificate.make(in: server.certDir, name: "client", commonName: "alice")
        let pem = data + "/alice.pem"
        let both = try String(contentsOfFile: cert.certificatePath, encoding: .utf8) + String(contentsOfFile: cert.keyPath, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: pem, contents: Data(both.utf8))
        let owner = try await IRCPeer(port: server.port, nick: "alice")
        try owner.line("PRIVMSG NickServ :REGISTER sesame1")
        try await owner.expect(" 900 alice ")
        try owner.line("PRIVMSG NickServ :CERT ADD \(cert.fingerprint)")
        try await owner.expect("Added the fingerprint")
        let path = data + "/config.toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data("""
            nick = "certuser"
            [networks.t]
            address = "ircs://127.0.0.1:\(server.tlsPort)"
            tls_fingerprint = "\(server.certificate.fingerprint)"
            sasl_mechanism = "external"
            tls_cert = "\(pem)"
            channels = ["#lobby"]
            """.utf8))
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine("env XDG_DATA_HOME=\(data) " + clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "You joined #lobby", timeout: 20)
        try owner.line("WHOIS certuser")
        try await owner.expect(" 330 alice certuser alice ")
        // The login is said in the server window.
        try await tmux.typeLine("/window 1")
        try await tmux.waitFor(text: "You are now logged in as alice", timeout: 20)
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // A certificate file that holds no key is one clear line at start.
        try FileManager.default.removeItem(atPath: pem)
        try FileManager.default.copyItem(atPath: cert.certificatePath, toPath: pem)
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect --config \(path)"))
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
        let said = (await tmux.screen()).joined()
        #expect(said.contains("chat-tui: tls_cert \(pem): no PEM private key in the file (or it is encrypted)"), "\(said)")
    }
}
