import ChatProtocol
import Testing
import TestSupport

/// IRCv3 account-tag on the lines other than messages, on the real server over TCP: a JOIN
/// seen by a client without extended-join, and a TAGMSG, carry `@account=` when the sender
/// is logged in.
@Suite(.serialized) struct AccountTagDialectTests {
    @Test func joinsAndTagmsgsCarryTheAccountTag() async throws {
        let server = try await ServerProcess()
        let w = try server.connect()
        try w.line("CAP LS 302")
        try w.line("CAP REQ :account-tag message-tags")
        try await w.expect("CAP * ACK :account-tag message-tags")
        try w.send("NICK watcher\r\nUSER w 0 * :W\r\nCAP END\r\nJOIN #c\r\n")
        try await w.expect(" 366 watcher #c ")
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("CAP REQ :message-tags")
        try await alice.expect("CAP alice ACK message-tags")
        try alice.line("NS REGISTER sesame1")
        try await alice.expect(" 900 alice ")
        try alice.line("JOIN #c")
        try await w.expect("@account=alice :alice!alice@127.0.0.1 JOIN #c")
        try alice.line("@+typing=active TAGMSG #c")
        let tagmsg = try await w.expect(" TAGMSG #c")
        #expect(tagmsg.contains("account=alice") && tagmsg.contains("+typing=active"), "\(tagmsg)")
        // Not logged in: no tag.
        let bob = try await ircUser(server, nick: "bob", join: "#c")
        _ = bob
        let join = try await w.expect(":bob!bob@127.0.0.1 JOIN #c")
        #expect(!join.contains("account="), "\(join)")
        await server.stop()
    }
}
