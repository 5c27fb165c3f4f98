extension IRCConversation {
    /// Where the client is in registration.
    enum Stage: Equatable {
        /// NICK, USER and CAP negotiation under way; nothing has gone to the hub yet. Commands
        /// that need registration are answered 451.
        case connecting(Registration)
        /// A register request is with the hub. NICK, USER or CAP END may send another (after a
        /// 433, say); other commands are held (`heldLines`) until the welcome.
        case awaitingWelcome(Registration)
        /// The hub welcomed the client.
        case registered
    }

    /// What the client has said towards registration so far.
    struct Registration: Equatable {
        var nick: String?
        var user: String?
        var realName = ""
        /// CAP LS or REQ came and CAP END did not yet: registration waits for it.
        var capNegotiating = false
    }
}
