import ChatProtocol
import Testing
import TestSupport
@testable import ChatServerDaemon

/// The order a client can trust, in-process: a line that depends on answers the hub has not
/// given yet waits for a sync (docs/PROTOCOL.md, "Ordering"); one that does not goes at once.
@Suite(.serialized, .compute) struct ConversationOrderingTests {
    static let bob = "bob!bob@127.0.0.1"

    /// A person chatting in #lobby as `bob`, output drained, the two requests so far
    /// answered; from here the hub answers syncs only when the test says so.
    func person() -> ConversationDriver {
        let c = ConversationDriver.human()
        c.type("bob")
        c.hub(ConversationDriver.welcome("bob"))
        c.hub(.join(channel: "#lobby", source: Self.bob))
        c.type("/help")  // waits for the answers so far: a sync, answered at once
        _ = c.received()
        _ = c.requests()
        c.hubAnswersAtOnce = false
        return c
    }

    /// An IRC client registered as `bob`, output drained, every request so far answered.
    func ircClient() -> ConversationDriver {
        let c = ConversationDriver.irc()
        c.type(["NICK bob", "USER bob 0 * :Bob"])
        c.hub(ConversationDriver.welcome("bob"))
        _ = c.received()
        _ = c.requests()
        c.hubAnswersAtOnce = false
        c.type("PING :settle")  // waits for the registration's answers: a sync
        c.answerSync()
        _ = c.received()
        _ = c.requests()
        return c
    }

    @Test func aLineAfterAJoinWaitsForItAndGoesToTheNewChannel() {
        let c = person()
        c.type(["/join #private", "secret line"])
        #expect(c.requests(syncs: true) == [.join(channels: ["#private"]), .sync(token: 3)])
        c.hub(.join(channel: "#private", source: Self.bob))
        #expect(c.requests().isEmpty, "not before the sync's answer")
        c.answerSync()
        #expect(c.requests() == [.message(kind: .privmsg, target: "#private", text: "secret line")])
    }

    @Test func aRefusedJoinLeavesLinesWhereTheyWere() {
        let c = person()
        c.type(["/join #banned", "still here"])
        c.hub(.error(code: .bannedFromChannel, params: ["#banned"], text: "Cannot join channel (+b)"))
        c.answerSync()
        #expect(c.requests() == [.join(channels: ["#banned"]), .message(kind: .privmsg, target: "#lobby", text: "still here")])
    }

    @Test func topicAndPartAfterAJoinMeanTheNewChannel() {
        let c = person()
        c.type(["/join #new", "/topic fresh", "/part", "back in the lobby"])
        #expect(c.requests() == [.join(channels: ["#new"])])
        c.hub(.join(channel: "#new", source: Self.bob))
        c.answerSync()
        #expect(c.requests() == [.topic(channel: "#new", text: "fresh"), .part(channels: ["#new"], reason: "")])
        c.hub(.part(channel: "#new", source: Self.bob, reason: ""))
        c.answerSync()
        #expect(c.requests() == [.message(kind: .privmsg, target: "#lobby", text: "back in the lobby")])
    }

    @Test func ordinaryLinesAndPrivateMessagesGoAtOnce() {
        let c = person()
        c.type(["hello", "/msg alice psst", "/me waves", "more"])
        #expect(c.requests(syncs: true) == [
            .message(kind: .privmsg, target: "#lobby", text: "hello"),
            .message(kind: .privmsg, target: "alice", text: "psst"),
            .message(kind: .action, target: "#lobby", text: "waves"),
            .message(kind: .privmsg, target: "#lobby", text: "more"),
        ])
    }

    @Test func aPersonsHelpWaitsForTheAnswersBeforeIt() {
        let c = person()
        c.type(["/names", "/help"])
        #expect(c.requests(syncs: true) == [.names(channel: "#lobby"), .sync(token: 3)])
        #expect(c.received().isEmpty)
        c.hub(.names(channel: "#lobby", members: [Member(nick: "bob", isOperator: false)]))
        c.answerSync()
        let lines = c.received()
        #expect(lines.first?.hasPrefix("-- In #lobby") == true && Array(lines.dropFirst()) == HumanText.help)
    }

    @Test func aPersonsGoodbyeComesAfterTheHubHasTheQuit() {
        let c = person()
        c.type("/quit bye")
        #expect(c.requests(syncs: true) == [.quit(reason: "Quit: bye"), .sync(token: 3)])
        #expect(c.received().isEmpty && c.closing == nil)
        c.answerSync()
        #expect(c.received() == ["*** Goodbye!"])
        #expect(c.closing == "Quit: bye")
        #expect(c.requests().isEmpty, "the quit went once")
    }

    @Test func linesTypedAheadOfTheLobbyGoThroughTheSameRules() {
        let c = ConversationDriver.human()
        c.hubAnswersAtOnce = false
        c.type(["bob", "/join #private", "secret line"])
        c.hub(ConversationDriver.welcome("bob"))
        c.hub(.join(channel: "#lobby", source: Self.bob))
        #expect(c.requests() == [.register(nick: "bob", user: "bob", realName: "telnet user"),
                                 .join(channels: ["#lobby"]), .join(channels: ["#private"])])
        c.hub(.join(channel: "#private", source: Self.bob))
        c.answerSync()
        #expect(c.requests() == [.message(kind: .privmsg, target: "#private", text: "secret line")])
    }

    @Test func pingWaitsForTheRepliesToWhatCameBefore() {
        let c = ircClient()
        c.type(["NAMES #lobby", "WHOIS alice", "PING :tok"])
        #expect(c.requests(syncs: true) == [.names(channel: "#lobby"), .whois(nick: "alice"), .sync(token: 3)])
        #expect(c.received().isEmpty)
        c.hub(.names(channel: "#lobby", members: []))
        c.answerSync()
        let lines = c.received()
        #expect(lines.last == ":chat.test PONG chat.test tok")
        #expect(lines.contains { $0.contains(" 366 ") })
    }

    @Test func everyLocalAnswerWaits() {
        for line in ["PING :x", "VERSION", "CAP LS", "FOO", "JOIN", "PRIVMSG a,b,c,d,e :x"] {
            let c = ircClient()
            c.type(["LIST", line])
            #expect(c.requests(syncs: true).last == .sync(token: 2), "\(line)")
            #expect(c.received().isEmpty, "\(line)")
            c.answerSync()
            #expect(!c.received().isEmpty, "\(line)")
        }
        let c = ircClient()
        c.type("LIST")
        c.typeOverlong()
        #expect(c.received().isEmpty)
        c.answerSync()
        #expect(c.received() == [":chat.test 417 bob :Input line was too long"])
    }

    @Test func withNothingOutstandingLocalAnswersAndMessagesGoAtOnce() {
        let c = ircClient()
        c.type(["VERSION", "PRIVMSG #lobby :hi", "PRIVMSG #lobby :again"])
        let got = c.received()
        #expect(got.first?.hasPrefix(":chat.test 351 bob ") == true && !got.isEmpty, "\(got)")
        #expect(c.requests(syncs: true) == [.message(kind: .privmsg, target: "#lobby", text: "hi"),
                                            .message(kind: .privmsg, target: "#lobby", text: "again")])
    }

    /// A PING is a barrier: the hub may hold lines for the delivery tick and sends them with
    /// any answer, so the PONG waits for a sync asked after the PING came, and the lines after
    /// it wait with it.
    @Test func aPingWaitsForASyncAskedAfterIt() {
        let c = ircClient()
        c.type(["PING :a", "PRIVMSG #lobby :hi"])
        #expect(c.received().isEmpty)
        let asked = c.requests(syncs: true)
        #expect(asked.count == 1 && { if case .sync = asked[0] { true } else { false } }(), "\(asked)")
        c.hub(.message(source: "alice!a@h", kind: .privmsg, target: "#lobby", text: "held for the tick", time: 0))
        c.answerSync()
        #expect(c.received() == [":alice!a@h PRIVMSG #lobby :held for the tick", ":chat.test PONG chat.test a"])
        #expect(c.requests(syncs: true) == [.message(kind: .privmsg, target: "#lobby", text: "hi")])
    }

    /// A PING waiting behind other lines asks for its own sync once it is handed on: the one
    /// they waited for was asked before it, and its answer may have left the hub before what
    /// the PING must follow.
    @Test func aPingBehindOtherLinesAsksForItsOwnSync() {
        let c = ircClient()
        c.type(["JOIN #b", "VERSION", "PING :b"])  // VERSION waits for the JOIN's answers
        #expect(c.output.pendingSync != nil && c.received().isEmpty)
        c.answerSync()
        let first = c.received()
        #expect(first.contains { $0.hasPrefix(":chat.test 351 bob ") } && !first.contains { $0.contains("PONG") }, "\(first)")
        #expect(c.output.pendingSync != nil)
        c.answerSync()
        #expect(c.received() == [":chat.test PONG chat.test b"])
    }

    @Test func errorComesAfterTheHubHasTheQuit() {
        let c = ircClient()
        c.type(["QUIT :bye", "PRIVMSG #lobby :never"])
        #expect(c.requests(syncs: true) == [.quit(reason: "Quit: bye"), .sync(token: 2)])
        #expect(c.received().isEmpty && c.closing == nil)
        c.answerSync()
        #expect(c.received() == ["ERROR :Closing Link: Quit: bye"])
        #expect(c.closing == "Quit: bye")
        #expect(c.requests().isEmpty)
    }

    @Test func aStrayOrRepeatedSyncAnswerIsIgnored() {
        var output = SessionOutput(queueLimit: 1 << 10)
        output.request(.list(channels: []))
        output.requestSync()
        output.requestSync()  // one at a time
        output.synced(7)
        #expect(output.pendingSync == 1 && output.awaitingAnswers)
        output.synced(1)
        #expect(output.pendingSync == nil && !output.awaitingAnswers)
        output.synced(1)
        #expect(!output.awaitingAnswers)
    }
}
