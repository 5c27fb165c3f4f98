import ChatProtocol

extension HumanConversation {
    /// The input row's prompt in character mode: the question being answered (nickname,
    /// password), else where a line goes (`[#lobby] `), or `> ` in no channel.
    var inputPrompt: String {
        if let name = passwordFor { return HumanText.askPassword(for: name) }
        if nickServAsking != nil { return HumanText.askAccountPassword }
        switch stage {
        case .greeting, .askingNick: return HumanText.askNick
        case .registering: return ""
        case .joining, .chatting: return currentChannel.map { "[\($0)] " } ?? "> "
        }
    }
}
