import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// TLS client certificates in process: NickServ CERT ADD, DEL, LIST, SASL EXTERNAL, IDENTIFY
/// without a password, and what a hostile session's fingerprint becomes.
extension AccountStateTests {
    static let fpA = String(repeating: "ab", count: 32)
    static let fpB = String(repeating: "0", count: 63) + "1"

    /// Session `id` came in over TLS with the certificate `fingerprint` ("" for none).
    func tlsUser(_ id: Int, _ nick: String, certificate: String) {
        state.connect(session: id, host: "10.0.0.\(id)")
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", certificate: certificate), from: id)
        state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
        sink.events.removeAll()
    }

    @Test func certAddListDelKeepTheFingerprintsOfTheAccount() {
        tlsUser(1, "alice", certificate: Self.fpA)
        ns(1, "CERT ADD")
        #expect(notices(1) == ["You are not logged in."])
        register(1)
        _ = sink.take(1)
        ns(1, "CERT LIST")
        #expect(notices(1) == ["alice has no certificate fingerprints."])
        ns(1, "CERT ADD")
        #expect(notices(1) == ["Added the fingerprint \(Self.fpA) to alice."])
        #expect(store.rows["alice"]!.certificates == [Self.fpA] && state.certificateOwners[Self.fpA] == "alice")
        // Given in OpenSSL's form: colons, upper case, SHA256: in front.
        let colons = "SHA256:" + stride(from: 0, to: 64, by: 2).map { i in
            String(Array(Self.fpB)[i..<i + 2]).uppercased() }.joined(separator: ":")
        ns(1, "cert add \(colons)")
        #expect(notices(1) == ["Added the fingerprint \(Self.fpB) to alice."])
        ns(1, "CERT ADD \(Self.fpA)")
        #expect(notices(1) == ["That fingerprint is already on your account."])
        ns(1, "CERT LIST")
        #expect(notices(1) == ["Certificate fingerprints of alice:", Self.fpA, Self.fpB])
        ns(1, "CERT DEL \(Self.fpA)")
        #expect(notices(1) == ["Deleted the fingerprint \(Self.fpA) from alice."])
        #expect(store.rows["alice"]!.certificates == [Self.fpB] && state.certificateOwners[Self.fpA] == nil)
        ns(1, "CERT DEL \(Self.fpA)")
        #expect(notices(1) == ["That fingerprint is not on your account."])
        // Bad input: a clear sentence each, nothing stored.
        for (line, answer) in [("CERT ADD 12:34", "A fingerprint is the certificate's SHA-256, 64 hex digits (colons allowed)."),
                               ("CERT ADD " + String(repeating: "g", count: 64), "A fingerprint is the certificate's SHA-256, 64 hex digits (colons allowed)."),
                               ("CERT", "Usage: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST"),
                               ("CERT FROB", "Usage: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST"),
                               ("CERT DEL", "Usage: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST"),
                               ("CERT ADD a b", "Usage: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST")] {
            ns(1, line)
            #expect(notices(1) == [answer], "\(line)")
        }
        #expect(store.rows["alice"]!.certificates == [Self.fpB])
    }

    @Test func aFingerprintBelongsToOneAccountAndAnAccountHoldsTen() {
        tlsUser(1, "alice", certificate: Self.fpA)
        register(1)
        ns(1, "CERT ADD")
        user(2, "bob")
        register(2)
        _ = sink.take(2)
        ns(2, "CERT ADD \(Self.fpA)")
        #expect(notices(2) == ["That fingerprint belongs to another account."])
        ns(2, "CERT ADD")
        #expect(notices(2) == ["Your connection presented no TLS client certificate: give its fingerprint, or connect over TLS with it."])
        for i in 0..<10 { ns(2, "CERT ADD " + String(repeating: "c", count: 62) + format2(i)) }
        #expect(state.accounts["bob"]!.certificates.count == 10)
        _ = notices(2)
        ns(2, "CERT ADD " + String(repeating: "d", count: 64))
        #expect(notices(2) == ["An account holds at most 10 fingerprints: delete one first (CERT DEL)."])
        // A write that fails changes nothing.
        store.failing = true
        ns(2, "CERT DEL " + String(repeating: "c", count: 62) + "00")
        #expect(notices(2).first?.contains("could not be deleted") == true)
        #expect(state.accounts["bob"]!.certificates.count == 10)
        store.failing = false
        // Dropping the account frees its fingerprints.
        ns(1, "DROP sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(state.certificateOwners[Self.fpA] == nil && state.certificateOwners.count == 10)
    }

    private func format2(_ i: Int) -> String { i < 10 ? "0\(i)" : "\(i)" }

    @Test func saslExternalLogsInToTheAccountHoldingTheCertificate() {
        tlsUser(1, "alice", certificate: Self.fpA)
        register(1)
        ns(1, "CERT ADD")
        // Another connection with the same certificate, before registration (as SASL is).
        state.connect(session: 2, host: "10.0.0.2")
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "X", certificate: Self.fpA), from: 2)
        state.handle(.authenticateExternal(account: ""), from: 2)
        #expect(sink.take(2) == [.loggedIn(nick: "*", source: "*!*@10.0.0.2", account: "alice"), .saslResult(.success)])
        state.handle(.authenticateExternal(account: ""), from: 2)
        #expect(sink.take(2) == [.saslResult(.alreadyAuthenticated)])
        // Naming the account (any case) is fine; naming another fails.
        state.connect(session: 3, host: "10.0.0.3")
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "X", certificate: Self.fpA), from: 3)
        state.handle(.authenticateExternal(account: "bob"), from: 3)
        #expect(sink.take(3) == [.saslResult(.failure)])
        state.handle(.authenticateExternal(account: "ALICE"), from: 3)
        #expect(sink.take(3).last == .saslResult(.success))
        // No certificate, an unknown one, a frozen account: failure.
        state.connect(session: 4, host: "10.0.0.4")
        state.handle(.authenticateExternal(account: ""), from: 4)
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "X", certificate: Self.fpB), from: 4)
        state.handle(.authenticateExternal(account: ""), from: 4)
        #expect(sink.take(4) == [.saslResult(.failure), .saslResult(.failure)])
        _ = state.setFrozen("alice", true)
        state.connect(session: 5, host: "10.0.0.5")
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "X", certificate: Self.fpA), from: 5)
        state.handle(.authenticateExternal(account: ""), from: 5)
        #expect(sink.take(5) == [.saslResult(.failure)])
        #expect(checker.checks.isEmpty, "no password was checked")
    }

    @Test func identifyWithoutAPasswordUsesTheCertificate() {
        tlsUser(1, "alice", certificate: Self.fpA)
        register(1)
        ns(1, "CERT ADD")
        ns(1, "LOGOUT")
        _ = sink.take(1)
        ns(1, "IDENTIFY")
        #expect(sink.take(1).contains(.loggedIn(nick: "alice", source: "alice!alice@10.0.0.1", account: "alice")))
        tlsUser(2, "bob", certificate: Self.fpB)
        ns(2, "IDENTIFY")
        #expect(notices(2) == ["Your TLS certificate is not added to any account (CERT ADD, once logged in)."])
        user(3, "carol")
        ns(3, "IDENTIFY")
        #expect(notices(3).first?.hasPrefix("Usage: IDENTIFY [account] <password>") == true)
        #expect(checker.checks.isEmpty)
    }

    @Test func aHostileSessionsFingerprintIsNoneUnlessItIsOne() {
        for bad in ["", "abc", String(repeating: "g", count: 64), String(repeating: "a", count: 65), Self.fpA + "\u{7}", "\u{202E}" + Self.fpA] {
            tlsUser(9, "mallory", certificate: bad)
            #expect(state.users[9]!.certificate == nil, "\(bad)")
            state.disconnect(session: 9, reason: "x")
        }
        tlsUser(9, "mallory", certificate: Self.fpA.uppercased())
        #expect(state.users[9]!.certificate == Self.fpA)
    }
}
