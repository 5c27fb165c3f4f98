import Testing
@testable import ChatTUI

/// Landing somewhere: the server's default channel (ISUPPORT `DEFCHAN`) is joined when the
/// user named none.
@Suite(.serialized, .compute) struct DefaultChannelClientTests {
    func connect(channels: [String] = [], defchan: String = "#lobby") -> ScriptedClient {
        var t = ScriptedClient(channels: channels)
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        t.recv(":srv 005 me CHANTYPES=# DEFCHAN=\(defchan) :are supported")
        _ = t.sent()
        return t
    }

    @Test func joinsTheServersDefaultChannelWhenTheUserNamedNone() {
        var t = connect()
        t.recv(":srv 376 me :End of MOTD")
        #expect(t.sent() == ["JOIN #lobby"])
        #expect(t.state.activeWindow.name == "#lobby")
        #expect(t.serverTexts().contains("Joining #lobby, the server's default channel (/part leaves it)."))
        t.recv(":me!u@h JOIN #lobby")
        // A later MOTD (or a reconnect) does not join it again after the user left.
        t.enter("/part")
        t.recv(":me!u@h PART #lobby")
        t.enter("/close")
        _ = t.sent()
        t.recv(":srv 376 me :End of MOTD")
        #expect(t.sent().isEmpty)
        #expect(t.serverTexts().last?.hasPrefix("You are in no channel yet") == true)
    }

    @Test func channelsTheUserNamedComeFirst() {
        var t = connect(channels: ["#mine"])
        #expect(t.sent().isEmpty)   // the welcome already sent JOIN #mine
        t.recv(":srv 422 me :No MOTD")
        #expect(t.sent().isEmpty)
        #expect(t.window("#lobby") == nil)
    }

    @Test func aNameThatIsNoChannelIsIgnored() {
        for bad in ["lobby", ":#x", "#a,#b", "", "#a\u{1b}[2J"] {
            var t = connect(defchan: bad)
            t.recv(":srv 376 me :End of MOTD")
            #expect(t.sent().isEmpty, "DEFCHAN=\(bad)")
            #expect(t.serverTexts().last?.hasPrefix("You are in no channel yet") == true)
        }
    }

    @Test func withoutTheTokenNothingIsJoined() {
        var t = ScriptedClient.registered()
        t.recv(":srv 376 me :End of MOTD")
        #expect(t.sent().isEmpty)
    }
}

extension ScriptedClient {
    /// Texts of the lines in the server window (window 1).
    func serverTexts() -> [String] { state.windows[0].scrollback.lines.map(\.text) }
}
