import ChatProtocol
import Testing
import TestSupport
@testable import ChatTUI

/// Lines from a hostile or broken server that the client-irc-line fuzz target (which drives
/// this model) found mishandled; each test is one such input, reduced.
@Suite(.serialized, .compute) struct HostileServerTests {
    /// An ISUPPORT token with no name ("=", "=x") crashed the client (index out of range).
    @Test func isupportTokenWithoutAName() {
        var t = ScriptedClient.registered()
        t.recv(":srv 005 me = =x CHANTYPES=#& :are supported")
        t.recv(":srv 005 me alice = #lobby NICKLEN=30 :are supported")
        #expect(t.state.irc.chanTypes == ["#", "&"])
    }
}

extension HostileServerTests {
    /// Channel and nick names keep the server's spelling in the model (to address the server
    /// with) but reached the screen model raw: a control character in a channel name or a
    /// status symbol was in the title, status bar, prompt and nick list.
    @Test func namesAreSanitisedOnTheScreen() {
        var t = ScriptedClient.registered(cols: 100, rows: 12)
        t.recv(":srv 005 me PREFIX=(ov)\u{1b}+ :are supported")
        t.recv(":evil!e@h PRIVMSG #lobb\u{1f}y :hi")
        t.recv(":me!u@h JOIN #x\u{1b}]0;t\u{7}")
        t.recv(":srv 353 me = #x\u{1b}]0;t\u{7} :\u{1b}op b\u{2}ob\u{202e}")
        t.recv(":srv 366 me #x\u{1b}]0;t\u{7} :End")
        #expect(t.window("#lobb\u{1f}y") != nil, "the window keeps the channel's name")
        for i in t.state.windows.indices {
            t.state.switchTo(i)
            for row in t.screen() {
                #expect(!row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) },
                        "window \(i): \(row.debugDescription)")
            }
        }
    }
}

extension HostileServerTests {
    /// A nick or channel in a trailing parameter (`NICK :a b`, `JOIN :#a b`) was adopted and
    /// sent back on the next connection as `NICK a b` / `JOIN #a b`, which the server reads
    /// as other parameters. Such names are now ignored.
    @Test func namesThatAreNotOneWordAreNotAdopted() {
        var t = ScriptedClient.registered(channels: ["#c"])
        t.recv(":me!u@h JOIN #c")
        t.recv(":me!u@h JOIN :#a b,#d")
        t.recv(":me!u@h NICK :m e")
        #expect(t.state.nick == "me")
        #expect(t.window("#a b") == nil && t.window("#d")?.joined == true)
        t.recv(":srv 001 :you there")
        #expect(t.state.nick == "me")
        _ = t.sent()
        t.apply(.disconnected(reason: "test", retryAt: nil))
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome")
        let sent = t.sent()
        #expect(sent.contains("NICK me"), "\(sent)")
        #expect(sent.contains("JOIN #c,#d"), "\(sent)")
    }
}

extension HostileServerTests {
    /// A source with an empty nick (`:!u@h`) joined the nick list as "" and a private message
    /// from it opened a query window named "" (what the user typed there would have gone out
    /// as `PRIVMSG  :…`); a message to `#a,b` opened a window addressing two channels.
    @Test func sourcesWithoutANickAndTargetsThatAreNotOneWord() {
        var t = ChannelTests().joined()
        let windows = t.state.windows.count
        t.recv(":!d@h JOIN #c")
        t.recv(":!d@h PRIVMSG me :hi")
        t.recv(":bob!b@h PRIVMSG #a,b :hi")
        #expect(t.window("#c")!.nicks.displayOrder().allSatisfy { !$0.nick.isEmpty })
        #expect(t.state.windows.count == windows, "\(t.state.windows.map(\.name))")
        #expect(t.state.windows[0].scrollback.lines.contains { $0.text == "hi" })
    }
}

extension HostileServerTests {
    /// A nick change to a nick that already has a conversation window (its earlier owner's)
    /// gave two windows the same name; the renamed one now keeps its old name.
    @Test func nickChangeOntoAnOpenConversation() {
        var t = ChannelTests().joined()
        t.recv(":danny!d@h PRIVMSG me :I am the first danny")
        t.recv(":danny!d@h QUIT :bye")
        t.recv(":dan!d@h PRIVMSG me :hi")
        t.recv(":dan!d@h NICK :danny")
        let names = t.state.windows.dropFirst().map(\.name)
        #expect(names.filter { $0 == "danny" }.count == 1, "\(names)")
        #expect(names.contains("dan"))
        // A change of case only still renames.
        t.recv(":danny!d@h NICK :Danny")
        #expect(t.state.windows.dropFirst().map(\.name).contains("Danny"))
    }
}

extension HostileServerTests {
    /// A PONG token the server made up was taken as our clock reading: `now - sent` with
    /// `chat-tui--9223372036854775808` overflowed and trapped. Only the outstanding probe's
    /// own token counts.
    @Test func aForgedPongTokenIsIgnored() {
        var t = ScriptedClient.registered()
        let sent = t.state.irc.pingSentAt!
        t.recv(":srv PONG srv :chat-tui--9223372036854775808")
        t.recv(":srv PONG srv :chat-tui-9223372036854775807")
        t.recv(":srv PONG srv :chat-tui-\(sent - 5)")
        #expect(t.state.lagMillis == nil)
        #expect(t.state.irc.pingSentAt == sent)
        t.now += 70
        t.recv(":srv PONG srv :chat-tui-\(sent)")
        #expect(t.state.lagMillis == 70)
        // Answered once: a repeat is no answer to anything.
        t.now += 5_000
        t.recv(":srv PONG srv :chat-tui-\(sent)")
        #expect(t.state.lagMillis == 70)
    }

    /// A server-time fraction of many digits overflowed (`num` and `pow10`); years, months,
    /// signs and lengths the format does not allow are refused, and the line keeps our time.
    @Test func absurdServerTimesParseOrAreRefusedWithoutTrapping() {
        #expect(TimeFormat.parseServerTime("2024-01-01T00:00:00.99999999999999999999Z") == 1_704_067_200_999)
        #expect(TimeFormat.parseServerTime("2024-01-01T00:00:00." + String(repeating: "9", count: 5000) + "Z") == 1_704_067_200_999)
        #expect(TimeFormat.parseServerTime("2024-01-01T00:00:00.12Z") == 1_704_067_200_120)
        #expect(TimeFormat.parseServerTime("2024-01-01T00:00:00.0001Z") == 1_704_067_200_000)
        #expect(TimeFormat.parseServerTime("9999-12-31T23:59:60.999Z") == 253_402_300_800_999)
        #expect(TimeFormat.parseServerTime("0000-01-01T00:00:00Z") == -62_167_219_200_000)
        for bad in ["2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.9x9Z", "-024-01-01T00:00:00Z",
                    "99999999999999999999-01-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-01-32T00:00:00Z",
                    "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:61Z", "2024-1-01T00:00:00Z",
                    "2024-01-01T00:00:00.-5Z", "2024-01-01T00:00:00+01:00"] {
            #expect(TimeFormat.parseServerTime(bad) == nil, "\(bad)")
        }
        var t = ScriptedClient.registered(channels: ["#x"])
        t.recv(":srv CAP me ACK :server-time")
        t.recv(":me!u@h JOIN #x")
        t.recv("@time=2024-01-01T00:00:00.99999999999999999999Z :bob!b@h PRIVMSG #x :hi")
        t.recv("@time=99999999999999999999-01-01T00:00:00Z :bob!b@h PRIVMSG #x :later")
        let lines = t.window("#x")!.scrollback.lines.suffix(2)
        #expect(lines.map(\.time) == [1_704_067_200_999, t.now])
        #expect(t.screen().contains { $0.contains("later") })
    }
}

extension HostileServerTests {
    /// Times and durations a server sends (329, 333, 317) are read with bounds: absurd ones
    /// are shown as sent or left out, never computed with.
    @Test func timesAndDurationsFromTheServerAreBounded() {
        var t = ScriptedClient.registered(channels: ["#x"])
        t.recv(":me!u@h JOIN #x")
        t.recv(":srv 333 me #x bob 1700000000")
        t.recv(":srv 329 me #x 1700000000")
        t.recv(":srv 333 me #x bob 99999999999999999999999")
        t.recv(":srv 333 me #x bob -9223372036854775808")
        t.recv(":srv 329 me #x 9223372036854775807")
        #expect(t.texts("#x").suffix(4) == ["Topic set by bob on 2023-11-14 22:13:20", "Channel created 2023-11-14 22:13:20",
                                            "Topic set by bob", "Topic set by bob"])
        t.recv(":srv 317 me bob 3725 1700000000 :seconds idle, signon time")
        t.recv(":srv 317 me bob 9223372036854775807 99999999999999999999 :seconds idle, signon time")
        t.recv(":srv 317 me bob -1 :seconds idle")
        #expect(t.texts().suffix(3) == ["bob has been idle 1 h 2 min, signed on 2023-11-14 22:13:20",
                                        "bob has been idle 9223372036854775807 s", "bob has been idle -1 s"])
        #expect(Durations.spaced(999_999_999_999) == "11574074 d 1 h")
    }

    /// A server refusing every nick at registration made the client count without end and
    /// build a string of that many underscores for each refusal (quadratic work) before it
    /// fell back to a generated nick.
    @Test func endlessNickRefusalsDoNotGrowTheNick() {
        var t = ScriptedClient(nick: "me")
        t.apply(.connected)
        _ = t.sent()
        for _ in 0..<2_000 { t.recv(":srv 433 * x :Nickname is already in use") }
        let nicks = t.sent()
        #expect(nicks.count == 2_000)
        #expect(nicks.allSatisfy { $0.utf8.count <= 20 })
        #expect(nicks.prefix(5) == ["NICK me_", "NICK me__", "NICK me___", "NICK me____", "NICK me_____"])
        #expect(nicks.last?.hasPrefix("NICK chattui") == true)
        #expect(t.state.irc.nickAttempts <= 6)
    }
}
