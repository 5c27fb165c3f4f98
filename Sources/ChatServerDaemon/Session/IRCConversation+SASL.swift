import ChatProtocol

/// SASL (`AUTHENTICATE`, IRCv3 sasl-3.1/3.2), PLAIN and EXTERNAL: the exchange is
/// `SASLExchange`'s; the login goes to the hub, whose password worker checks it (PLAIN) or
/// which finds the account holding the client's certificate (EXTERNAL), and its `saslResult` comes
/// back as 903, 904 or 907 (after 900 on success). Registration does not wait here: a CAP END
/// right after the payload sends the registration at once, and the hub holds it until the
/// check is done, so the client sees 900/903 before 001.
extension IRCConversation {
    func authenticate(_ parameter: String, _ output: inout SessionOutput) {
        guard capabilities.contains(.sasl) else {
            return numeric(904, [], "SASL authentication failed: the sasl capability is not enabled", &output)
        }
        // Logged in already: 907 at once (the hub would say the same after the payload).
        if loggedIn && !sasl.isUnderWay && parameter != "*" {
            return numeric(907, [], "You have already authenticated using SASL", &output)
        }
        // EXTERNAL without a certificate fails at once, saying why (both are always offered,
        // as Ergo does: the capability is the same on every port).
        if !sasl.isUnderWay && parameter.uppercased() == "EXTERNAL" && !hasClientCertificate {
            return numeric(904, [], "SASL authentication failed: you presented no TLS client certificate", &output)
        }
        switch sasl.receive(parameter) {
        case .challenge:
            send(IRCMessage(command: "AUTHENTICATE", params: ["+"]), &output)
        case .more:
            break
        case .login(let account, let password):
            output.request(.authenticate(account: account, password: password))
        case .external(let account):
            output.request(.authenticateExternal(account: account))
        case .failed:
            numeric(904, [], "SASL authentication failed", &output)
        case .tooLong:
            numeric(905, [], "SASL message too long", &output)
        case .aborted:
            numeric(906, [], "SASL authentication aborted", &output)
        case .unknownMechanism:
            numeric(908, [SASLExchange.mechanisms], "are available SASL mechanisms", &output)
            numeric(904, [], "SASL authentication failed", &output)
        }
    }
}
