import ChatTLS
import Foundation
import Testing
import TestSupport

/// ChatTLS in process: a server and a client connection pumped into each other through their
/// memory buffers, no sockets; certificates made by the openssl command for the test.
@Suite(.serialized) struct TLSConnectionTests {
    /// Moves bytes both ways until neither has anything more to say.
    func pump(_ a: TLSConnection, _ b: TLSConnection, _ aText: inout [UInt8], _ bText: inout [UInt8]) throws {
        for _ in 0..<20 {
            var ab: [UInt8] = [], ba: [UInt8] = []
            a.takeOutput(into: &ab)
            b.takeOutput(into: &ba)
            if ab.isEmpty && ba.isEmpty && a.handshakeDone && b.handshakeDone { return }
            ab.withUnsafeBytes { b.feed($0) }
            ba.withUnsafeBytes { a.feed($0) }
            try a.readPlaintext(into: &aText)
            try b.readPlaintext(into: &bText)
        }
    }

    @Test func aHandshakeThenLinesBothWaysWithTheFingerprintAndTheVerdict() async throws {
        let dir = NSTemporaryDirectory() + "tlsconn-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for kind in ["ec", "rsa"] {
            let cert = try await TestCertificate.make(in: dir, name: kind, kind: kind)
            let chain = Array(try Data(contentsOf: URL(fileURLWithPath: cert.certificatePath)))
            let key = Array(try Data(contentsOf: URL(fileURLWithPath: cert.keyPath)))
            let server = try TLSConnection(context: try TLSContext.server(chainPEM: chain, keyPEM: key))
            let client = try TLSConnection(context: try TLSContext.client(), host: "localhost")
            var s: [UInt8] = [], c: [UInt8] = []
            // The client speaks first; nothing can be written before the handshake.
            #expect(try Array("early".utf8).withUnsafeBytes { try client.write($0) } == false)
            try client.readPlaintext(into: &c)
            try pump(client, server, &c, &s)
            #expect(server.handshakeDone && client.handshakeDone)
            #expect(client.version == "TLSv1.3" && server.cipher.hasPrefix("TLS_"))
            #expect(client.peerFingerprint?.hex == cert.fingerprint)
            #expect(TLSContext.fingerprint(ofPEM: chain)?.hex == cert.fingerprint)
            // Self-signed: the client's verdict says so (it decides what to do: TOFU, a pin).
            #expect(client.verificationProblem == "self-signed certificate", "\(client.verificationProblem ?? "nil")")
            try Array("NICK tls\r\n".utf8).withUnsafeBytes { _ = try client.write($0) }
            try Array("hello\r\n".utf8).withUnsafeBytes { _ = try server.write($0) }
            try pump(client, server, &c, &s)
            #expect(String(decoding: s, as: UTF8.self) == "NICK tls\r\n")
            #expect(String(decoding: c, as: UTF8.self) == "hello\r\n")
        }
    }

    /// The buffer API (the bench's): records opened into a caller's buffer, one at most per
    /// read, and the bytes for the network taken into one; a burst of one-byte records (a
    /// typist, a key per record) arrives whole, in order, through both APIs.
    @Test func recordsReadIntoABufferAndManySmallRecordsAtOnce() async throws {
        let dir = NSTemporaryDirectory() + "tlsconn-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir)
        let chain = Array(try Data(contentsOf: URL(fileURLWithPath: cert.certificatePath)))
        let key = Array(try Data(contentsOf: URL(fileURLWithPath: cert.keyPath)))
        let server = try TLSConnection(context: try TLSContext.server(chainPEM: chain, keyPEM: key))
        let client = try TLSConnection(context: try TLSContext.client())
        var s: [UInt8] = [], c: [UInt8] = []
        try client.readPlaintext(into: &c)
        try pump(client, server, &c, &s)
        let typed = Array(String(repeating: "a line of keys\r\n", count: 40).utf8)
        for byte in typed { try [byte].withUnsafeBytes { _ = try client.write($0) } }
        let wire = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { wire.deallocate() }
        let n = client.takeOutput(into: wire)
        #expect(n > typed.count * 20 && !client.hasOutput, "\(n)")
        // Half through the buffer API, one record at a time; the rest as the server reads.
        server.feed(UnsafeRawBufferPointer(rebasing: wire[..<n]))
        let room = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { room.deallocate() }
        var got: [UInt8] = []
        for _ in 0..<(typed.count / 2) {
            let k = try server.read(into: room)
            #expect(k == 1)
            got += room[..<k]
        }
        try server.readPlaintext(into: &got)
        #expect(got == typed)
        #expect(try server.read(into: room) == 0)
        #expect(server.takeOutput(into: room) == 0)
    }

    @Test func garbageIsAnErrorNotACrash() throws {
        let server = try TLSConnection(context: try TLSContext.client())
        var out: [UInt8] = []
        let garbage: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 7, count: 100)
        garbage.withUnsafeBytes { server.feed($0) }
        #expect(throws: TLSError.self) {
            try server.readPlaintext(into: &out)
            try server.readPlaintext(into: &out)
        }
    }

    @Test func badPEMIsRefusedWithAReason() throws {
        #expect(throws: TLSError.self) { _ = try TLSContext.server(chainPEM: Array("nothing".utf8), keyPEM: []) }
    }

    @Test func fingerprintsReadBackInBothSpellings() {
        let hex = (0..<32).map { String(format: "%02X", $0 * 7 % 256) }.joined(separator: ":")
        let f = TLSFingerprint(parsing: hex)
        #expect(f?.hex == hex)
        #expect(TLSFingerprint(parsing: "SHA256:" + hex.replacingOccurrences(of: ":", with: "").lowercased()) == f)
        #expect(TLSFingerprint(parsing: "SHA256:abc") == nil)
        #expect(TLSFingerprint(parsing: String(repeating: "zz", count: 32)) == nil)
    }
}
