import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// SASL and the server password in the model: CAP negotiation asks for sasl only when a login
/// is configured and the server offers our mechanism, AUTHENTICATE carries it in 400-byte
/// pieces, CAP END waits for the verdict, every failure is a line and never a hang, and the
/// password is never on screen.
@Suite(.serialized, .compute) struct SASLLoginTests {
    static let password = "hunter2-secret"

    /// A client with `sasl` (and a server password) configured, connected: its first lines taken.
    func client(_ sasl: SASLLogin?, serverPassword: String? = nil) -> (ScriptedClient, [String]) {
        var t = ScriptedClient(nick: "me")
        var c = t.state.config
        c.sasl = sasl
        c.serverPassword = serverPassword
        t.state = ClientState(config: c)
        t.state.apply(.resize(cols: 100, rows: 30), now: t.now)
        t.apply(.connected)
        let first = t.sent()
        return (t, first)
    }

    /// Every line of every window, and the screen: where a password must never be.
    func everything(_ t: inout ScriptedClient) -> String {
        (t.state.windows.flatMap { $0.scrollback.lines.map(\.text) } + t.screen()).joined(separator: "\n")
    }

    static let plain = SASLLogin(mechanism: .plain, username: "alice", password: password)

    @Test func plainLogsInBeforeRegistrationEnds() {
        var (t, first) = client(Self.plain)
        #expect(first == ["CAP LS 302", "NICK me", "USER me 0 * :chat-tui user"])
        t.recv(":srv CAP * LS :multi-prefix sasl=PLAIN,EXTERNAL server-time")
        #expect(t.sent() == ["CAP REQ :multi-prefix server-time sasl"])
        t.recv(":srv CAP * ACK :multi-prefix server-time sasl")
        #expect(t.sent() == ["AUTHENTICATE PLAIN"], "no CAP END until the login is done")
        t.recv("AUTHENTICATE +")
        let payload = Base64.encode(Array("alice\0alice\0\(Self.password)".utf8))
        #expect(t.sent() == ["AUTHENTICATE " + payload])
        t.recv(":srv 900 me me!me@host alice :You are now logged in as alice")
        #expect(t.sent().isEmpty)
        t.recv(":srv 903 me :SASL authentication successful")
        #expect(t.sent() == ["CAP END"])
        t.recv(":srv 001 me :Welcome")
        #expect(t.texts().contains("You are now logged in as alice") && t.texts().contains("SASL authentication successful"))
        #expect(!everything(&t).contains(Self.password) && !everything(&t).contains(payload))
    }

    @Test func aFailureIsSaidAndRegistrationGoesOn() {
        var (t, _) = client(Self.plain)
        t.recv(":srv CAP * LS :sasl")
        #expect(t.sent() == ["CAP REQ :sasl"])
        t.recv(":srv CAP * ACK :sasl")
        t.recv("AUTHENTICATE +")
        _ = t.sent()
        t.recv(":srv 904 * :SASL authentication failed")
        #expect(t.sent() == ["CAP END"])
        #expect(t.texts().contains { $0.contains("SASL login failed: SASL authentication failed (check sasl_username and sasl_password)") })
        // A late or repeated verdict ends nothing twice.
        t.recv(":srv 906 * :SASL authentication aborted")
        #expect(t.sent().isEmpty)
        t.recv(":srv 001 me :Welcome")
        #expect(t.state.connection == .connected)
        #expect(!everything(&t).contains(Self.password))
    }

    @Test func aServerWithoutSASLOrOurMechanismOrCAPIsNoHang() {
        // No sasl in the list (over two LS lines): said once, CAP END as usual.
        var (t, _) = client(Self.plain)
        t.recv(":srv CAP * LS * :multi-prefix")
        #expect(t.sent() == ["CAP REQ :multi-prefix"])
        t.recv(":srv CAP * LS :server-time")
        #expect(t.sent() == ["CAP REQ :server-time"])
        #expect(t.texts().filter { $0.contains("offers no SASL") }.count == 1)
        t.recv(":srv CAP * ACK :multi-prefix")
        #expect(t.sent() == ["CAP END"])
        // sasl without our mechanism.
        var (e, _) = client(SASLLogin(mechanism: .external))
        e.recv(":srv CAP * LS :sasl=PLAIN server-time")
        #expect(e.sent() == ["CAP REQ :server-time"])
        #expect(e.texts().contains("The server offers SASL PLAIN, not EXTERNAL: not logged in."))
        // The capability refused.
        var (n, _) = client(Self.plain)
        n.recv(":srv CAP * LS :sasl")
        _ = n.sent()
        n.recv(":srv CAP * NAK :sasl")
        #expect(n.sent() == ["CAP END"])
        #expect(n.texts().contains("The server refused the sasl capability: not logged in."))
        // A server that answers no CAP LS at all welcomes us anyway: said then.
        var (o, _) = client(Self.plain)
        o.recv(":srv 001 me :Welcome")
        #expect(o.texts().contains("The server offers no SASL (it did not answer CAP LS): not logged in."))
        // No login configured: sasl is never asked for.
        var (none, _) = client(nil)
        none.recv(":srv CAP * LS :sasl server-time")
        #expect(none.sent() == ["CAP REQ :server-time"])
    }

    @Test func externalSendsAnEmptyAnswerAndAMechanismListIsShown() {
        var (t, _) = client(SASLLogin(mechanism: .external))
        t.recv(":srv CAP * LS :sasl=EXTERNAL")
        t.recv(":srv CAP * ACK :sasl")
        #expect(t.sent() == ["CAP REQ :sasl", "AUTHENTICATE EXTERNAL"])
        t.recv("AUTHENTICATE +")
        #expect(t.sent() == ["AUTHENTICATE +"])
        t.recv(":srv 908 * PLAIN :are available SASL mechanisms")
        t.recv(":srv 904 * :SASL authentication failed")
        #expect(t.sent() == ["CAP END"])
        #expect(t.texts().contains("The server's SASL mechanisms: PLAIN"))
        #expect(t.texts().contains { $0.contains("NickServ CERT ADD") })
    }

    @Test func payloadsAreCutAt400BytesWithAPlusAfterAnExactPiece() {
        let long = SASLLogin(mechanism: .plain, username: "alice", password: String(repeating: "p", count: 300))
        let lines = long.payloadLines
        #expect(lines.count == 2 && lines[0].utf8.count == 400 && lines[1].utf8.count < 400)
        #expect(Base64.decode(lines.joined()) == Array("alice\0alice\0".utf8) + Array(repeating: UInt8(ascii: "p"), count: 300))
        // 300 bytes of message: exactly 400 of base64, then `+`.
        let exact = SASLLogin(mechanism: .plain, username: "ab", password: String(repeating: "x", count: 294))
        #expect(exact.payloadLines.count == 2 && exact.payloadLines[0].utf8.count == 400 && exact.payloadLines[1] == "+")
        #expect(SASLLogin(mechanism: .external).payloadLines == ["+"])
    }

    @Test func theServerPasswordGoesFirstAsPass() {
        let (_, first) = client(nil, serverPassword: "letmein")
        #expect(first == ["CAP LS 302", "PASS :letmein", "NICK me", "USER me 0 * :chat-tui user"])
    }

    @Test func setNeverShowsAPasswordAndChecksTheMechanism() {
        var t = ScriptedClient.registered()
        t.enter("/set sasl_password \(Self.password)")
        t.enter("/set password \(Self.password)")
        t.enter("/set sasl_password")
        t.enter("/set")
        #expect(t.texts().contains("sasl_password = \"********\" (used from the next start)"))
        #expect(t.texts().contains("sasl_password = \"********\""))
        #expect(!everything(&t).contains(Self.password))
        t.enter("/set sasl_mechanism scram")
        #expect(t.texts().last == "sasl_mechanism: must be plain or external")
        t.enter("/set sasl_mechanism external")
        #expect(t.texts().last == "sasl_mechanism = \"external\" (used from the next start)")
    }
}
