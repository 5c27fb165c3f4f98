import ChatProtocol
import Testing
@testable import ChatServerDaemon

/// account-notify, account-tag and extended-join's account in the chat state: who is told
/// of a login or logout, and the sender's account in every message event, once.
extension AccountStateTests {
    func caps(_ id: Int, _ names: [IRCCapability]) {
        state.handle(.capabilities(names: names.map(\.rawValue)), from: id)
    }

    @Test func peersWithAccountNotifyAreToldOfLoginsAndLogouts() {
        user(1, "alice")
        user(2, "bob")
        caps(2, [.accountNotify])
        user(3, "carol")
        user(4, "dave", join: "#elsewhere")
        caps(4, [.accountNotify])
        register(1)
        #expect(sink.take(2) == [.accountChange(source: "alice!alice@10.0.0.1", account: "alice")])
        #expect(sink.take(3).isEmpty && sink.take(4).isEmpty, "no capability; no shared channel")
        ns(1, "LOGOUT")
        #expect(sink.take(2) == [.accountChange(source: "alice!alice@10.0.0.1", account: "")])
        ns(1, "IDENTIFY sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(sink.take(2) == [.accountChange(source: "alice!alice@10.0.0.1", account: "alice")])
        // A dropped account logs its sessions out: the peers hear it.
        ns(1, "DROP sesame1")
        state.passwordChecked(ticket: checker.checks.last!.ticket, verdict: true)
        #expect(sink.take(2) == [.accountChange(source: "alice!alice@10.0.0.1", account: "")])
    }

    @Test func messagesAndExtendedJoinsCarryTheSendersAccount() {
        user(1, "alice")
        register(1)
        user(2, "bob")
        caps(2, [.extendedJoin])
        state.handle(.message(kind: .privmsg, target: "#lobby", text: "hi"), from: 1)
        state.handle(.message(kind: .privmsg, target: "bob", text: "psst"), from: 1)
        let got = sink.take(2)
        #expect(got.count == 2)
        for e in got {
            guard case .message(_, _, _, _, _, _, _, let account) = e else { Issue.record("\(e)"); continue }
            #expect(account == "alice")
        }
        state.handle(.message(kind: .privmsg, target: "#lobby", text: "hello"), from: 2)
        guard case .message(_, _, _, _, _, _, _, let none)? = sink.take(1).first else { Issue.record("nothing"); return }
        #expect(none == "")
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 1)
        state.handle(.join(channels: ["#lobby"]), from: 1)
        #expect(sink.take(2).contains(.extendedJoin(channel: "#lobby", source: "alice!alice@10.0.0.1", realName: "R", account: "alice")))
    }

    @Test func tagmsgsAndPlainJoinsCarryTheSendersAccount() {
        user(1, "alice")
        register(1)
        user(2, "bob")
        caps(1, [.messageTags])
        caps(2, [.messageTags, .accountTag])
        state.handle(.tagMessage(target: "#lobby", tags: "+typing=active"), from: 1)
        state.handle(.tagMessage(target: "bob", tags: "+typing=paused"), from: 1)
        let got = sink.take(2)
        #expect(got.count == 2)
        for e in got {
            guard case .tagMessage(_, _, _, _, _, let account) = e else { Issue.record("\(e)"); continue }
            #expect(account == "alice")
        }
        state.handle(.tagMessage(target: "#lobby", tags: "+typing=active"), from: 2)
        guard case .tagMessage(_, _, _, _, _, let none)? = sink.take(1).first else { Issue.record("nothing"); return }
        #expect(none == "")
        // Bob has no extended-join: a plain JOIN, with the account for his session to tag.
        state.handle(.part(channels: ["#lobby"], reason: ""), from: 1)
        state.handle(.join(channels: ["#lobby"]), from: 1)
        #expect(sink.take(2).contains(.join(channel: "#lobby", source: "alice!alice@10.0.0.1", account: "alice")))
    }
}
