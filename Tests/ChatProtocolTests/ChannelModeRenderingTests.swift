import Testing
import TestSupport
@testable import ChatProtocol

/// Channel modes, invitations and member prefixes as IRC lines and as a person reads them,
/// and the telnet commands that run a channel.
@Suite(.serialized, .compute) struct ChannelModeRenderingTests {
    let irc = IRCRenderContext(serverName: "irc.test", nick: "alice", serverTime: false)
    let person = HumanRenderContext(nick: "alice", currentChannel: "#c", serverName: "chat.local", utcOffsetSeconds: 0)

    func lines(_ e: HubEvent, _ caps: Set<IRCCapability> = []) -> [String] {
        var c = irc
        c.capabilities = caps
        return IRCRenderer.render(e, context: c).map { $0.serialized() }
    }

    let members = [Member(nick: "alice", isOperator: true, isVoiced: true, source: "alice!a@h"),
                   Member(nick: "bob", isOperator: false, isVoiced: true, source: "bob!b@h"),
                   Member(nick: "carol", isOperator: false, source: "carol!c@h")]

    @Test func namesShowPrefixesAddressesAndSecrecyAsTheClientAsked() {
        #expect(lines(.names(channel: "#c", members: members)).first == ":irc.test 353 alice = #c :@alice +bob carol")
        #expect(lines(.names(channel: "#c", members: members), [.multiPrefix]).first == ":irc.test 353 alice = #c :@+alice +bob carol")
        #expect(lines(.names(channel: "#c", members: members), [.userhostInNames]).first
                == ":irc.test 353 alice = #c :@alice!a@h +bob!b@h carol!c@h")
        #expect(lines(.names(channel: "#c", members: members, isSecret: true)).first == ":irc.test 353 alice @ #c :@alice +bob carol")
        #expect(renderHuman(.names(channel: "#c", members: members), context: person) == ["-- In #c: @alice, +bob, carol"])
    }

    @Test func whoShowsTheVoiceAndWithMultiPrefixEveryPrefix() {
        let both = WhoEntry(channel: "#c", nick: "bob", user: "b", host: "h", realName: "B", isAway: false, isOperator: true, isVoiced: true)
        let voiced = WhoEntry(channel: "#c", nick: "eve", user: "e", host: "h", realName: "E", isAway: true, isOperator: false, isVoiced: true)
        let event = HubEvent.who(mask: "#c", entries: [both, voiced])
        #expect(lines(event).prefix(2) == [":irc.test 352 alice #c b h irc.test bob H@ :0 B", ":irc.test 352 alice #c e h irc.test eve G+ :0 E"])
        #expect(lines(event, [.multiPrefix]).first == ":irc.test 352 alice #c b h irc.test bob H@+ :0 B")
        #expect(renderHuman(event, context: person).contains("--   +eve (e@h), away"))
    }

    @Test func invitationsAndListsAreNumericsAndLines() {
        let invite = HubEvent.invite(channel: "#c", source: "bob!b@h", nick: "alice")
        #expect(lines(invite) == [":bob!b@h INVITE alice #c"])
        let notice = HubEvent.invite(channel: "#c", source: "bob!b@h", nick: "carol")
        #expect(lines(notice).isEmpty, "another's invitation needs invite-notify")
        #expect(lines(notice, [.inviteNotify]) == [":bob!b@h INVITE carol #c"])
        #expect(lines(.inviting(channel: "#c", nick: "carol")) == [":irc.test 341 alice carol #c"])
        let entry = ModeListEntry(mask: "x!*@*", setBy: "bob!b@h", setAt: 1_764_300_000)
        #expect(lines(.modeList(channel: "#c", mode: "b", entries: [entry]))
                == [":irc.test 367 alice #c x!*@* bob!b@h 1764300000", ":irc.test 368 alice #c :End of channel ban list"])
        #expect(lines(.modeList(channel: "#c", mode: "e", entries: [])) == [":irc.test 349 alice #c :End of channel exception list"])
        #expect(lines(.modeList(channel: "#c", mode: "I", entries: [entry])).first?.hasPrefix(":irc.test 346 alice #c x!*@* ") == true)
        #expect(renderHuman(invite, context: person) == ["-- bob invites you to #c: /join #c to go there"])
        #expect(renderHuman(notice, context: person) == ["-- bob invited carol to #c"])
        #expect(renderHuman(.inviting(channel: "#c", nick: "carol"), context: person) == ["-- You invited carol to #c; they may join it once"])
        #expect(renderHuman(.modeList(channel: "#c", mode: "b", entries: [entry]), context: person)
                == ["-- The bans of #c:", "--   x!*@* (set by bob on 2025-11-28 03:20)"])
        #expect(renderHuman(.modeList(channel: "#c", mode: "I", entries: []), context: person) == ["-- There are no invite exceptions in #c"])
    }

    @Test func modeChangesReadAsOneSentenceEach() {
        let e = HubEvent.channelModeChange(channel: "#c", source: "bob!b@h", modes: "+mvk-l+b", args: ["alice", "sesame", "x!*@*"])
        #expect(lines(e) == [":bob!b@h MODE #c +mvk-l+b alice sesame x!*@*"])
        #expect(renderHuman(e, context: person) == [
            "-- bob moderated #c: only operators and voiced people may speak",
            "-- bob gave you a voice in #c",
            "-- bob set the key of #c to sesame (join with /join #c sesame)",
            "-- bob removed the limit on #c",
            "-- bob banned x!*@* from #c",
        ])
        let own = HubEvent.channelModeChange(channel: "#c", source: "alice!a@h", modes: "+st-i", args: [])
        #expect(renderHuman(own, context: person) == [
            "-- You made #c secret", "-- You locked the topic of #c: only operators may set it",
            "-- You opened #c to everyone (no longer invite-only)",
        ])
    }

    @Test func refusalsSayWhatToDo() {
        func said(_ code: ErrorCode, _ params: [String], _ text: String = "") -> String {
            renderHuman(.error(code: code, params: params, text: text), context: person).joined()
        }
        #expect(said(.badChannelKey, ["#c"]) == "!! #c needs the right key: /join #c KEY.")
        #expect(said(.channelIsFull, ["#c"]).contains("it is full"))
        #expect(said(.inviteOnlyChannel, ["#c"]).contains("/invite"))
        #expect(said(.cannotSendToChannel, ["#c"], "Cannot send to channel (+m)").contains("moderated"))
        #expect(said(.invalidModeParameter, ["#c", "l", "abc"], "Invalid limit").hasPrefix("!! abc is not a valid value for mode l of #c"))
    }

    @Test func telnetCommandsBecomeModeInviteAndKickRequests() {
        func request(_ line: String) -> HubRequest? { HumanInput.parse(line).request(currentChannel: "#c") }
        #expect(request("/op bob carol") == .mode(target: "#c", args: ["+oo", "bob", "carol"]))
        #expect(request("/deop bob") == .mode(target: "#c", args: ["-o", "bob"]))
        #expect(request("/voice bob") == .mode(target: "#c", args: ["+v", "bob"]))
        #expect(request("/devoice bob") == .mode(target: "#c", args: ["-v", "bob"]))
        #expect(request("/ban") == .mode(target: "#c", args: ["+b"]))
        #expect(request("/ban spam *@bad.example") == .mode(target: "#c", args: ["+bb", "spam", "*@bad.example"]))
        #expect(request("/unban spam!*@*") == .mode(target: "#c", args: ["-b", "spam!*@*"]))
        #expect(request("/key sesame") == .mode(target: "#c", args: ["+k", "sesame"]))
        #expect(request("/key OFF") == .mode(target: "#c", args: ["-k"]))
        #expect(request("/limit 20") == .mode(target: "#c", args: ["+l", "20"]))
        #expect(request("/limit off") == .mode(target: "#c", args: ["-l"]))
        #expect(request("/moderate") == .mode(target: "#c", args: ["+m"]))
        #expect(request("/secret off") == .mode(target: "#c", args: ["-s"]))
        #expect(request("/topiclock on") == .mode(target: "#c", args: ["+t"]))
        #expect(request("/inviteonly") == .mode(target: "#c", args: ["+i"]))
        #expect(request("/mode") == .mode(target: "#c", args: []))
        #expect(request("/mode #d +e x") == .mode(target: "#d", args: ["+e", "x"]))
        #expect(request("/invite bob") == .invite(nick: "bob", channel: "#c"))
        #expect(request("/invite bob d") == .invite(nick: "bob", channel: "#d"))
        #expect(request("/invite") == .invitations, "alone: the invitations one holds")
        #expect(request("/kick bob go away") == .kick(channel: "#c", nick: "bob", reason: "go away"))
        #expect(request("/join #club sesame") == .join(channels: ["#club"], keys: ["sesame"]))
        #expect(HumanInput.parse("/op bob").request(currentChannel: nil) == nil)
        for bad in ["/op", "/op a b c d e", "/unban", "/key", "/key a b", "/limit", "/moderate maybe", "/kick",
                    "/invite a b c", "/join #a b c"] {
            guard case .usage(let text) = HumanInput.parse(bad) else { Issue.record("\(bad) is not a usage error"); continue }
            #expect(text.hasPrefix("!! Usage: /"), "\(bad): \(text)")
        }
        let help = HumanText.help.joined(separator: "\n")
        for command in ["/op", "/deop", "/voice", "/devoice", "/kick", "/ban", "/unban", "/invite", "/key", "/limit",
                        "/moderate", "/secret", "/topiclock", "/inviteonly", "/mode"] {
            #expect(help.contains("--   " + command + " "), "\(command) is not in /help")
        }
    }
}
