import ChatProtocol

/// SASL while registering (IRCv3 sasl-3.1/3.2): with a login configured (`config.sasl`),
/// `sasl` is requested when the server offers it with our mechanism, `AUTHENTICATE` carries
/// the login, and `CAP END` waits for the verdict (903, or 902/904-907), so that the login
/// is done before the welcome. Whatever goes wrong is said in the server window and
/// registration goes on, not logged in: a server without SASL never leaves us waiting. The
/// password goes to the server only, never to the screen or a log.
extension ClientState {
    /// Whether to request `sasl` after a `CAP LS` line (`offered`: its capability words with
    /// their values; `more`: another line follows). Says so when the server lacks it.
    mutating func saslWanted(_ offered: [Substring], more: Bool) -> Bool {
        guard let login = config.sasl, irc.sasl == .idle else { return false }
        if let word = offered.first(where: { $0 == "sasl" || $0.hasPrefix("sasl=") }) {
            let mechanisms = word.split(separator: "=", maxSplits: 1).dropFirst().first?.uppercased()
                .split(separator: ",").map(String.init)
            if let mechanisms, !mechanisms.contains(login.mechanism.rawValue) {
                irc.sasl = .done
                error("The server offers SASL \(mechanisms.joined(separator: ", ")), not \(login.mechanism.rawValue): not logged in.", window: 0)
                return false
            }
            irc.sasl = .requested
            return true
        }
        if !more {
            irc.sasl = .done
            error("The server offers no SASL: not logged in (sasl_mechanism is set).", window: 0)
        }
        return false
    }

    /// The server acknowledged capabilities: starts the login if `sasl` is among them; false
    /// when registration may end now (`CAP END`).
    mutating func saslAcknowledged(_ names: [String]) -> Bool {
        if irc.sasl == .requested, names.contains("sasl"), let login = config.sasl {
            irc.sasl = .authenticating
            emit(.send("AUTHENTICATE " + login.mechanism.rawValue))
            return true
        }
        return irc.sasl == .authenticating
    }

    /// The server refused capabilities we asked for (`CAP NAK`), sasl among them.
    mutating func saslRefused(_ names: [String]) {
        guard irc.sasl == .requested, names.contains("sasl") else { return }
        irc.sasl = .done
        error("The server refused the sasl capability: not logged in.", window: 0)
    }

    /// `AUTHENTICATE +`: the server waits for the login.
    mutating func handleAuthenticate(_ m: IRCMessage) {
        guard irc.sasl == .authenticating, let login = config.sasl, m.params.first == "+" else { return }
        for line in login.payloadLines { emit(.send("AUTHENTICATE " + line)) }
    }

    /// The SASL numerics (900-908); false for every other.
    mutating func handleSASLNumeric(_ n: Int, _ m: IRCMessage) -> Bool {
        let text = m.params.last ?? ""
        switch n {
        case 900, 901:
            info(text, window: 0)
        case 903:
            info(text.isEmpty ? "Logged in with SASL." : text, window: 0)
            saslFinished()
        case 902, 904, 905, 906:
            let hint = config.sasl?.mechanism == .external
                ? "is tls_cert's certificate added to your account (NickServ CERT ADD)?"
                : "check sasl_username and sasl_password"
            error("SASL login failed: \(text.isEmpty ? String(n) : text) (\(hint)); registering without logging in.", window: 0)
            saslFinished()
        case 907:
            info(text, window: 0)
            saslFinished()
        case 908:
            if m.params.count >= 3 { info("The server's SASL mechanisms: \(m.params[1])", window: 0) }
        default:
            return false
        }
        return true
    }

    /// The login is over (either way): registration goes on.
    private mutating func saslFinished() {
        guard irc.sasl == .authenticating else { return }
        irc.sasl = .done
        emit(.send("CAP END"))
    }

    /// The welcome came without any SASL (a server that answered no `CAP LS`): say so once.
    mutating func saslWelcomed() {
        guard config.sasl != nil, irc.sasl == .idle else { return }
        irc.sasl = .done
        error("The server offers no SASL (it did not answer CAP LS): not logged in.", window: 0)
    }
}
