import Foundation
import Testing
import TestSupport

// The bench over TLS (`--tls`, issue 15) against chat-server's TLS port, tiny sizes: every
// line arrives once, in order and intact, never how fast.

extension Server {
    /// chat-server with a plain and a TLS listener and a fresh self-signed certificate;
    /// `port` is the TLS one. `dir` holds the certificate (removed by the caller).
    static func chatServerWithTLS(_ dir: String) async throws -> Server {
        let cert = try await TestCertificate.make(in: dir)
        let plain = try await chatServer(["--tls-listen", "127.0.0.1:0", "--tls-cert", cert.certificatePath,
                                          "--tls-key", cert.keyPath])
        return Server(process: plain.process, port: try await plain.process.waitForTLSPort(timeout: 20))
    }
}

@Suite(.serialized) struct TLSSmokeTests {
    let dir = NSTemporaryDirectory() + "bench-tls-\(UUID().uuidString.prefix(8))"

    @Test func fanoutIRCOverTLS() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await Server.chatServerWithTLS(dir)
        defer { server.stop() }
        let j = try await bench(["fanout", "--tls", "--target", "127.0.0.1:\(server.port)", "--dialect", "irc", "--clients", "6",
                                 "--senders", "2", "--duration", "1", "--server-pid", "\(server.pid)"])
        expectPerfect(j, clients: 6)
        #expect(j["tls"] as? Bool == true, "\(j)")
        let s = j["server"] as? [String: Any]
        #expect((s?["processes"] as? NSNumber)?.intValue == 9, "hub + spawner + password worker + 6 sessions: \(String(describing: s))")
    }

    @Test func latencyHumanOverTLS() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await Server.chatServerWithTLS(dir)
        defer { server.stop() }
        let j = try await bench(["latency", "--tls", "--target", "127.0.0.1:\(server.port)", "--dialect", "human", "--clients", "5",
                                 "--rate", "50", "--duration", "1"])
        expectPerfect(j, clients: 5)
    }

    /// Telnet users in character mode over TLS: each key a record of its own.
    @Test func latencyTypistOverTLS() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await Server.chatServerWithTLS(dir)
        defer { server.stop() }
        let j = try await bench(["latency", "--tls", "--target", "127.0.0.1:\(server.port)", "--dialect", "typist", "--clients", "4",
                                 "--rate", "20", "--duration", "1"])
        expectPerfect(j, clients: 4)
    }

    /// The connection ramp over TLS, both dialects: every client through the handshake and
    /// registered, every session alive while they are held.
    @Test func connectionsMixedOverTLS() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await Server.chatServerWithTLS(dir)
        defer { server.stop() }
        let j = try await bench(["connections", "--tls", "--target", "127.0.0.1:\(server.port)", "--dialect", "mixed",
                                 "--clients", "20", "--hold", "0.5", "--server-pid", "\(server.pid)"])
        #expect(int(j, "ready") == 20, "\(j)")
        #expect(int(j, "connect_failed") == 0 && int(j, "register_failed") == 0 && int(j, "dropped") == 0, "\(j)")
        let s = j["server"] as? [String: Any]
        #expect((s?["processes"] as? NSNumber)?.intValue == 23, "hub + spawner + password worker + 20 sessions: \(String(describing: s))")
    }

    /// `--tls` against a plain port fails with the reason, and `--tls` where it cannot apply is refused.
    @Test func tlsToAPlainPortOrWithRawIsAClearError() async throws {
        let server = try await Server.chatServer()
        defer { server.stop() }
        let r = try await runToExit(productPath("chat-bench"), ["fanout", "--tls", "--target", "127.0.0.1:\(server.port)",
                                                                "--clients", "2", "--duration", "1", "--quiet"], errorsApart: true)
        #expect(r.status == 2, "\(r)")
        #expect(r.errors.contains("no client could register") && r.errors.contains("TLS"), "\(r.errors)")
        let raw = try await runToExit(productPath("chat-bench"), ["fanout", "--tls", "--dialect", "raw", "--quiet"], errorsApart: true)
        #expect(raw.status != 0 && raw.errors.contains("--tls is for the irc, human, mixed and typist dialects"), "\(raw)")
        #expect(server.process.isRunning, "\(server.process.log)")
    }
}
