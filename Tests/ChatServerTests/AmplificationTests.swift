import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// Requests whose replies are much bigger than they are, over the real server: duplicates
/// collapse, and a session over its reply budget waits while everyone else goes on.
@Suite(.serialized) struct AmplificationTests {
    /// `NAMES #lobby,#LOBBY,#lobby` is answered once (before, once per name: a 500-byte line
    /// of one big channel repeated asked for its member list a hundred times).
    @Test func repeatedNamesTargetsAreAnsweredOnce() async throws {
        let server = try await ServerProcess()
        let alice = try await ircUser(server, nick: "alice", join: "#lobby")
        try alice.line("NAMES #lobby,#LOBBY,#lobby,#Lobby")
        try alice.line("LUSERS")
        let reply = try await alice.expect(" 251 alice ")
        let ends = reply.components(separatedBy: " 366 alice ").count - 1
        #expect(ends == 1, "\(reply)")
    }
}
