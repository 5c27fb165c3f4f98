import ChatProtocol
import Testing
@testable import ChatTUI

/// Lines from a hostile or broken server that the client-irc-line fuzz target (which drives
/// this model) found mishandled; each test is one such input, reduced.
@Suite struct HostileServerTests {
    /// An ISUPPORT token with no name ("=", "=x") crashed the client (index out of range).
    @Test func isupportTokenWithoutAName() {
        var t = TestClient.registered()
        t.recv(":srv 005 me = =x CHANTYPES=#& :are supported")
        t.recv(":srv 005 me alice = #lobby NICKLEN=30 :are supported")
        #expect(t.state.irc.chanTypes == ["#", "&"])
    }
}
