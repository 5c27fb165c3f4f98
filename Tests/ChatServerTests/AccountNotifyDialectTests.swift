import ChatProtocol
import Testing
import TestSupport

/// IRCv3 account-notify, account-tag and extended-join's account on the real server over
/// TCP: a client with them sees who logs in and out, and whose account a message is from;
/// a client without them sees nothing new.
@Suite(.serialized) struct AccountNotifyDialectTests {
    @Test func peersSeeLoginsLogoutsAndTheAccountOfEachMessage() async throws {
        let server = try await ServerProcess()
        let w = try server.connect()
        try w.line("CAP LS 302")
        try w.line("CAP REQ :account-notify account-tag extended-join")
        try await w.expect("CAP * ACK :account-notify account-tag extended-join")
        try w.send("NICK watcher\r\nUSER w 0 * :W\r\nCAP END\r\nJOIN #c\r\n")
        try await w.expect(" 366 watcher #c ")
        let plain = try await ircUser(server, nick: "plain", join: "#c")
        let alice = try await ircUser(server, nick: "alice", join: "#c")
        try await w.expect(":alice!alice@127.0.0.1 JOIN #c * :Test User")
        try alice.line("NS REGISTER sesame1")
        try await alice.expect(" 900 alice ")
        try await w.expect(":alice!alice@127.0.0.1 ACCOUNT :alice")
        try alice.line("PRIVMSG #c :hi")
        try await w.expect("@account=alice :alice!alice@127.0.0.1 PRIVMSG #c :hi")
        let before = try await plain.expect(":alice!alice@127.0.0.1 PRIVMSG #c :hi")
        try alice.line("NS LOGOUT")
        try await w.expect(":alice!alice@127.0.0.1 ACCOUNT :*")
        try alice.line("PART #c")
        try await w.expect("PART #c")
        try alice.line("NS IDENTIFY sesame1")
        try await alice.expect(" 900 alice ")
        try alice.line("JOIN #c")
        try await w.expect(":alice!alice@127.0.0.1 JOIN #c alice :Test User")
        try alice.line("PRIVMSG #c :back")
        try await w.expect("@account=alice :alice!alice@127.0.0.1 PRIVMSG #c :back")
        // The plain client saw none of it.
        try plain.line("PING :sync")
        let after = try await plain.expect("PONG")
        #expect(!(before + after).contains("ACCOUNT") && !(before + after).contains("account="), "\(before + after)")
        await server.stop()
    }
}
