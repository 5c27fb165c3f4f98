import Testing
import TestSupport
@testable import ChatProtocol

@Suite(.serialized, .compute) struct HumanStyleTests {
    @Test func mentionsAreWholeWordsIgnoringCase() {
        #expect(HumanStyle.mentions("alice: hi", nick: "alice"))
        #expect(HumanStyle.mentions("hi ALICE!", nick: "alice"))
        #expect(HumanStyle.mentions("ask alice", nick: "Alice"))
        #expect(!HumanStyle.mentions("malice aforethought", nick: "alice"))
        #expect(!HumanStyle.mentions("alice_b was here", nick: "alice"))
        #expect(!HumanStyle.mentions("ali", nick: "alice"))
        #expect(!HumanStyle.mentions("anything", nick: ""))
    }

    @Test func colourDimsTheTimeAndColoursTheNick() {
        let s = HumanStyle.message("[12:34] <bob> hi there", from: "bob", mentions: false, colour: true)
        #expect(s == "\u{1B}[2m[12:34]\u{1B}[0m <" + NickColor.ansi(NickColor.index(for: "bob")) + "bob\u{1B}[0m> hi there")
        let m = HumanStyle.message("[12:34] * bob waves at alice", from: "bob", mentions: true, colour: true)
        #expect(m.hasSuffix("bob\u{1B}[0m\u{1B}[1m waves at alice\u{1B}[0m"))
    }

    @Test func withoutColourAMentionIsMarked() {
        #expect(HumanStyle.message("[12:34] <bob> alice: hi", from: "bob", mentions: true, colour: false)
                == ">> [12:34] <bob> alice: hi")
        #expect(HumanStyle.message("[12:34] <bob> hi", from: "bob", mentions: false, colour: false) == "[12:34] <bob> hi")
    }

    @Test func nothingFromTheNetworkBringsItsOwnEscapes() {
        for colour in [true, false] {
            let s = HumanStyle.message("[12:34] <b\u{1B}[31mob> \u{1B}]0;title\u{7}x \u{9B}2J y", from: "b\u{1B}[31mob",
                                       mentions: false, colour: colour)
            #expect(!s.contains("\u{1B}[31m") && !s.contains("\u{1B}]") && !s.contains("\u{9B}") && !s.contains("\u{7}"), "\(s)")
        }
    }

    @Test func nickColoursAreChatTUIsPalette() {
        #expect(NickColor.ansi(0) == "\u{1B}[31m" && NickColor.ansi(5) == "\u{1B}[36m")
        #expect(NickColor.ansi(6) == "\u{1B}[1;91m" && NickColor.ansi(11) == "\u{1B}[1;96m")
    }

    @Test func colourCommandParses() {
        #expect(HumanInput.parse("/colour off") == .colour(false))
        #expect(HumanInput.parse("/COLOR on") == .colour(true))
        if case .usage(let s) = HumanInput.parse("/colour maybe") { #expect(s.contains("/colour on|off")) } else { Issue.record("not a usage") }
        #expect(HumanInput.colour(true).request(currentChannel: "#lobby") == nil)
        #expect(HumanText.help.contains { $0.contains("/colour on|off") })
    }

    @Test func ownPrivateMessagesReadAsSent() {
        #expect(HumanText.sentPrivately(kind: .privmsg, to: "bob", text: "psst") == "-> *bob* psst")
        let context = HumanRenderContext(nick: "alice", currentChannel: "#lobby", serverName: "s", utcOffsetSeconds: 0)
        let lines = renderHuman(.message(source: "alice!a@h", kind: .privmsg, target: "bob", text: "psst", time: 0), context: context)
        #expect(lines == ["-> *bob* psst"])
        let received = renderHuman(.message(source: "bob!b@h", kind: .privmsg, target: "alice", text: "hi", time: 0), context: context)
        #expect(received == ["[00:00] *bob* hi"])
    }

    @Test func colourTerminalTypes() {
        var mode = TelnetCharacterMode()
        var replies: [UInt8] = []
        _ = mode.negotiate(TelnetCode.will, option: TelnetCode.terminalType, replies: &replies)
        for (name, colour) in [("XTERM-256COLOR", true), ("screen", true), ("tmux-256color", true), ("VT100", false), ("dumb", false)] {
            var m = mode
            m.subnegotiation([TelnetCode.terminalType, 0] + Array(name.utf8))
            #expect(m.hasColour == colour, "\(name)")
        }
    }
}
