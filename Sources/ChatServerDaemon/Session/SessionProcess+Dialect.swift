import ChatProtocol

extension SessionProcess {
    /// The first line a client sends decides its dialect: an IRC registration command makes
    /// it an IRC client; anything else, or a quiet period with nothing, a person.
    func decideDialect(firstLine: [UInt8]?) {
        guard !dialectDecided else { return }
        dialectDecided = true
        let conversation: Conversation
        if let firstLine, IRCInput.startsRegistration(firstLine) {
            let irc = IRCConversation(serverName: config.serverName, about: config.about)
            if config.stsPort != 0 { irc.stsPolicy = "port=\(config.stsPort)" }
            // A secure connection gets the persistence policy (sts's duration=, 0 included).
            if config.tlsPort != 0 { irc.stsPolicy = "duration=\(config.stsDuration)" }
            irc.hasClientCertificate = tls?.clientCertificate != nil
            conversation = irc
        } else {
            conversation = HumanConversation(serverName: config.serverName, maxLineLength: config.maxLineLength,
                                             utcOffset: utcOffset)
        }
        self.conversation = conversation
        // Line editing (BS, DEL) is for terminals; an IRC client's bytes are data.
        if framer.editing != conversation.usesTelnet {
            framer = LineFramer(maxLineLength: config.maxLineLength, editing: conversation.usesTelnet)
        }
        output.request(.hello(dialect: conversation.dialect))
        conversation.start(output: &output)
    }
}
