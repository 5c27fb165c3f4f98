import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// Nothing on screen outlives what it describes: the lag while a probe goes unanswered, the
/// topic and nick list once the connection is lost.
@Suite(.serialized, .compute) struct StaleStateTests {
    /// The lag stayed at the last round trip while a probe went unanswered.
    @Test func anUnansweredProbeShowsTheGrowingWait() {
        var t = ScriptedClient.registered()
        let sent = t.state.irc.pingSentAt!
        t.now += 40
        t.recv(":srv PONG srv :chat-tui-\(sent)")
        t.now += 30_000
        t.apply(.tick)
        _ = t.sent()
        #expect(t.screen()[22].contains("connected, lag 0.0 s"))
        // The model asks for a tick when the shown wait changes, once a second.
        #expect(t.state.nextDeadline == t.now + 1000)
        t.now += 12_000
        t.apply(.tick)
        #expect(t.screen()[22].contains("connected, lag 12 s?"))
        #expect(t.state.nextDeadline == t.now + 1000)
        let ping = t.state.irc.pingSentAt!
        t.now += 500
        t.recv(":srv PONG srv :chat-tui-\(ping)")
        #expect(t.screen()[22].contains("connected, lag 12.5 s"))
        #expect(t.state.nextDeadline == t.now + IRCLinkState.pingInterval)
    }

    /// After a reconnect the old topic and nick list stayed until (or beyond) the new ones.
    @Test func topicAndNickListAreClearedWhenTheConnectionIsLost() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 332 me #c :old topic")
        t.recv(":srv 353 me = #c :@me bob")
        t.recv(":srv 366 me #c :End")
        #expect(t.window("#c")!.topic == "old topic")
        t.apply(.disconnected(reason: "connection reset", retryAt: t.now + 1000))
        #expect(t.window("#c")!.topic == "" && t.window("#c")!.nicks.count == 0)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome back")
        t.recv(":srv 332 me #c :stale from somewhere")
        t.recv(":me!u@h JOIN #c")
        #expect(t.window("#c")!.topic == "")     // the join starts afresh; 331/332 follow it
        t.recv(":srv 332 me #c :new topic")
        #expect(t.window("#c")!.topic == "new topic")
    }
}
