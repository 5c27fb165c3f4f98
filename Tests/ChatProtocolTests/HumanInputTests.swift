import Testing
import TestSupport
@testable import ChatProtocol

@Suite(.serialized, .compute) struct HumanInputParseTests {
    @Test func plainTextIsSay() {
        #expect(HumanInput.parse("hello") == .say("hello"))
        #expect(HumanInput.parse("hello   there") == .say("hello   there"))
        #expect(HumanInput.parse("a/b") == .say("a/b"))
        #expect(HumanInput.parse("héllo 世界 😀") == .say("héllo 世界 😀"))
    }

    @Test func blankLinesAreEmpty() {
        for line in ["", " ", "   ", "\t", " \t \t ", "\r", " \r"] {
            #expect(HumanInput.parse(line) == .empty, "\(Array(line.utf8))")
        }
    }

    @Test func surroundingWhitespaceIsTrimmed() {
        #expect(HumanInput.parse("  hello  ") == .say("hello"))
        #expect(HumanInput.parse("\thello\t") == .say("hello"))
        #expect(HumanInput.parse("hello\r") == .say("hello"))
        #expect(HumanInput.parse("  /nick   bob  ") == .nick("bob"))
        #expect(HumanInput.parse("\t/join\t#rust\t") == .join("#rust"))
        #expect(HumanInput.parse("/msg  bob \t hi  there ") == .msg(target: "bob", text: "hi  there"))
    }

    @Test func doubleSlashSendsALiteralSlashLine() {
        #expect(HumanInput.parse("//text") == .say("/text"))
        #expect(HumanInput.parse("//join #rust") == .say("/join #rust"))
        #expect(HumanInput.parse("//") == .say("/"))
        #expect(HumanInput.parse("///") == .say("//"))
        #expect(HumanInput.parse("  //shrug  ") == .say("/shrug"))
    }

    @Test func commandsAreCaseInsensitive() {
        #expect(HumanInput.parse("/NICK bob") == .nick("bob"))
        #expect(HumanInput.parse("/Join Rust") == .join("#Rust"))
        #expect(HumanInput.parse("/ME waves") == .me("waves"))
        #expect(HumanInput.parse("/QuIt") == .quit(nil))
        #expect(HumanInput.parse("/LIST") == .list([]))
        #expect(HumanInput.parse("/Help JOIN") == .help("join"))
    }

    @Test func me() {
        #expect(HumanInput.parse("/me waves") == .me("waves"))
        #expect(HumanInput.parse("/me  waves  at  you ") == .me("waves  at  you"))
        #expect(HumanInput.parse("/me") == .usage("!! Usage: /me ACTION"))
        #expect(HumanInput.parse("/me   ") == .usage("!! Usage: /me ACTION"))
    }

    @Test func msg() {
        #expect(HumanInput.parse("/msg bob psst") == .msg(target: "bob", text: "psst"))
        #expect(HumanInput.parse("/msg #rust hi all") == .msg(target: "#rust", text: "hi all"))
        #expect(HumanInput.parse("/msg bob") == .usage("!! Usage: /msg NICK TEXT"))
        #expect(HumanInput.parse("/msg bob   ") == .usage("!! Usage: /msg NICK TEXT"))
        #expect(HumanInput.parse("/msg") == .usage("!! Usage: /msg NICK TEXT"))
        #expect(HumanInput.parse("/msg a,b hi")
            == .usage("!! Send to one nickname or channel at a time. Usage: /msg NICK TEXT"))
    }

    @Test func nick() {
        #expect(HumanInput.parse("/nick robert") == .nick("robert"))
        #expect(HumanInput.parse("/nick") == .usage("!! Usage: /nick NAME"))
        #expect(HumanInput.parse("/nick two words") == .usage("!! Usage: /nick NAME"))
    }

    @Test func join() {
        #expect(HumanInput.parse("/join #rust") == .join("#rust"))
        #expect(HumanInput.parse("/join rust") == .join("#rust"))
        #expect(HumanInput.parse("/join") == .usage("!! Usage: /join #channel"))
        #expect(HumanInput.parse("/join #a #b") == .usage("!! Usage: /join #channel"))
        #expect(HumanInput.parse("/join #a,#b") == .usage("!! Join one channel at a time. Usage: /join #channel"))
    }

    @Test func part() {
        #expect(HumanInput.parse("/part") == .part(channel: nil, reason: nil))
        #expect(HumanInput.parse("/part #rust") == .part(channel: "#rust", reason: nil))
        #expect(HumanInput.parse("/part #rust see  you") == .part(channel: "#rust", reason: "see  you"))
        // Without a #, everything is the reason.
        #expect(HumanInput.parse("/part see you") == .part(channel: nil, reason: "see you"))
        #expect(HumanInput.parse("/part rust") == .part(channel: nil, reason: "rust"))
    }

    @Test func topic() {
        #expect(HumanInput.parse("/topic") == .topic(nil))
        #expect(HumanInput.parse("/topic   ") == .topic(nil))
        #expect(HumanInput.parse("/topic Rust  talk ") == .topic("Rust  talk"))
        // A channel first names the channel, as irssi and IRC users type it.
        #expect(HumanInput.parse("/topic #rust") == .topic(nil, channel: "#rust"))
        #expect(HumanInput.parse("/topic #rust  Rust  talk") == .topic("Rust  talk", channel: "#rust"))
    }

    @Test func whoNamesWhois() {
        #expect(HumanInput.parse("/who") == .who(nil))
        #expect(HumanInput.parse("/who #rust") == .who("#rust"))
        #expect(HumanInput.parse("/who bob") == .who("bob"))
        #expect(HumanInput.parse("/who #a #b") == .usage("!! Usage: /who [#channel]"))
        #expect(HumanInput.parse("/names") == .names(nil))
        #expect(HumanInput.parse("/names #rust") == .names("#rust"))
        #expect(HumanInput.parse("/names rust") == .names("#rust"))
        #expect(HumanInput.parse("/names a b") == .usage("!! Usage: /names [#channel]"))
        #expect(HumanInput.parse("/whois bob") == .whois("bob"))
        #expect(HumanInput.parse("/whois") == .usage("!! Usage: /whois NICK"))
        #expect(HumanInput.parse("/whois bob carol") == .usage("!! Usage: /whois NICK"))
    }

    @Test func commandsWithoutArguments() {
        #expect(HumanInput.parse("/list") == .list([]))
        #expect(HumanInput.parse("/list #rust") == .list(["#rust"]))
        #expect(HumanInput.parse("/list #a,#b >3") == .list(["#a", "#b", ">3"]))
        #expect(HumanInput.parse("/motd") == .motd)
        #expect(HumanInput.parse("/motd please") == .motd)
    }

    @Test func awayQuitHelp() {
        #expect(HumanInput.parse("/away") == .away(nil))
        #expect(HumanInput.parse("/away out for lunch") == .away("out for lunch"))
        #expect(HumanInput.parse("/quit") == .quit(nil))
        #expect(HumanInput.parse("/quit bye  all") == .quit("bye  all"))
        #expect(HumanInput.parse("/help") == .help(nil))
        #expect(HumanInput.parse("/help join") == .help("join"))
        #expect(HumanInput.parse("/help /JOIN") == .help("join"))
        #expect(HumanInput.parse("/help join now") == .help("join"))
        #expect(HumanInput.parse("/help /") == .help(nil))
    }

    @Test func unknownCommands() {
        #expect(HumanInput.parse("/foo") == .unknownCommand("!! Unknown command /foo. Type /help for the list of commands."))
        #expect(HumanInput.parse("/FOO bar") == .unknownCommand("!! Unknown command /FOO. Type /help for the list of commands."))
        #expect(HumanInput.parse("/") == .unknownCommand(
            "!! Type a command right after the /, for example /help. To send a line that starts with /, begin it with //."))
        #expect(HumanInput.parse("/ hello") == HumanInput.parse("/"))
        // IRC commands that the human dialect does not offer.
        #expect(HumanInput.parse("/privmsg bob hi") == .unknownCommand(
            "!! Unknown command /privmsg. Type /help for the list of commands."))
    }

    @Test func veryLongInput() {
        let long = String(repeating: "word ", count: 20_000) + "end"
        #expect(HumanInput.parse(long) == .say(long))
        #expect(HumanInput.parse("/msg bob " + long) == .msg(target: "bob", text: long))
        let longName = String(repeating: "x", count: 10_000)
        guard case .unknownCommand(let message) = HumanInput.parse("/" + longName) else {
            Issue.record("not an unknown command"); return
        }
        #expect(message == "!! Unknown command /" + String(repeating: "x", count: 24) + "…. Type /help for the list of commands.")
    }

    @Test func errorMessagesNeverContainLineBreaks() {
        guard case .unknownCommand(let message) = HumanInput.parse("/a\rb") else {
            Issue.record("not an unknown command"); return
        }
        #expect(!message.unicodeScalars.contains { $0 == "\r" || $0 == "\n" })
    }

    /// Found by fuzzing (fuzz/targets/human-command.swift): '#' was recognised by the first
    /// Character, and '#' followed by a combining mark (a valid channel name for the hub) is
    /// another Character, so `/join #\u{301}x` joined "##\u{301}x" and `/part #\u{301}x bye`
    /// left the current channel with the channel name as the reason.
    @Test func channelStartingWithACombiningMark() {
        let name = "#\u{301}x"
        #expect(HumanInput.parse("/join " + name) == .join(name))
        #expect(HumanInput.parse("/join " + name).request(currentChannel: nil) == .join(channels: [name]))
        #expect(HumanInput.parse("/part " + name + " bye") == .part(channel: name, reason: "bye"))
        #expect(HumanInput.parse("/names " + name) == .names(name))
        #expect(HumanInput.channelName(name) == name)
        #expect(HumanInput.channelName("\u{301}x") == "#\u{301}x")
    }
}

@Suite(.serialized, .compute) struct HumanInputRequestTests {
    let here: String? = "#lobby"

    @Test func localOnlyInputsMakeNoRequest() {
        for input: HumanInput in [.empty, .help(nil), .help("join"), .usage("x"), .unknownCommand("y")] {
            #expect(input.request(currentChannel: here) == nil)
        }
    }

    @Test func sayAndMeGoToTheCurrentChannel() {
        #expect(HumanInput.say("hi").request(currentChannel: here) == .message(kind: .privmsg, target: "#lobby", text: "hi"))
        #expect(HumanInput.me("waves").request(currentChannel: here) == .message(kind: .action, target: "#lobby", text: "waves"))
        #expect(HumanInput.say("/text").request(currentChannel: here) == .message(kind: .privmsg, target: "#lobby", text: "/text"))
    }

    @Test func channelBoundInputsNeedACurrentChannel() {
        #expect(HumanInput.say("hi").request(currentChannel: nil) == nil)
        #expect(HumanInput.me("waves").request(currentChannel: nil) == nil)
        #expect(HumanInput.topic(nil).request(currentChannel: nil) == nil)
        #expect(HumanInput.topic("x").request(currentChannel: nil) == nil)
        #expect(HumanInput.topic("x", channel: "#rust").request(currentChannel: nil) == .topic(channel: "#rust", text: "x"))
        #expect(HumanInput.topic(nil, channel: "#rust").request(currentChannel: "#lobby") == .topic(channel: "#rust", text: nil))
        #expect(HumanInput.who(nil).request(currentChannel: nil) == nil)
        #expect(HumanInput.part(channel: nil, reason: "bye").request(currentChannel: nil) == nil)
    }

    @Test func msgNickJoinPart() {
        #expect(HumanInput.msg(target: "bob", text: "psst").request(currentChannel: here)
            == .message(kind: .privmsg, target: "bob", text: "psst"))
        #expect(HumanInput.nick("robert").request(currentChannel: here) == .nick("robert"))
        #expect(HumanInput.join("rust").request(currentChannel: here) == .join(channels: ["#rust"]))
        #expect(HumanInput.join("#rust").request(currentChannel: nil) == .join(channels: ["#rust"]))
        #expect(HumanInput.part(channel: nil, reason: nil).request(currentChannel: here) == .part(channels: ["#lobby"], reason: ""))
        #expect(HumanInput.part(channel: "#rust", reason: "bye").request(currentChannel: here)
            == .part(channels: ["#rust"], reason: "bye"))
        #expect(HumanInput.part(channel: "#rust", reason: nil).request(currentChannel: nil) == .part(channels: ["#rust"], reason: ""))
    }

    @Test func topicWhoNames() {
        #expect(HumanInput.topic(nil).request(currentChannel: here) == .topic(channel: "#lobby", text: nil))
        #expect(HumanInput.topic("new").request(currentChannel: here) == .topic(channel: "#lobby", text: "new"))
        #expect(HumanInput.who(nil).request(currentChannel: here) == .who(mask: "#lobby"))
        #expect(HumanInput.who("bob").request(currentChannel: here) == .who(mask: "bob"))
        #expect(HumanInput.names(nil).request(currentChannel: here) == .names(channel: "#lobby"))
        #expect(HumanInput.names(nil).request(currentChannel: nil) == nil, "no current channel: say so")
        #expect(HumanInput.names("rust").request(currentChannel: here) == .names(channel: "#rust"))
    }

    @Test func theRest() {
        #expect(HumanInput.list([]).request(currentChannel: nil) == .list(channels: []))
        #expect(HumanInput.motd.request(currentChannel: nil) == .motd)
        #expect(HumanInput.away(nil).request(currentChannel: nil) == .away(text: nil))
        #expect(HumanInput.away("lunch").request(currentChannel: nil) == .away(text: "lunch"))
        #expect(HumanInput.whois("bob").request(currentChannel: nil) == .whois(nick: "bob"))
        #expect(HumanInput.quit(nil).request(currentChannel: here) == .quit(reason: ""))
        #expect(HumanInput.quit("bye").request(currentChannel: here) == .quit(reason: "bye"))
    }

    @Test func parsedLinesEndToEnd() {
        #expect(HumanInput.parse("/join rust").request(currentChannel: here) == .join(channels: ["#rust"]))
        #expect(HumanInput.parse("hello").request(currentChannel: here) == .message(kind: .privmsg, target: "#lobby", text: "hello"))
        #expect(HumanInput.parse("/who").request(currentChannel: here) == .who(mask: "#lobby"))
    }

    @Test func channelName() {
        #expect(HumanInput.channelName("rust") == "#rust")
        #expect(HumanInput.channelName("#rust") == "#rust")
        #expect(HumanInput.channelName("##rust") == "##rust")
    }
}

@Suite(.serialized, .compute) struct HumanTextTests {
    @Test func greetingAndPrompt() {
        #expect(HumanText.greeting(serverName: "chat.local") == [
            "*** Welcome to chat.local, a chat server.",
            "*** Pick a nickname, then type a line and press Enter to talk.",
            "*** Commands start with /, for example /join #rust or /quit. Type /help for all of them.",
        ])
        #expect(HumanText.greeting(serverName: "a\r\nb")[0] == "*** Welcome to a  b, a chat server.")
        #expect(HumanText.askNick == "Choose a nickname: ")
        #expect(HumanText.nickInvalid("1 x") == "!! \"1 x\" can't be a nickname. Use letters, digits and - _ [ ] { } \\ ` ^ |, starting with a letter.")
    }

    @Test func helpListsEveryCommandOnItsOwnLine() {
        let help = HumanText.help
        for name in ["join", "part", "msg", "me", "nick", "who", "names", "topic", "list", "whois", "away", "motd", "quit", "help"] {
            #expect(help.filter { $0.hasPrefix("--   /" + name + " ") }.count == 1, "\(name)")
            // Every listed command parses as something other than unknown.
            if case .unknownCommand = HumanInput.parse("/" + name) { Issue.record("/\(name) unknown") }
        }
        #expect(help.contains("--   /join #channel             join a channel and make it your current one"))
        #expect(help.allSatisfy { $0.count <= 100 })
        #expect(HumanText.help(command: nil) == help)
        #expect(HumanText.help(command: "  ") == help)
    }

    @Test func helpForOneCommand() {
        #expect(HumanText.help(command: "join") == [
            "-- /join #channel: join a channel and make it your current one",
            "--   The # may be left out: /join rust joins #rust.",
            "--   Lines you type without a / go to your current channel.",
        ])
        #expect(HumanText.help(command: "/JOIN") == HumanText.help(command: "join"))
        #expect(HumanText.help(command: "nope") == ["!! There is no command /nope. Type /help for the list."])
    }
}

/// A telnet user's bytes reach the human dialect's parser through the telnet filter, the line
/// framer and UTF-8 repair, as in a session. However the bytes are split into reads, the
/// user's commands come out the same.
@Suite(.serialized, .compute) struct HumanInputStreamTests {
    private func inputs(_ chunks: [[UInt8]]) -> [HumanInput] {
        var telnet = TelnetFilter()
        var framer = LineFramer(maxLineLength: 64, editing: true)
        var out: [HumanInput] = []
        for chunk in chunks {
            var data: [UInt8] = []
            var replies: [UInt8] = []
            telnet.filter(chunk, data: &data, replies: &replies)
            framer.push(data) { event in
                switch event {
                case .line(let bytes): out.append(HumanInput.parse(TextSafety.repairUTF8(bytes)))
                case .overlong: out.append(.unknownCommand("overlong"))
                }
            }
        }
        return out
    }

    @Test func commandsSplitAtEveryByteComeOutTheSame() {
        let IAC: UInt8 = 255, WILL: UInt8 = 251, DO: UInt8 = 253, SB: UInt8 = 250, SE: UInt8 = 240
        func b(_ s: String) -> [UInt8] { Array(s.utf8) }
        let stream: [UInt8] = [IAC, WILL, 31, IAC, DO, 1] + b("/nick bob\r\n")
            + b("/msg alice h") + [IAC, SB, 24, 0] + b("xterm") + [IAC, SE] + b("éllo 世界\r\0")
            + b("/me wa") + [IAC, IAC] + b("ves\r")
            + b("/join rust\n") + b("//not a command\r\n") + b("plain tex\u{8}xt\u{7F}t\r\n")
            + b("/topic new t") + [0xC3] + b("opic\r\n")
            + b(String(repeating: "z", count: 80)) + b("\r\n/quit bye\r\n")
        let whole = inputs([stream])
        #expect(whole == [
            .nick("bob"),
            .msg(target: "alice", text: "héllo 世界"),
            .me("wa\u{FFFD}ves"),
            .join("#rust"),
            .say("/not a command"),
            .say("plain text"),
            .topic("new t\u{FFFD}opic"),
            .unknownCommand("overlong"),
            .quit("bye"),
        ])
        for cut in 0...stream.count {
            #expect(inputs([Array(stream[..<cut]), Array(stream[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(inputs(stream.map { [$0] }) == whole, "one byte at a time")
    }
}
