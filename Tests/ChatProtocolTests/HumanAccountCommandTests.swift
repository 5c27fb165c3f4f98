import ChatProtocol
import Testing

/// `/register`, `/identify`, `/logout`: NickServ's commands, sent to it as private messages.
@Suite(.serialized, .compute) struct HumanAccountCommandTests {
    @Test func accountCommandsBecomeMessagesToNickServ() {
        #expect(HumanInput.parse("/register sesame1") == .nickServ("REGISTER sesame1"))
        #expect(HumanInput.parse("/IDENTIFY  sesame1 ") == .nickServ("IDENTIFY sesame1"))
        #expect(HumanInput.parse("/identify alice sesame1") == .nickServ("IDENTIFY alice sesame1"))
        #expect(HumanInput.parse("/logout now") == .nickServ("LOGOUT"))
        #expect(HumanInput.parse("/regain alice") == .nickServ("REGAIN alice"))
        #expect(HumanInput.parse("/regain  alice sesame1 ") == .nickServ("REGAIN alice sesame1"))
        #expect(HumanInput.parse("/regain") == .usage("!! Usage: /regain NICK [PASSWORD]"))
        #expect(HumanInput.parse("/regain a b c") == .usage("!! Usage: /regain NICK [PASSWORD]"))
        #expect(HumanInput.nickServ("LOGOUT").request(currentChannel: nil)
                == .message(kind: .privmsg, target: "NickServ", text: "LOGOUT"))
    }

    @Test func withoutThePasswordTheSessionAsksForIt() {
        #expect(HumanInput.parse("/register") == .nickServAskingPassword("REGISTER"))
        #expect(HumanInput.parse("/identify ") == .nickServAskingPassword("IDENTIFY"))
        #expect(HumanInput.nickServAskingPassword("REGISTER").request(currentChannel: "#lobby") == nil)
    }

    @Test func anExtraWordIsAUsageHint() {
        #expect(HumanInput.parse("/register two words") == .usage("!! Usage: /register [PASSWORD]"))
        #expect(HumanInput.parse("/identify a b c") == .usage("!! Usage: /identify [PASSWORD]"))
        #expect(HumanText.help(command: "register").contains { $0.contains("5 to 300 bytes") })
    }
}
