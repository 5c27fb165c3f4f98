import ChatPOSIX
import Foundation
import Testing
import TestSupport
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The private key never enters a TLS session, nor the spawner the sessions are forked from
/// (issue 15, "beyond the anchors"): their memory is read through /proc/PID/mem, every readable
/// mapping, and searched for the key's secret (the EC scalar or an RSA prime, in both byte
/// orders, since OpenSSL keeps numbers in little-endian words) and for its PEM text. The hub,
/// which signs for them, must hold it: that shows the search finds what is there.
@Suite(.serialized) struct KeyIsolationTests {
    /// The secret number of a PEM key as `openssl pkey -text` prints it (`priv:` for EC,
    /// `prime1:` for RSA), leading zero bytes dropped.
    func secret(of keyPath: String, label: String) async throws -> [UInt8] {
        let r = try await runToExit("/usr/bin/openssl", ["pkey", "-in", keyPath, "-noout", "-text"])
        var hex = "", inside = false
        for line in r.output.split(separator: "\n") {
            if line.hasPrefix(label) { inside = true; continue }
            if inside {
                guard line.hasPrefix(" ") else { break }
                hex += line.filter { $0.isHexDigit }
            }
        }
        var bytes: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { bytes.append(UInt8(String([a, b]), radix: 16)!) }
        while bytes.first == 0 { bytes.removeFirst() }
        guard bytes.count >= 32 else { throw TestFailure("no \(label) in \(r.output)") }
        return bytes
    }

    /// Whether any of `needles` is in a readable mapping of process `pid`.
    func memory(of pid: pid_t, contains needles: [[UInt8]]) throws -> Bool {
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        guard fd >= 0 else { throw TestFailure("cannot open /proc/\(pid)/mem: errno \(errno)") }
        defer { close(fd) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk + 4096)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[1].hasPrefix("r"), !line.hasSuffix("[vvar]"), !line.hasSuffix("[vsyscall]") else { continue }
            let range = fields[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
            guard range.count == 2, range[1] - range[0] <= 1 << 30 else { continue }
            var offset = range[0]
            // Chunks overlap by 4 KiB so that nothing is missed across a boundary.
            while offset < range[1] {
                let want = Int(min(UInt64(chunk + 4096), range[1] - offset))
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
                if n <= 0 { break }
                for needle in needles {
                    if buffer.withUnsafeBytes({ Self.find(needle, in: UnsafeRawBufferPointer(rebasing: $0[..<n])) }) { return true }
                }
                offset += UInt64(chunk)
            }
        }
        return false
    }

    /// Whether `needle` occurs in `hay` (memchr for its first byte, then a comparison).
    static func find(_ needle: [UInt8], in hay: UnsafeRawBufferPointer) -> Bool {
        guard let base = hay.baseAddress, needle.count <= hay.count else { return false }
        var start = 0
        let last = hay.count - needle.count
        while start <= last {
            guard let p = memchr(base + start, Int32(needle[0]), last - start + 1) else { return false }
            let at = base.distance(to: UnsafeRawPointer(p))
            if memcmp(base + at, needle, needle.count) == 0 { return true }
            start = at + 1
        }
        return false
    }

    @Test(arguments: ["ec", "rsa"]) func noSessionAndNotTheSpawnerHoldsThePrivateKey(kind: String) async throws {
        let dir = NSTemporaryDirectory() + "tls-key-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir, kind: kind)
        let server = try await ServerProcess(["--tls-listen", "127.0.0.1:0", "--tls-cert", cert.certificatePath, "--tls-key", cert.keyPath])
        let tmux = try await ncatTelnetUser(port: try await tlsPort(of: server), nick: "keyless")
        defer { tmux.kill() }

        let number = try await secret(of: cert.keyPath, label: kind == "ec" ? "priv:" : "prime1:")
        let pem = try String(contentsOfFile: cert.keyPath, encoding: .utf8).split(separator: "\n")
        let needles = [number, Array(number.reversed()), Array(pem[1].utf8)]
        // The hub holds the key as a number: the search must find it there (not only its PEM).
        #expect(try memory(of: server.pid, contains: [number, Array(number.reversed())]), "the search missed the hub's key")
        let children = server.sessionPIDs()  // the sessions, the spawner (and any other helper)
        #expect(children.count >= 2, "\(children)")
        for pid in children {
            #expect(try !memory(of: pid, contains: needles), "pid \(pid) holds the private key")
        }
        await server.stop()
    }
}

extension KeyIsolationTests {
    /// The hub signs once per session on a TLS port: a plain session that asks (a compromised
    /// one using the hub as a signing oracle) is refused and logged, and stays.
    @Test func aSessionThatAsksForASignatureItMayNotHaveIsRefused() async throws {
        let dir = NSTemporaryDirectory() + "tls-key-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCertificate.make(in: dir)
        let server = try await ServerProcess(["--tls-listen", "127.0.0.1:0", "--tls-cert", cert.certificatePath, "--tls-key", cert.keyPath])
        let alice = try await humanUser(server, nick: "alice")
        let (mallory, pid) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        try await alice.expect("mallory joined")
        var frames: [UInt8] = []
        HubRequest.tlsSign(kind: 1, padding: 0, input: [UInt8](repeating: 9, count: 32)).appendFrame(to: &frames)
        HubRequest.message(kind: .privmsg, target: "#lobby", text: "still mallory").appendFrame(to: &frames)
        try writeFrames(frames, into: pid)
        try await server.waitForLog("asked for a TLS signature it may not have")
        try await alice.expect("<mallory> still mallory")
        _ = mallory
        await server.stop()
    }
}
