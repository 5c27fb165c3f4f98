@testable import ChatServerDaemon
import ChatProtocol
import Testing

/// The console's account commands against the stand-in hub: a listing, freeze (its
/// sessions logged out, no login after), unfreeze, drop; mistakes and a store that refuses.
@Suite(.serialized, .compute) struct ConsoleAccountTests {
    let host = StandInConsoleHost()
    let actions = ConsoleActions()
    let store = MemoryAccounts()

    init() throws {
        try host.chat.useAccountStorage(store)
        for name in ["alice", "bob"] {
            let a = Account(name: name, hash: "H", registeredAt: 1_764_300_000)
            try store.save(account: a, folded: name)
            host.chat.accounts[name] = a
        }
        host.connect(1, "alice")
        host.chat.logIn(1, account: "alice")
        host.connect(2, "carol")
        host.chat.handle(.capabilities(names: ["account-notify"]), from: 2)
        _ = host.sink.events.removeAll()
    }

    func run(_ line: String) -> ConsoleReply { actions.run(line, by: "test", host: host) }

    @Test func accountsListsNamesStatesAndSessions() {
        let all = run("accounts")
        #expect(all.error == nil && all.lines.count == 4, "\(all.lines)")
        #expect(all.lines[0].hasPrefix("ACCOUNT") && all.lines[1].hasPrefix("alice") && all.lines[1].hasSuffix("1"))
        #expect(all.lines.last == "2 accounts")
        #expect(run("accounts b*").lines.count == 3)
        #expect(run("accounts z*").lines == ["no account matches 'z*'"])
        #expect(run("accounts a b").error?.message == "accounts takes at most one mask")
    }

    @Test func freezeLogsOutAndRefusesLoginsUntilUnfrozen() {
        #expect(run("freeze ALICE").lines == ["froze alice; logged out 1 session"])
        #expect(store.rows["alice"]?.frozen == true && host.chat.users[1]!.account == nil)
        let told = host.sink.take(1)
        #expect(told.contains(.loggedOut(nick: "alice", source: "alice!alice@192.0.2.1")))
        #expect(told.contains(.serviceNotice(service: "NickServ", text: "The account alice is frozen by the server operator.")))
        #expect(host.sink.take(2) == [.accountChange(source: "alice!alice@192.0.2.1", account: "")])
        #expect(run("freeze alice").error?.message == "alice is already frozen")
        #expect(run("accounts alice").lines[1].contains("frozen"))
        #expect(run("unfreeze alice").lines == ["unfroze alice"] && store.rows["alice"]?.frozen == false)
        #expect(run("unfreeze alice").error?.message == "alice is already not frozen")
    }

    @Test func dropDeletesTheAccountAndMistakesSayWhy() {
        #expect(run("drop-account alice").lines == ["dropped alice; logged out 1 session"])
        #expect(store.rows["alice"] == nil && host.chat.accounts["alice"] == nil && host.chat.users[1]!.account == nil)
        #expect(run("drop-account alice").error?.message == "no account named 'alice'")
        #expect(run("freeze").error?.message == "freeze needs an account name")
        #expect(run("freeze a b").error?.message == "freeze takes one account")
        #expect(run("drop-account nobody\u{1}").error?.message == "no account named 'nobody'")
        store.failing = true
        #expect(run("drop-account bob").error?.message.hasPrefix("the state database refused the change") == true)
        #expect(run("freeze bob").error != nil && host.chat.accounts["bob"]?.frozen == false)
        #expect(store.rows["bob"] != nil)
    }
}
