import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// SASL EXTERNAL in the IRC conversation: without a client certificate it fails at once,
/// saying why; with one, the authorization identity goes to the hub.
extension IRCCapsConversationTests {
    @Test func externalWithoutACertificateFailsAtOnceAndWithOneAsksTheHub() {
        let c = ConversationDriver.irc()
        c.type(["CAP LS 302", "CAP REQ :sasl", "AUTHENTICATE EXTERNAL"])
        #expect(c.received().last == ":chat.test 904 * :SASL authentication failed: you presented no TLS client certificate")
        #expect(c.requests().allSatisfy { if case .authenticateExternal = $0 { false } else { true } })
        let t = ConversationDriver.irc()
        (t.conversation as! IRCConversation).hasClientCertificate = true
        t.type(["CAP LS 302", "CAP REQ :sasl", "AUTHENTICATE EXTERNAL"])
        #expect(t.received().last == "AUTHENTICATE +")
        t.type("AUTHENTICATE +")
        #expect(t.requests().contains(.authenticateExternal(account: "")))
        t.type(["AUTHENTICATE EXTERNAL", "AUTHENTICATE " + Base64.encode(Array("alice".utf8))])
        #expect(t.requests().contains(.authenticateExternal(account: "alice")))
    }
}
