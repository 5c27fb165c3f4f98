import Testing
import TestSupport
@testable import ChatProtocol

/// `IRCInput.parse`: one command table decides who may send a command, how many parameters it
/// needs and which error answers too few.
@Suite(.serialized, .compute) struct IRCInputTests {
    func parse(_ line: String, registered: Bool = true) -> Result<IRCInput, IRCInputError> {
        let message = try! IRCMessage(parsing: line)
        return Result { () throws(IRCInputError) in try IRCInput.parse(message, registered: registered) }
    }

    @Test func commandsBecomeTypedInput() {
        let cases: [(String, IRCInput)] = [
            ("CAP LS 302", .capLS(version: 302)), ("CAP LS", .capLS(version: 0)), ("cap list", .capList), ("CAP REQ :server-time", .capReq("server-time")),
            ("CAP REQ", .capReq("")), ("CAP END", .capEnd),
            ("NICK bob", .nick("bob")), ("PING :a b", .ping(token: "a b")), ("PONG x", .pong),
            ("QUIT", .quit(reason: nil)), ("QUIT :bye", .quit(reason: "bye")),
            ("JOIN #a,#b", .join(channels: ["#a", "#b"])), ("JOIN 0", .partAll),
            ("PART #a :bye", .part(channels: ["#a"], reason: "bye")), ("PART #a", .part(channels: ["#a"], reason: "")),
            ("PRIVMSG a,#b :hi", .message(kind: .privmsg, targets: ["a", "#b"], text: "hi")),
            ("NOTICE a :hi", .message(kind: .notice, targets: ["a"], text: "hi")),
            ("PRIVMSG #a :\u{1}ACTION waves\u{1}", .message(kind: .action, targets: ["#a"], text: "waves")),
            ("PRIVMSG #a :\u{1}ACTION\u{1}", .message(kind: .privmsg, targets: ["#a"], text: "\u{1}ACTION\u{1}")),
            ("TOPIC #a", .topic(channel: "#a", text: nil)), ("TOPIC #a :", .topic(channel: "#a", text: "")),
            ("NAMES", .names(channels: nil)), ("NAMES #a,#b", .names(channels: ["#a", "#b"])),
            ("WHO", .who(mask: "*")), ("WHO #a o", .who(mask: "#a", options: WhoOptions(operatorsOnly: true))),
            ("WHOIS bob", .whois(server: nil, nicks: ["bob"])), ("WHOIS srv bob", .whois(server: "srv", nicks: ["bob"])),
            ("KICK #a b,c", .kick(channels: ["#a"], nicks: ["b", "c"], reason: "")),
            ("KICK #a,#b b,c :go", .kick(channels: ["#a", "#b"], nicks: ["b", "c"], reason: "go")),
            ("AWAY", .away(nil)), ("AWAY :", .away(nil)), ("AWAY :out", .away("out")),
            ("MODE #a +o b", .mode(target: "#a", args: ["+o", "b"])), ("MODE bob", .mode(target: "bob", args: [])),
            ("LIST", .list(channels: [])), ("LIST #a,#b", .list(channels: ["#a", "#b"])), ("MOTD", .motd), ("LUSERS", .lusers), ("VERSION x", .version),
            ("ISON a b", .ison(nicks: ["a", "b"])), ("ISON :a b", .ison(nicks: ["a", "b"])),
            ("USERHOST a b c d e f", .userhost(nicks: ["a", "b", "c", "d", "e"])),
        ]
        for (line, input) in cases {
            #expect(parse(line) == .success(input), "\(line)")
        }
        #expect(parse("USER u 0 * :Real Name", registered: false) == .success(.user(user: "u", realName: "Real Name")))
        #expect(parse("PASS x", registered: false) == .success(.pass))
    }

    @Test func whoMaySendWhat() {
        #expect(parse("JOIN #a", registered: false) == .failure(.notRegistered))
        #expect(parse("FOO", registered: false) == .failure(.notRegistered), "unknown before registration: 451")
        #expect(parse("FOO") == .failure(.unknownCommand("FOO")))
        #expect(parse("foo") == .failure(.unknownCommand("FOO")))
        #expect(parse("USER a b c d") == .failure(.alreadyRegistered))
        #expect(parse("USER") == .failure(.alreadyRegistered), "462 before 461")
        #expect(parse("PASS x") == .failure(.alreadyRegistered))
        for line in ["CAP LS", "NICK a", "PING x", "PONG", "QUIT"] {
            #expect((try? parse(line, registered: false).get()) != nil, "\(line)")
            #expect((try? parse(line, registered: true).get()) != nil, "\(line)")
        }
    }

    @Test func tooFewParameters() {
        #expect(parse("NICK") == .failure(.noNicknameGiven))
        #expect(parse("NICK :") == .failure(.noNicknameGiven))
        #expect(parse("PING") == .failure(.noOrigin))
        #expect(parse("PRIVMSG") == .failure(.noRecipient("PRIVMSG")))
        #expect(parse("PRIVMSG a") == .failure(.noTextToSend))
        #expect(parse("NOTICE a :") == .failure(.noTextToSend))
        #expect(parse("PASS", registered: false) == .failure(.needMoreParams("PASS")))
        #expect(parse("USER a b c", registered: false) == .failure(.needMoreParams("USER")))
        #expect(parse("KICK #a") == .failure(.needMoreParams("KICK")))
        #expect(parse("ISON : ") == .failure(.needMoreParams("ISON")))
        #expect(parse("CAP FOO") == .failure(.invalidCapCommand("FOO")))
        // Every row that needs parameters refuses a line without them, with its own error.
        for command in IRCCommand.all where command.minParams > 0 {
            let registered = command.access != .beforeRegistration
            guard case .failure(let error) = parse(command.name, registered: registered) else {
                Issue.record("\(command.name) without parameters")
                continue
            }
            #expect(error == command.missingError(given: 0), "\(command.name)")
        }
    }

    @Test func errorsAreAnsweredWithTheirNumerics() {
        #expect(IRCInputError.needMoreParams("JOIN").numeric == (461, ["JOIN"], "Not enough parameters"))
        #expect(IRCInputError.noRecipient("NOTICE").numeric == (411, [], "No recipient given (NOTICE)"))
        #expect(IRCInputError.noTextToSend.numeric == (412, [], "No text to send"))
        #expect(IRCInputError.noNicknameGiven.numeric == (431, [], "No nickname given"))
        #expect(IRCInputError.noOrigin.numeric == (409, [], "No origin specified"))
        #expect(IRCInputError.invalidCapCommand("X").numeric == (410, ["X"], "Invalid CAP command"))
        #expect(IRCInputError.alreadyRegistered.numeric == (462, [], "You may not reregister"))
        #expect(IRCInputError.notRegistered.numeric == (451, [], "You have not registered"))
        #expect(IRCInputError.unknownCommand("FOO").numeric == (421, ["FOO"], "Unknown command"))
    }

    @Test func theTableNamesEachCommandOnce() {
        let names = IRCCommand.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0 == $0.uppercased() })
    }

    @Test func aFirstLineThatStartsRegistration() {
        for line in ["CAP LS 302", "NICK bob", "user a 0 * :b", "PASS x", "  NICK bob", "Nick"] {
            #expect(IRCInput.startsRegistration(Array(line.utf8)), "\(line)")
        }
        for line in ["hello", "NICKNAME", "JOIN #a", "", "/nick bob", "bob"] {
            #expect(!IRCInput.startsRegistration(Array(line.utf8)), "\(line)")
        }
    }
}
