import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// IRCv3 in the IRC conversation (IRCConversation+Caps.swift, LabeledResponse.swift): CAP
/// negotiation, what goes to the hub, client-only tags, TAGMSG, SETNAME, labeled responses.
@Suite(.serialized, .compute) struct IRCCapsConversationTests {
    /// A registered client that enabled `caps`.
    func registered(_ caps: String = "", nick: String = "bob") -> ConversationDriver {
        let c = ConversationDriver.irc()
        c.type(["CAP LS 302", "NICK \(nick)", "USER \(nick) 0 * :Bob Example"])
        if !caps.isEmpty { c.type("CAP REQ :\(caps)") }
        c.type("CAP END")
        c.hub(ConversationDriver.welcome(nick))
        _ = c.received()
        _ = c.requests()
        return c
    }

    @Test func capLSGivesEveryCapabilityOnOneLineBefore302AndGroupsFrom302() {
        let c = ConversationDriver.irc()
        c.type("CAP LS")
        #expect(c.received() == [":chat.test CAP * LS :" + IRCCapability.offered])
        c.type("CAP LIST")
        #expect(c.received() == [":chat.test CAP * LIST :"], "empty, and no cap-notify before 302")
        // Long lists: several lines, all but the last marked `*`; never before 302.
        let groups = IRCCapability.lsGroups(version: 302, maxBytes: 40)
        #expect(groups.count > 1 && groups.allSatisfy { $0.utf8.count <= 40 })
        // The same words, with their values (`sasl=PLAIN`) from 302 on.
        #expect(groups.joined(separator: " ").split(separator: " ").map { $0.prefix { $0 != "=" } }.joined(separator: " ") == IRCCapability.offered)
        #expect(groups.joined(separator: " ").split(separator: " ").contains("sasl=PLAIN,EXTERNAL"))
        #expect(IRCCapability.lsGroups(version: 301, maxBytes: 40) == [IRCCapability.offered])
    }

    @Test func capReqIsAllOrNothingAndCapNotifyStaysWith302() {
        let c = ConversationDriver.irc()
        c.type("CAP LS 302")
        _ = c.received()
        c.type("CAP REQ :echo-message example.org/none")
        #expect(c.received() == [":chat.test CAP * NAK :echo-message example.org/none"])
        c.type("CAP REQ :-cap-notify")
        #expect(c.received() == [":chat.test CAP * NAK -cap-notify"])
        c.type("CAP REQ :echo-message message-tags")
        #expect(c.received() == [":chat.test CAP * ACK :echo-message message-tags"])
        #expect(c.requests() == [.capabilities(names: ["message-tags", "echo-message"])])
        c.type("CAP REQ :-echo-message server-time")
        #expect(c.received() == [":chat.test CAP * ACK :-echo-message server-time"])
        #expect(c.requests() == [.capabilities(names: ["message-tags"])])
        c.type("CAP REQ :server-time")
        #expect(c.requests().isEmpty, "nothing the hub cares about changed")
        _ = c.received()
        c.type("CAP LIST")
        #expect(c.received() == [":chat.test CAP * LIST :server-time message-tags cap-notify"])
    }

    @Test func capReqAfterRegistrationTellsTheHub() {
        let c = registered()
        c.type("CAP REQ :away-notify")
        #expect(c.received() == [":chat.test CAP bob ACK away-notify"])
        #expect(c.requests() == [.capabilities(names: ["away-notify"])])
    }

    @Test func clientOnlyTagsGoToTheHubOnlyWithMessageTags() {
        let plain = registered()
        plain.type("@+draft/reply=x PRIVMSG #a :hi")
        #expect(plain.requests() == [.message(kind: .privmsg, target: "#a", text: "hi")])
        plain.type("@+typing=active TAGMSG #a")
        #expect(plain.requests().isEmpty, "TAGMSG without message-tags does nothing")

        let c = registered("message-tags")
        c.type("@+draft/reply=x\\sy;label=1;time=2;+typing PRIVMSG #a,bob :hi")
        #expect(c.requests() == [.taggedMessage(kind: .privmsg, target: "#a", text: "hi", tags: "+draft/reply=x\\sy;+typing"),
                                 .taggedMessage(kind: .privmsg, target: "bob", text: "hi", tags: "+draft/reply=x\\sy;+typing")])
        c.type("@+typing=active TAGMSG #a")
        #expect(c.requests() == [.tagMessage(target: "#a", tags: "+typing=active")])
        c.type("@label=1 TAGMSG #a")
        #expect(c.requests().isEmpty, "no client-only tags: nothing to send")
    }

    @Test func tagsLongerThanTheSpecAllowsAre417() {
        let c = registered("message-tags")
        let limit = "@+baz=" + String(repeating: "a", count: 4089) + " TAGMSG #a"  // 4096 bytes with '@' and ' '
        c.type(limit)
        guard case .tagMessage(_, let tags)? = c.requests().first else { Issue.record("refused at the limit"); return }
        #expect(tags.utf8.count == 4094)
        c.type("@+baz=" + String(repeating: "a", count: 4090) + " TAGMSG #a")
        #expect(c.received() == [":chat.test 417 bob :Input line was too long"])
        #expect(c.requests().isEmpty)
    }

    @Test func messagesShowIDsAndTagsOnlyToClientsWithMessageTags() {
        let m = HubEvent.message(source: "al!al@h", kind: .privmsg, target: "#a", text: "hi", time: 0, id: 0xAB,
                                 tags: "+draft/reply=x\\sy")
        let plain = registered("server-time")
        plain.hub(m)
        #expect(plain.received() == ["@time=1970-01-01T00:00:00.000Z :al!al@h PRIVMSG #a :hi"])
        let tagged = registered("message-tags server-time")
        tagged.hub(m)
        #expect(tagged.received() == ["@msgid=00000000000000ab;+draft/reply=x\\sy;time=1970-01-01T00:00:00.000Z :al!al@h PRIVMSG #a :hi"])
        // The fast path writes the same bytes as the general path.
        for caps in [(false, false), (true, false), (false, true), (true, true)] {
            var general = IRCRenderContext(serverName: "chat.test", nick: "bob", serverTime: caps.0)
            if caps.1 { general.capabilities = [.messageTags] }
            let expected = IRCRenderer.render(m, context: general).map { $0.serialized() + "\r\n" }.joined()
            let frame = m.frame()
            var out: [UInt8] = []
            let took = frame[HubFrame.headerSize...].withUnsafeBytes { payload in
                MessageView(payload: payload).map { IRCRenderer.appendMessageLine($0, serverTime: caps.0, messageTags: caps.1, to: &out) }
            }
            #expect(took == true && String(decoding: out, as: UTF8.self) == expected, "\(caps)")
        }
        // TAGMSG: nothing at all without message-tags.
        let tagmsg = HubEvent.tagMessage(source: "al!al@h", target: "#a", tags: "+typing=active", time: 0, id: 1)
        plain.hub(tagmsg)
        #expect(plain.received().isEmpty)
        tagged.hub(tagmsg)
        #expect(tagged.received() == ["@msgid=0000000000000001;+typing=active;time=1970-01-01T00:00:00.000Z :al!al@h TAGMSG #a"])
    }

    @Test func awaySetnameAndExtendedJoinAreShownOnlyWithTheirCapability() {
        let events: [HubEvent] = [.awayChange(source: "al!al@h", text: "lunch"), .awayChange(source: "al!al@h", text: nil),
                                  .setName(source: "al!al@h", realName: "Al Bundy"),
                                  .extendedJoin(channel: "#a", source: "al!al@h", realName: "Al Bundy")]
        let plain = registered()
        for e in events { plain.hub(e) }
        #expect(plain.received() == [":al!al@h JOIN #a"])
        let c = registered("away-notify setname extended-join")
        for e in events { c.hub(e) }
        #expect(c.received() == [":al!al@h AWAY :lunch", ":al!al@h AWAY", ":al!al@h SETNAME :Al Bundy",
                                 ":al!al@h JOIN #a * :Al Bundy"])
    }

    @Test func setnameIsCheckedHereAndFailsAsTheSpecSays() {
        let c = registered("setname")
        c.type("SETNAME :New Name")
        #expect(c.requests() == [.setName(realName: "New Name")])
        c.type(["SETNAME :", "SETNAME :" + String(repeating: "x", count: 101)])
        let fail = ":chat.test FAIL SETNAME INVALID_REALNAME :Real name must be 1 to 100 bytes"
        #expect(c.received() == [fail, fail])
        #expect(c.requests().isEmpty)
    }

    @Test func aLabeledCommandAnsweredHereCarriesItsLabel() {
        let c = registered("labeled-response batch")
        c.type("@label=p1 PING tok")
        #expect(c.received() == ["@label=p1 :chat.test PONG chat.test tok"])
        c.type("@label=u1 FOO")
        #expect(c.received() == ["@label=u1 :chat.test 421 bob FOO :Unknown command"])
        c.type("@label=u2 NO_SUCH")  // not even a message: the error is labeled all the same
        #expect(c.received() == ["@label=u2 :chat.test 421 bob NO_SUCH :Unknown command"])
        c.type("@label=n1 PONG x")
        #expect(c.received() == ["@label=n1 :chat.test ACK"], "no reply: ACK")
        // Without labeled-response a label is ignored.
        let plain = registered()
        plain.type("@label=p1 PING tok")
        #expect(plain.received() == [":chat.test PONG chat.test tok"])
    }

    @Test func aLabeledCommandForTheHubIsAnsweredAfterItsSync() {
        let c = registered("labeled-response batch")
        c.type("@label=j1 JOIN #a")
        #expect(c.requests() == [.join(channels: ["#a"])] && c.output.pendingSync != nil)
        c.hub(.join(channel: "#a", source: "bob!bob@h"))
        // The first reply is held (one reply is labeled, not batched); someone else's message
        // meanwhile goes out at once, outside the batch.
        c.hub(.message(source: "al!al@h", kind: .privmsg, target: "#a", text: "hey", time: 0))
        #expect(c.received() == [":al!al@h PRIVMSG #a :hey"])
        // The second opens the batch, and what follows goes out as it comes: nothing piles up.
        c.hub(.names(channel: "#a", members: [Member(nick: "bob", isOperator: true)]))
        #expect(c.received() == ["@label=j1 :chat.test BATCH +L1 labeled-response",
                                 "@batch=L1 :bob!bob@h JOIN #a",
                                 "@batch=L1 :chat.test 353 bob = #a :@bob",
                                 "@batch=L1 :chat.test 366 bob #a :End of /NAMES list."])
        c.answerSync()
        #expect(c.received() == [":chat.test BATCH -L1"])
        // One reply from the hub: labeled, no batch; none: ACK.
        c.type("@label=m1 PRIVMSG al :hi")
        c.hub(.awayReply(nick: "al", text: "gone"))
        c.answerSync()
        #expect(c.received() == ["@label=m1 :chat.test 301 bob al :gone"])
        c.type("@label=m2 PRIVMSG al :hi")
        c.answerSync()
        #expect(c.received() == ["@label=m2 :chat.test ACK"])
    }

    @Test func withoutBatchSeveralRepliesGoOutAsTheyAre() {
        let c = registered("labeled-response")
        c.type("@label=w1 WHOIS al")
        c.hub(.error(code: .noSuchNick, params: ["al"], text: "No such nick/channel"))
        #expect(c.received().isEmpty, "one reply so far: held")
        c.hub(.error(code: ErrorCode(rawValue: 318), params: ["al"], text: "End of /WHOIS list."))
        c.answerSync()
        #expect(c.received() == [":chat.test 401 bob al :No such nick/channel", ":chat.test 318 bob al :End of /WHOIS list."])
    }

    @Test func aLabeledMessageToOneselfLabelsOnlyTheEcho() {
        let c = registered("labeled-response batch echo-message")
        c.type("@label=s1 PRIVMSG bob :hi")
        let copy = HubEvent.message(source: "bob!bob@h", kind: .privmsg, target: "bob", text: "hi", time: 0)
        c.hub(copy)
        c.hub(copy)
        c.answerSync()
        #expect(c.received() == [":bob!bob@h PRIVMSG bob :hi", "@label=s1 :bob!bob@h PRIVMSG bob :hi"])
    }

    @Test func aLabeledLineWaitsForEarlierAnswers() {
        let c = registered("labeled-response")
        c.hubAnswersAtOnce = false
        c.type(["JOIN #a", "@label=p1 PING tok"])
        #expect(c.requests() == [.join(channels: ["#a"])] && c.output.pendingSync != nil)
        c.hub(.join(channel: "#a", source: "bob!bob@h"))
        #expect(c.received() == [":bob!bob@h JOIN #a"], "not the labeled line's")
        c.answerSync()
        #expect(c.received() == ["@label=p1 :chat.test PONG chat.test tok"])
    }
}
