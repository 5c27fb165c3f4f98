import Testing
import TestSupport
@testable import ChatProtocol

/// WHO with WHOX, WHOIS and WHOWAS as the shared protocol has them: the IRC lines, the
/// person's lines, the commands parsed, and the frames.
@Suite(.serialized, .compute) struct WhoProtocolTests {
    let irc = IRCRenderContext(serverName: "irc.test", nick: "alice")
    let person = HumanRenderContext(nick: "alice", currentChannel: "#lobby", serverName: "chat.local", utcOffsetSeconds: 0)
    let bob = WhoEntry(channel: "#lobby", nick: "bob", user: "bobby", host: "192.0.2.7", realName: "Bob Builder",
                       isAway: true, isOperator: true, idleSeconds: 5)

    func lines(_ e: HubEvent) -> [String] { IRCRenderer.render(e, context: irc).map { $0.serialized() } }

    func parse(_ line: String) -> Result<IRCInput, IRCInputError> {
        let message = try! IRCMessage(parsing: line)
        return Result { () throws(IRCInputError) in try IRCInput.parse(message, registered: true) }
    }

    // MARK: WHO and WHOX

    @Test func whoxRepliesCarryExactlyTheFieldsAskedInTheSpecsOrder() {
        let all = WhoxFormat(fields: WhoxFormat.Fields(letters: "rolacuihsnfdt"), token: "123")
        #expect(all.fields == .all)
        #expect(lines(.who(mask: "bob", entries: [bob], whox: all)) == [
            ":irc.test 354 alice 123 #lobby bobby 192.0.2.7 192.0.2.7 irc.test bob G@ 0 5 0 n/a :Bob Builder",
            ":irc.test 315 alice bob :End of /WHO list.",
        ])
        let some = WhoxFormat(fields: WhoxFormat.Fields(letters: "NT"), token: "42")
        #expect(lines(.who(mask: "#lobby", entries: [bob], whox: some)) == [
            ":irc.test 354 alice 42 :bob", ":irc.test 315 alice #lobby :End of /WHO list.",
        ])
        // No channel, an address that is not an IP, no token given.
        var loner = bob
        loner.channel = "*"
        loner.host = "host.example"
        let placeholders = WhoxFormat(fields: [.token, .channel, .ip, .flags])
        #expect(lines(.who(mask: "bob", entries: [loner], whox: placeholders)).first
                == ":irc.test 354 alice 0 * 255.255.255.255 :G@")
        // Nothing standard asked for: no row, only the end.
        #expect(lines(.who(mask: "bob", entries: [bob], whox: WhoxFormat(fields: []))) == [":irc.test 315 alice bob :End of /WHO list."])
        // The classic reply is unchanged.
        #expect(lines(.who(mask: "#lobby", entries: [bob])).first
                == ":irc.test 352 alice #lobby bobby 192.0.2.7 irc.test bob G@ :0 Bob Builder")
    }

    @Test func eachWhoxFieldAloneIsOneParameter() {
        for (letter, _) in WhoxFormat.Fields.letters {
            let format = WhoxFormat(fields: WhoxFormat.Fields(letters: String(UnicodeScalar(letter))), token: "9")
            let reply = IRCRenderer.render(.who(mask: "bob", entries: [bob], whox: format), context: irc)
            #expect(reply.count == 2 && reply[0].command == "354" && reply[0].params.count == 2, "\(reply)")
            #expect(reply[0].params.last?.isEmpty == false)
        }
    }

    @Test func whoParametersBecomeOptions() {
        #expect(WhoOptions(parsing: "") == WhoOptions())
        #expect(WhoOptions(parsing: "o") == WhoOptions(operatorsOnly: true))
        #expect(WhoOptions(parsing: "x") == WhoOptions(), "an unknown filter is ignored")
        #expect(WhoOptions(parsing: "%tcuihsnfdlaor,123") == WhoOptions(whox: WhoxFormat(fields: .all, token: "123")))
        #expect(WhoOptions(parsing: "o%na") == WhoOptions(operatorsOnly: true, whox: WhoxFormat(fields: [.nick, .account])))
        #expect(WhoOptions(parsing: "%nzq") == WhoOptions(whox: WhoxFormat(fields: [.nick])), "non-standard fields ignored")
        for bad in ["1234", "a1", "", ":1", "-1"] {
            #expect(WhoOptions(parsing: "%tn," + bad).whox?.token == "0", "token \(bad)")
        }
        #expect(WhoOptions(parsing: "%").whox == WhoxFormat(fields: []))
        #expect(parse("WHO coolNick %tn,321") == .success(.who(mask: "coolNick", options: WhoOptions(whox: WhoxFormat(fields: [.token, .nick], token: "321")))))
        #expect(parse("WHO") == .success(.who(mask: "*")))
        #expect(parse("WHO :") == .success(.who(mask: "*")))
        #expect(parse("WHO * o") == .success(.who(mask: "*", options: WhoOptions(operatorsOnly: true))))
    }

    // MARK: WHOIS

    @Test func whoisTakesListsAndAServer() {
        #expect(parse("WHOIS a,b,a") == .success(.whois(server: nil, nicks: ["a", "b", "a"])))
        #expect(parse("WHOIS irc.test a") == .success(.whois(server: "irc.test", nicks: ["a"])))
        #expect(parse("WHOIS a a") == .success(.whois(server: "a", nicks: ["a"])))
        #expect(parse("WHOIS ,") == .failure(.noNicknameGiven))
        #expect(parse("WHOIS") == .failure(.needMoreParams("WHOIS")))
    }

    @Test func aMissingNickIsNamedAndStillEnded() {
        #expect(lines(.whoisMissing(nick: "bar")) == [
            ":irc.test 401 alice bar :No such nick/channel", ":irc.test 318 alice bar :End of /WHOIS list.",
        ])
        #expect(renderHuman(.whoisMissing(nick: "bar"), context: person) == ["!! There is nobody called bar here."])
    }

    // MARK: WHOWAS

    @Test func whowasRepliesAsServersDo() {
        let first = WhowasEntry(nick: "nick2", user: "ident3", host: "192.0.2.9", realName: "Realname", server: "irc.test",
                                leftAt: 1_764_300_000)
        var second = first
        second.user = "ident2"
        second.realName = ""
        #expect(lines(.whowas(nick: "NICK2", entries: [first, second])) == [
            ":irc.test 314 alice nick2 ident3 192.0.2.9 * :Realname",
            ":irc.test 312 alice nick2 irc.test :2025-11-28 03:20:00 UTC",
            ":irc.test 314 alice nick2 ident2 192.0.2.9 * :",
            ":irc.test 312 alice nick2 irc.test :2025-11-28 03:20:00 UTC",
            ":irc.test 369 alice NICK2 :End of WHOWAS",
        ])
        #expect(lines(.whowas(nick: "nick2", entries: [])) == [
            ":irc.test 406 alice nick2 :There was no such nickname", ":irc.test 369 alice nick2 :End of WHOWAS",
        ])
        #expect(renderHuman(.whowas(nick: "nick2", entries: [first, second]), context: person) == [
            "-- nick2 was ident3@192.0.2.9 (Realname), until 2025-11-28 03:20",
            "-- nick2 was ident2@192.0.2.9, until 2025-11-28 03:20",
        ])
        #expect(renderHuman(.whowas(nick: "nick2", entries: []), context: person) == ["-- Nobody called nick2 has been here lately"])
    }

    @Test func whowasTakesNicksAndACount() {
        #expect(parse("WHOWAS nick2") == .success(.whowas(nicks: ["nick2"], count: 0)))
        #expect(parse("WHOWAS nick2 1") == .success(.whowas(nicks: ["nick2"], count: 1)))
        #expect(parse("WHOWAS nick2 -1 irc.test") == .success(.whowas(nicks: ["nick2"], count: 0)))
        #expect(parse("WHOWAS a,b x") == .success(.whowas(nicks: ["a", "b"], count: 0)))
        #expect(parse("WHOWAS") == .failure(.noNicknameGiven))
        #expect(parse("WHOWAS ,") == .failure(.noNicknameGiven))
        #expect(HumanInput.parse("/whowas bob") == .whowas("bob"))
        #expect(HumanInput.parse("/WHOWAS bob").request(currentChannel: nil) == .whowas(nick: "bob", count: 0))
        #expect(HumanInput.parse("/whowas") == .usage("!! Usage: /whowas NICK"))
        #expect(HumanInput.parse("/whowas a b") == .usage("!! Usage: /whowas NICK"))
        #expect(HumanText.help.contains { $0.contains("/whowas NICK") })
    }

    // MARK: Frames

    @Test func newRequestsAndEventsRoundTrip() throws {
        let requests: [HubRequest] = [
            .who(mask: "#a", options: WhoOptions(operatorsOnly: true, whox: WhoxFormat(fields: .all, token: "999"))),
            .who(mask: "b"), .whowas(nick: "nick2", count: 3), .whowas(nick: "x"),
        ]
        for r in requests {
            let frame = r.frame()
            #expect(try Array(frame[HubFrame.headerSize...]).withUnsafeBytes { try HubRequest(type: frame[3], payload: $0) } == r)
        }
        let events: [HubEvent] = [
            .who(mask: "m", entries: [bob], more: true, whox: WhoxFormat(fields: [.nick, .realName], token: "1")),
            .whoisMissing(nick: "bar"),
            .whowas(nick: "n", entries: [WhowasEntry(nick: "n", user: "u", host: "h", realName: "r", server: "s", leftAt: -5)]),
            .whowas(nick: "n", entries: []),
        ]
        for e in events {
            let frame = e.frame()
            #expect(try Array(frame[HubFrame.headerSize...]).withUnsafeBytes { try HubEvent(type: frame[3], payload: $0) } == e)
        }
    }

    /// A compromised session's WHOX: unknown field bits, or a token that is not 1-3 digits
    /// (it would be echoed to the client), are refused.
    @Test func aHostileWhoxIsRefused() {
        func payload(fields: UInt16, token: String) -> [UInt8] {
            var w = BinaryWriter()
            w.string("bob"); w.bool(false); w.u8(1); w.u16(fields); w.string(token)
            return w.bytes
        }
        func decodes(_ p: [UInt8]) -> Bool {
            p.withUnsafeBytes { raw in
                (try? HubRequest(type: HubMessageType.requestWho.rawValue, payload: raw)) != nil
            }
        }
        #expect(decodes(payload(fields: WhoxFormat.Fields.all.rawValue, token: "12")))
        #expect(!decodes(payload(fields: 1 << 13, token: "1")))
        #expect(!decodes(payload(fields: 1, token: "1234")))
        #expect(!decodes(payload(fields: 1, token: "a:")))
        #expect(!decodes(payload(fields: 1, token: "")))
    }
}
