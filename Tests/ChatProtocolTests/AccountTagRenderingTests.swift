import Testing
import TestSupport
@testable import ChatProtocol

/// IRCv3 account-tag, account-notify and extended-join's account in the IRC renderer: the
/// message fast path writes what the general renderer writes (or declines), with and
/// without the other tags; clients without the capabilities see nothing new.
@Suite(.serialized, .compute) struct AccountTagRenderingTests {
    func lines(_ e: HubEvent, _ caps: Set<IRCCapability>, serverTime: Bool = false) -> (fast: String?, slow: String) {
        var ctx = IRCRenderContext(serverName: "irc.test", nick: "bob", serverTime: serverTime)
        ctx.capabilities = caps
        var slow: [UInt8] = []
        for m in IRCRenderer.render(e, context: ctx) { m.appendLine(to: &slow) }
        let frame = e.frame()
        var fast: [UInt8] = []
        let took = frame.withUnsafeBytes { raw in
            IRCRenderer.appendMessageLine(MessageView(payload: UnsafeRawBufferPointer(rebasing: raw[HubFrame.headerSize...]))!,
                                          context: ctx, to: &fast)
        }
        return (took ? String(decoding: fast, as: UTF8.self) : nil, String(decoding: slow, as: UTF8.self))
    }

    @Test func theAccountTagGoesToClientsWithTheCapabilityOnly() {
        let e = HubEvent.message(source: "bar!f@h", kind: .privmsg, target: "foo", text: "hi", time: 0, id: 7,
                                 tags: "+typing=active", account: "jilles")
        #expect(lines(e, [.accountTag]).fast == "@account=jilles :bar!f@h PRIVMSG foo :hi\r\n")
        #expect(lines(e, []).fast == ":bar!f@h PRIVMSG foo :hi\r\n")
        for caps: Set<IRCCapability> in [[], [.accountTag], [.messageTags], [.accountTag, .messageTags]] {
            for serverTime in [false, true] {
                let (fast, slow) = lines(e, caps, serverTime: serverTime)
                #expect(fast == slow, "\(caps) \(serverTime)")
            }
        }
        #expect(lines(e, [.accountTag, .messageTags], serverTime: true).slow
                == "@msgid=0000000000000007;+typing=active;account=jilles;time=1970-01-01T00:00:00.000Z :bar!f@h PRIVMSG foo :hi\r\n")
        // Not logged in: no tag, and a client with account-tag alone keeps the plain path.
        let plain = HubEvent.message(source: "bar!f@h", kind: .privmsg, target: "foo", text: "hi", time: 0)
        #expect(lines(plain, [.accountTag]).fast == ":bar!f@h PRIVMSG foo :hi\r\n")
    }

    @Test func anAccountNeedingEscapesTakesTheGeneralPath() {
        let e = HubEvent.message(source: "b!f@h", kind: .privmsg, target: "#a", text: "x", time: 0, account: "a\\b")
        let (fast, slow) = lines(e, [.accountTag])
        #expect(fast == nil && slow == "@account=a\\\\b :b!f@h PRIVMSG #a :x\r\n")
    }

    @Test func accountNotifyAndExtendedJoinSayTheAccountOrAStar() {
        var ctx = IRCRenderContext(serverName: "irc.test", nick: "bob")
        ctx.capabilities = [.extendedJoin, .accountNotify]
        func render(_ e: HubEvent) -> [String] { IRCRenderer.render(e, context: ctx).map { $0.serialized() } }
        #expect(render(.accountChange(source: "al!a@h", account: "alice")) == [":al!a@h ACCOUNT :alice"])
        #expect(render(.accountChange(source: "al!a@h", account: "")) == [":al!a@h ACCOUNT :*"])
        #expect(render(.extendedJoin(channel: "#c", source: "al!a@h", realName: "Al", account: "alice")) == [":al!a@h JOIN #c alice Al"])
        #expect(render(.extendedJoin(channel: "#c", source: "al!a@h", realName: "Al Bundy")) == [":al!a@h JOIN #c * :Al Bundy"])
        var invitee = IRCRenderContext(serverName: "irc.test", nick: "bob")
        invitee.capabilities = [.accountTag, .inviteNotify]
        #expect(IRCRenderer.render(.invite(channel: "#c", source: "al!a@h", nick: "bob", account: "alice"), context: invitee)
            .map { $0.serialized() } == ["@account=alice :al!a@h INVITE bob #c"])
        #expect(renderHuman(.accountChange(source: "al!a@h", account: "alice"), context: HumanRenderContext(nick: "bob", serverName: "s")).isEmpty)
    }

    @Test func joinsAndTagmsgsCarryTheAccountToClientsWithAccountTag() {
        func render(_ e: HubEvent, _ caps: Set<IRCCapability>) -> [String] {
            var ctx = IRCRenderContext(serverName: "irc.test", nick: "bob")
            ctx.capabilities = caps
            return IRCRenderer.render(e, context: ctx).map { $0.serialized() }
        }
        let join = HubEvent.join(channel: "#c", source: "al!a@h", account: "alice")
        #expect(render(join, [.accountTag]) == ["@account=alice :al!a@h JOIN #c"])
        #expect(render(join, []) == [":al!a@h JOIN #c"])
        #expect(render(.join(channel: "#c", source: "al!a@h"), [.accountTag]) == [":al!a@h JOIN #c"], "not logged in: no tag")
        let tagmsg = HubEvent.tagMessage(source: "al!a@h", target: "#c", tags: "+typing=active", time: 0, id: 7, account: "alice")
        #expect(render(tagmsg, [.messageTags, .accountTag]) == ["@msgid=0000000000000007;+typing=active;account=alice :al!a@h TAGMSG #c"])
        #expect(render(tagmsg, [.messageTags]) == ["@msgid=0000000000000007;+typing=active :al!a@h TAGMSG #c"])
        #expect(render(tagmsg, [.accountTag]).isEmpty, "without message-tags a TAGMSG is nothing")
    }
}
