import ChatPOSIX
import Foundation

/// A self-signed certificate and its key, made by the openssl command for one test (never a
/// committed key): PEM files in a directory of their own, readable by the user a server
/// started as root runs as, so that it can read them again on a reload.
public struct TestCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String
    /// `AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it.
    public let fingerprint: String

    /// `kind`: "ec" (P-256) or "rsa" (2048 bits). `name`: the files' names in `dir`.
    public static func make(in dir: String, name: String = "server", commonName: String = "localhost",
                            kind: String = "ec") async throws -> TestCertificate {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o755)
        let cert = "\(dir)/\(name).crt", key = "\(dir)/\(name).key"
        let keyArgs = kind == "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        let made = try await runToExit("/usr/bin/openssl", ["req", "-x509"] + keyArgs
            + ["-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=\(commonName)",
               "-addext", "subjectAltName=DNS:\(commonName),IP:127.0.0.1"])
        guard made.status == 0 else { throw TestFailure("openssl req failed: \(made.output)") }
        // A test key, thrown away with the test: the server's user must read it after leaving root.
        chmod(key, 0o644)
        chmod(cert, 0o644)
        let fp = try await runToExit("/usr/bin/openssl", ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"])
        guard fp.status == 0, let eq = fp.output.firstIndex(of: "=") else { throw TestFailure("openssl x509 failed: \(fp.output)") }
        return TestCertificate(certificatePath: cert, keyPath: key,
                               fingerprint: String(fp.output[fp.output.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A certificate for `commonName` (and 127.0.0.1 unless `withAddress` is false) signed by a
    /// new certificate authority of its own, whose certificate is `caPath` (for SSL_CERT_FILE,
    /// which OpenSSL reads as the system's store).
    public static func makeSigned(in dir: String, commonName: String = "localhost", withAddress: Bool = true) async throws
        -> (certificate: TestCertificate, caPath: String) {
        let ca = try await make(in: dir, name: "ca", commonName: "Test CA")
        let key = "\(dir)/leaf.key", csr = "\(dir)/leaf.csr", cert = "\(dir)/leaf.crt", ext = "\(dir)/leaf.ext"
        try "subjectAltName=DNS:\(commonName)\(withAddress ? ",IP:127.0.0.1" : "")\n".write(toFile: ext, atomically: true, encoding: .utf8)
        for args in [["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                      "-subj", "/CN=\(commonName)"],
                     ["x509", "-req", "-in", csr, "-CA", ca.certificatePath, "-CAkey", ca.keyPath, "-CAcreateserial",
                      "-out", cert, "-days", "2", "-extfile", ext]] {
            let r = try await runToExit("/usr/bin/openssl", args)
            guard r.status == 0 else { throw TestFailure("openssl \(args[0]) failed: \(r.output)") }
        }
        chmod(key, 0o644)
        chmod(cert, 0o644)
        let fp = try await runToExit("/usr/bin/openssl", ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"])
        guard let eq = fp.output.firstIndex(of: "=") else { throw TestFailure("openssl x509 failed: \(fp.output)") }
        let leaf = TestCertificate(certificatePath: cert, keyPath: key,
                                   fingerprint: String(fp.output[fp.output.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines))
        return (leaf, ca.certificatePath)
    }

    /// The fingerprint of the certificate a TLS server at 127.0.0.1:`port` presents now.
    public static func presented(port: Int) async throws -> String {
        let r = try await runToExit("/bin/sh", ["-c",
            "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256"],
            timeout: 60)
        guard let eq = r.output.firstIndex(of: "=") else { throw TestFailure("no certificate from port \(port): \(r.output)") }
        return String(r.output[r.output.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
