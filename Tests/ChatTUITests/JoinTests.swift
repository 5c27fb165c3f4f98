import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// /join: keys kept for the rejoin, refused joins, several channels at once.
@Suite(.serialized, .compute) struct JoinTests {
    /// A channel joined with a key was rejoined without it after a reconnect.
    @Test func keysAreKeptForTheRejoin() {
        var t = ScriptedClient.registered(channels: ["#open"])
        t.enter("/join #a,#b,#c keyA,,keyC")
        #expect(t.sent() == ["JOIN #a,#b,#c keyA,,keyC"])
        t.enter("/join #d")
        for c in ["#open", "#a", "#b", "#c", "#d"] { t.recv(":me!u@h JOIN \(c)") }
        _ = t.sent()
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 001 me :Welcome back")
        #expect(t.sent().first == "JOIN #a,#c,#open,#b,#d keyA,keyC")
    }

    /// A failed join (full, invite only, banned, wrong key, no such channel, too many) left
    /// the window looking joined, and it was "rejoined" after every reconnect.
    @Test func aRefusedJoinLeavesTheWindowNotJoined() {
        let refusals = [(471, "#full", "Cannot join channel (+l)"), (473, "#invite", "Cannot join channel (+i)"),
                        (474, "#banned", "Cannot join channel (+b)"), (475, "#keyed", "Cannot join channel (+k)"),
                        (403, "#nosuch", "No such channel"), (405, "#toomany", "You have joined too many channels")]
        // Channels from the command line (or rejoined after a reconnect) count as joined
        // from the start.
        var t = ScriptedClient.registered(channels: refusals.map(\.1))
        #expect(t.state.windows.dropFirst().allSatisfy { $0.joined })
        for (n, channel, text) in refusals {
            t.recv(":srv \(n) me \(channel) :\(text)")
            #expect(t.window(channel)?.joined == false, "\(n)")
            #expect(t.texts(channel).last == "Cannot join \(channel): \(text)")
        }
        t.state.switchTo(t.state.windowIndex("#full")!)
        #expect(t.screen()[22].contains("(not joined)"))
        _ = t.sent()
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        t.apply(.connected)
        _ = t.sent()
        t.recv(":srv 001 me :Welcome back")
        #expect(!t.sent().contains { $0.hasPrefix("JOIN") })
    }

    /// `/join #a,#b` opened only #b's window; now both, in order, landing on the last.
    @Test func severalChannelsOpenInOrder() {
        var t = ScriptedClient.registered()
        t.enter("/join a,#b")
        #expect(t.sent() == ["JOIN #a,#b"])
        #expect(t.state.windows.map(\.name) == ["test:6667", "#a", "#b"])
        #expect(t.state.activeWindow.name == "#b")
    }
}
