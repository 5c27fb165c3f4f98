import Foundation
import Testing
import TestSupport
@testable import ChatTUI

#if canImport(Glibc)
import Glibc
#endif

/// chat-tui over TLS (issue 15) against our server's TLS port and ngIRCd's: trust on first use
/// (asked, remembered, a change refused), a pinned fingerprint, and the wrong kind of port
/// said once instead of a reconnect loop.
@Suite(.serialized) struct ClientTLSTests {
    /// chat-server with a plain and a TLS port, and its certificate.
    final class TLSChatServer {
        let process: LoggedProcess
        let port: Int
        let tlsPort: Int
        let certificate: TestCertificate
        let certDir: String

        /// `certificate`: one made for the test (default: self-signed for localhost and 127.0.0.1).
        init(making make: ((String) async throws -> TestCertificate)? = nil) async throws {
            certDir = NSTemporaryDirectory() + "chattui-tls-\(UUID().uuidString.prefix(8))"
            let cert: TestCertificate
            if let make { cert = try await make(certDir) } else { cert = try await TestCertificate.make(in: certDir) }
            certificate = cert
            process = try LoggedProcess(productPath("chat-server"), name: "chattui-tls") { dir in
                ["--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--tls-cert", cert.certificatePath, "--tls-key", cert.keyPath,
                 "--name", "test.server", "--control-socket", dir + "/control.sock", "--flood-rate", "0"]
            }
            port = try await process.waitForListeningPort()
            let line = try await process.waitForLog("(TLS)")
            let address = line.components(separatedBy: "listening on ").last?.components(separatedBy: " ").first ?? ""
            guard let p = Int(address.split(separator: ":").last ?? "") else { throw TestFailure("no TLS port in \(line)") }
            tlsPort = p
        }

        deinit {
            process.stopBlocking(SIGKILL, grace: 0)
            try? FileManager.default.removeItem(atPath: certDir)
        }
    }

    func dataHome() throws -> String {
        let dir = NSTemporaryDirectory() + "chattui-data-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func trustOnFirstUseIsAskedRememberedAndAChangeIsRefused() async throws {
        let server = try await TLSChatServer()
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        // No: nothing remembered, status 1.
        try await tmux.typeLine("env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#tls --nick alice"))
        try await tmux.waitFor(text: "Trust it and remember it for 127.0.0.1:\(server.tlsPort)? (yes/no)", timeout: 20)
        #expect(await tmux.screen().joined().contains(server.certificate.fingerprint))
        try await tmux.typeLine("no")
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
        #expect(!FileManager.default.fileExists(atPath: data + "/chat-tui/known_hosts"))
        // Yes: remembered, and the chat goes on over TLS.
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#tls --nick alice"))
        try await tmux.waitFor(text: "(yes/no)", timeout: 20)
        try await tmux.typeLine("yes")
        try await tmux.waitFor(text: "You joined #tls", timeout: 20)
        let known = try String(contentsOfFile: data + "/chat-tui/known_hosts", encoding: .utf8)
        #expect(known == "127.0.0.1:\(server.tlsPort) SHA256:\(server.certificate.fingerprint)\n")
        let bob = try await IRCPeer(port: server.port, nick: "bob")
        try bob.line("JOIN #tls")
        try bob.line("PRIVMSG #tls :hello over tls")
        try await tmux.waitFor(text: "<bob> hello over tls", timeout: 20)
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // The second time nothing is asked.
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#tls --nick alice"))
        try await tmux.waitFor(text: "You joined #tls", timeout: 20)
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // Another certificate remembered for this host: refused loudly, status 1.
        let other = String(repeating: "AB:", count: 31) + "AB"
        try "127.0.0.1:\(server.tlsPort) SHA256:\(other)\n".write(toFile: data + "/chat-tui/known_hosts", atomically: true, encoding: .utf8)
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#tls --nick alice"))
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
        let screen = await tmux.screen().joined(separator: " ")
        #expect(screen.contains("HAS CHANGED"), "\(screen)")
    }

    @Test func aCertificateTheCAStoreVouchesForIsTrustedWithoutAskingAndItsNameIsChecked() async throws {
        let caDir = NSTemporaryDirectory() + "chattui-ca-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: caDir) }
        // The server's certificate names localhost only; the CA is the store (SSL_CERT_FILE).
        var caPath = ""
        let server = try await TLSChatServer(making: { dir in
            let (leaf, ca) = try await TestCertificate.makeSigned(in: dir, commonName: "localhost", withAddress: false)
            try FileManager.default.createDirectory(atPath: caDir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ca, toPath: caDir + "/ca.crt")
            caPath = caDir + "/ca.crt"
            return leaf
        })
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        // By the name the certificate carries: trusted, nothing asked, nothing remembered.
        try await tmux.typeLine("env SSL_CERT_FILE=\(caPath) XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://localhost:\(server.tlsPort)/#ca --nick erin"))
        try await tmux.waitFor(text: "You joined #ca", timeout: 20)
        #expect(!FileManager.default.fileExists(atPath: data + "/chat-tui/known_hosts"))
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // By an address the certificate does not name: the host name check fails, so it is asked.
        try await tmux.typeLine("clear; env SSL_CERT_FILE=\(caPath) XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#ca --nick erin"))
        try await tmux.waitFor(text: "(yes/no)", timeout: 20)
        let asked = await tmux.screen().joined()
        #expect(asked.contains("mismatch"), "\(asked)")
        try await tmux.typeLine("no")
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
    }

    @Test func aPinnedFingerprintConnectsWithoutAskingAndAnotherIsRefused() async throws {
        let server = try await TLSChatServer()
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        let wrong = String(repeating: "0", count: 64)
        try await tmux.typeLine("env XDG_DATA_HOME=\(data) " + clientCommand("connect 127.0.0.1:\(server.tlsPort) --tls --tls-fingerprint \(wrong) --nick carol"))
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
        #expect(await tmux.screen().joined(separator: " ").contains("not the SHA256:00:00"))
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.tlsPort)/#pinned --tls-fingerprint \(server.certificate.fingerprint) --nick carol"))
        try await tmux.waitFor(text: "You joined #pinned", timeout: 20)
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
    }

    @Test func theWrongKindOfPortIsSaidOnceNotRetried() async throws {
        let server = try await TLSChatServer()
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try await Tmux(cols: 200, rows: 30)
        defer { tmux.kill() }
        // Plaintext to the TLS port: the screen says so, and does not count down to a retry.
        try await tmux.typeLine(clientCommand("connect irc://127.0.0.1:\(server.tlsPort) --nick dave"))
        try await tmux.waitFor(text: "this port speaks TLS: try ircs://127.0.0.1:\(server.tlsPort)", timeout: 20)
        #expect(!(await tmux.screen().joined().contains("retry in")))
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // TLS to the plain port: one line, status 1.
        try await tmux.typeLine("clear; env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(server.port) --nick dave"))
        try await tmux.waitFor(text: "EXIT=1", timeout: 20)
        #expect(await tmux.screen().joined(separator: " ").contains("TLS handshake with 127.0.0.1:\(server.port) failed"))
    }

    @Test func worksWithNgircdsTLSPort() async throws {
        guard let ngircd = findExecutable("ngircd") else {
            Issue.record("needs ngircd: apt-get install -y ngircd")
            return
        }
        let dir = NSTemporaryDirectory() + "chattui-ngircd-tls-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir)
        let port = try freeLoopbackPort(), tlsPort = try freeLoopbackPort()
        let ssl = "[SSL]\nCertFile = \(cert.certificatePath)\nKeyFile = \(cert.keyPath)\nPorts = \(tlsPort)\n"
        try ngircdConfig(port: port, extra: ssl).write(toFile: dir + "/ngircd.conf", atomically: true, encoding: .utf8)
        let server = try LoggedProcess(ngircd, name: "chattui-ngircd-tls") { _ in ["-n", "-f", dir + "/ngircd.conf"] }
        defer { server.stopBlocking(SIGTERM, grace: 8) }
        try await server.waitForLog("Now listening")
        let data = try dataHome()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tmux = try await Tmux()
        defer { tmux.kill() }
        try await tmux.typeLine("env XDG_DATA_HOME=\(data) " + clientCommand("connect ircs://127.0.0.1:\(tlsPort)/#test --nick alice"))
        try await tmux.waitFor(text: "(yes/no)", timeout: 20)
        try await tmux.typeLine("yes")
        try await tmux.waitFor(text: "You joined #test", timeout: 20)
        let bob = try await IRCPeer(port: port, nick: "bob")
        try bob.line("JOIN #test")
        try bob.line("PRIVMSG #test :hello from ngircd")
        try await tmux.waitFor(text: "<bob> hello from ngircd", timeout: 20)
        try await tmux.typeLine("hi bob over tls")
        try await bob.expect("PRIVMSG #test :hi bob over tls")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
        // Plaintext to ngIRCd's TLS port: it answers with a TLS alert, which chat-tui recognises.
        try await tmux.typeLine("clear; " + clientCommand("connect irc://127.0.0.1:\(tlsPort) --nick carol"))
        try await tmux.waitFor(text: "this port speaks TLS: try ircs://127.0.0.1:\(tlsPort)", timeout: 20)
        #expect(!(await tmux.screen().joined().contains("retry in")))
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0", timeout: 20)
    }
}
