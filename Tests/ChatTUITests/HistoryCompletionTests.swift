import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

@Suite(.serialized, .compute) struct HistoryTests {
    @Test func upAndDownKeepTheDraft() {
        var h = History()
        h.add("first")
        h.add("second")
        #expect(h.older(current: "draft") == "second")
        #expect(h.older(current: "") == "first")
        #expect(h.older(current: "") == nil)
        #expect(h.newer() == "second")
        #expect(h.newer() == "draft")
        #expect(h.newer() == nil)
    }

    @Test func historyThroughKeys() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.enter("one")
        t.enter("two")
        t.type("unsent")
        t.key(.up)
        #expect(t.state.editor.text == "two")
        t.key(.up)
        #expect(t.state.editor.text == "one")
        t.key(.down)
        t.key(.down)
        #expect(t.state.editor.text == "unsent")
    }
}

@Suite(.serialized, .compute) struct CompletionTests {
    @Test func nickAtLineStartGetsAColon() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":srv 353 me = #c :@me alice albert bob")
        t.recv(":srv 366 me #c :End")
        t.recv(":albert!u@h PRIVMSG #c :hi")
        t.type("al")
        t.key(.tab)
        #expect(t.state.editor.text == "albert: ")   // recent speaker first
        t.key(.tab)
        #expect(t.state.editor.text == "alice: ")
        t.key(.tab)
        #expect(t.state.editor.text == "albert: ")
        t.key(.backTab)
        #expect(t.state.editor.text == "alice: ")
        t.type("see bo")
        t.key(.tab)
        #expect(t.state.editor.text == "alice: see bob ")
    }

    /// Your own nick is the last a completion offers (irssi's order), not the first.
    @Test func ownNickComesLast() {
        var t = ScriptedClient.registered(nick: "mia", channels: ["#c"])
        t.recv(":mia!u@h JOIN #c")
        t.recv(":srv 353 mia = #c :@mia mike")
        t.recv(":srv 366 mia #c :End")
        t.recv(":mia!u@h PRIVMSG #c :echoed as a recent speaker")
        t.type("mi")
        t.key(.tab)
        #expect(t.state.editor.text == "mike: ")
        t.key(.tab)
        #expect(t.state.editor.text == "mia: ")
    }

    @Test func commandsAndChannels() {
        var t = ScriptedClient.registered(channels: ["#chat", "#cheese"])
        t.type("/jo")
        t.key(.tab)
        #expect(t.state.editor.text == "/join ")
        t.type("#che")
        t.key(.tab)
        #expect(t.state.editor.text == "/join #cheese ")
    }

    @Test func nothingToCompleteLeavesTheLine() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.type("zz")
        t.key(.tab)
        #expect(t.state.editor.text == "zz")
    }
}
