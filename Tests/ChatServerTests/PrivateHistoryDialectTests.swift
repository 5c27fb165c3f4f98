import ChatPOSIX
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Private messages in the stored history on the real server (`--history-private`, or
/// `history-private = yes` in the config file): after a restart each of the two parties reads
/// their conversation with CHATHISTORY and the other's nick; a third reads nothing of it; a
/// bad value in the config file is a clear start-up error.
@Suite(.serialized) struct PrivateHistoryDialectTests {
    /// An IRC client with draft/chathistory (HistoryPersistenceTests' own, in a channel of its own).
    func historyUser(_ server: ServerProcess, nick: String) async throws -> UserConnection {
        try await HistoryPersistenceTests().historyUser(server, nick: nick, channel: "#" + nick).0
    }

    @Test func aConversationSurvivesARestartForItsTwoPartiesOnly() async throws {
        let parent = try AccountDialectTests.stateParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let state = parent + "/state"
        do {
            let server = try await ServerProcess(["--state-dir", state, "--history-private", "--log-level", "info"])
            let alice = try await ircUser(server, nick: "alice")
            let bob = try await ircUser(server, nick: "bob")
            try alice.line("PRIVMSG bob :hello bob")
            try await bob.expect("PRIVMSG bob :hello bob")
            try bob.line("NOTICE alice :hello alice")
            try await alice.expect("NOTICE alice :hello alice")
            await server.stop()
        }
        let config = parent + "/chat.conf"
        try "history-private = yes\n".write(toFile: config, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--state-dir", state, "--config", config, "--log-level", "info"])
        let alice = try await historyUser(server, nick: "alice")
        try alice.line("CHATHISTORY LATEST bob * 10")
        let batch = try await alice.expect("BATCH -")
        #expect(batch.contains(" chathistory bob\r\n"), "\(batch)")
        #expect(batch.contains(":alice!alice@127.0.0.1 PRIVMSG bob :hello bob") && batch.contains(":bob!bob@127.0.0.1 NOTICE alice :hello alice"),
                "\(batch)")
        let carol = try await historyUser(server, nick: "carol")
        try carol.line("CHATHISTORY LATEST bob * 10")
        let none = try await carol.expect("BATCH -")
        #expect(!none.contains("hello"), "\(none)")
        await server.stop()
    }

    @Test func aBadValueInTheConfigFileIsRefused() async throws {
        let dir = NSTemporaryDirectory() + "chat-config-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "history-private = maybe\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        let r = try await runToExit(productPath("chat-server"), ["--config", dir + "/chat.conf", "--listen", "127.0.0.1:0",
                                                           "--control-socket", "none", "--no-console"])
        #expect(r.status == 1)
        #expect(r.output == "chat-server: error: config file \(dir)/chat.conf, line 1: history-private takes yes or no, not 'maybe'\n")
    }
}
