import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// /list: the LIST it sends and the rows shown in the server window.
@Suite(.serialized, .compute) struct ListCommandTests {
    /// The hint after the MOTD says "/list shows them", and /list was an unknown command.
    @Test func listSendsLISTAndShowsTheRowsInTheServerWindow() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.enter("/list")
        #expect(t.sent() == ["LIST"])
        #expect(t.texts().last == "The channel list goes to window 1 (Alt-1).")
        t.enter("/list #c*")
        #expect(t.sent() == ["LIST #c*"])
        t.recv(":srv 321 me Channel :Users  Name")
        t.recv(":srv 322 me #lobby 12 :\u{1b}[31mall \u{3}4welcome")
        t.recv(":srv 322 me #empty 0 :")
        t.recv(":srv 323 me :End of /LIST")
        // The colour code stays for the layout to show (issue 18); the escape sequence is gone.
        #expect(t.state.windows[0].scrollback.lines.suffix(3).map(\.text) == ["#lobby (12): all \u{3}4welcome", "#empty (0)", "End of the channel list."])
        t.enter("/help list")
        #expect(t.texts().last?.hasPrefix("/list") == true)
    }
}
