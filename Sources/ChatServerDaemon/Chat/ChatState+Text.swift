import ChatProtocol

/// Text from users: the one place where the strings a session hands the hub become safe to
/// keep and to show to others.
///
/// Two kinds of string arrive. Free text (messages, CTCP, reasons of every kind, topics, away
/// messages, real names, user names) is cleaned by `TextSafety.sanitize` (controls, escape
/// sequences, format characters out, separators made spaces, IRC formatting kept) and cut to
/// its limit here, in `accepted`, before any rule sees it. Names (nicks, channels, WHO and
/// WHOIS masks, mode arguments) are never rewritten, since a cleaned name would name
/// something else: a nick or channel that cannot be shown safely is refused (432, 403), and
/// wherever a reply echoes a name as the sender wrote it, it passes `shown(name:)`.
extension ChatState {
    /// `request` with its free text cleaned and cut to the server's limits.
    func accepted(_ request: HubRequest) -> HubRequest {
        switch request {
        case .message(let kind, let target, let text):
            return .message(kind: kind, target: target, text: clean(text, limit: Self.messageLimit))
        case .part(let list, let reason):
            return .part(channels: list, reason: clean(reason, limit: settings.kickLength))
        case .topic(let channel, let text?):
            return .topic(channel: channel, text: clean(text, limit: settings.topicLength))
        case .kick(let channel, let nick, let reason):
            return .kick(channel: channel, nick: nick, reason: clean(reason, limit: settings.kickLength))
        case .away(let text?):
            return .away(text: clean(text, limit: settings.awayLength))
        case .quit(let reason):
            return .quit(reason: clean(reason, limit: settings.quitLength))
        case .register(let nick, let user, let realName):
            return .register(nick: nick, user: userName(user, fallback: nick), realName: clean(realName, limit: Self.realNameLimit))
        case .kill(let nick, let reason):
            return .kill(nick: nick, reason: clean(reason, limit: settings.kickLength))
        case .wallops(let text):
            return .wallops(text: clean(text, limit: Self.messageLimit))
        case .taggedMessage(let kind, let target, let text, let tags):
            return .taggedMessage(kind: kind, target: target, text: clean(text, limit: Self.messageLimit),
                                  tags: ClientTags.isWellFormed(tags) ? tags : "")
        case .tagMessage(let target, let tags):
            return .tagMessage(target: target, tags: ClientTags.isWellFormed(tags) ? tags : "")
        case .setName(let realName):
            return .setName(realName: clean(realName, limit: Self.realNameLimit))
        case .tlsSign:
            return request
        case .tlsInfo(let version, let cipher, let certificate):
            return .tlsInfo(version: Self.tlsWord(version), cipher: Self.tlsWord(cipher),
                            certificate: Self.certificateFingerprint(certificate) ?? "")
        // A password is compared, never shown: it goes to the check as typed.
        case .hello, .nick, .join, .topic, .names, .who, .whois, .away, .mode, .list, .motd, .lusers, .invitations, .ison, .userhost, .sync,
             .whowas, .invite, .monitor, .oper, .capabilities, .chatHistory, .authenticate, .authenticateExternal:
            return request
        }
    }

    /// The longest message text, in bytes (a frame holds it with room to spare).
    static let messageLimit = 4096
    /// The longest real name, in bytes.
    static let realNameLimit = 100

    /// Text that reaches other people's terminals: controls and escapes out, length capped.
    func clean(_ text: String, limit: Int) -> String {
        var s = TextSafety.sanitize(text, keepIRCFormatting: true)
        if s.utf8.count > limit {
            s = IRCMessage.splitText(s, maxBytes: limit).first ?? ""
        }
        return s
    }

    /// A name as a reply's parameter, echoing what the user sent (a refused nick, a channel
    /// that does not exist, a WHO mask), made safe to show: nothing `sanitize` removes, no
    /// spaces (they would split an IRC parameter), at most 64 scalars (a character may hold
    /// any number of combining marks), not empty and not starting with `:`. A valid nick or
    /// channel name comes back as it is.
    func shown(name: String) -> String {
        if name.utf8.count <= 64, let first = name.utf8.first, first != UInt8(ascii: ":"),
           !name.utf8.contains(UInt8(ascii: " ")), TextSafety.isSafe(name) {
            return name
        }
        let cut = String(String.UnicodeScalarView(name.unicodeScalars.prefix(64)))
        let s = String(TextSafety.sanitize(cut).map { $0 == " " ? "_" : $0 })
        return s.isEmpty || s.hasPrefix(":") ? "*" : s
    }

    /// A user (ident) name as `nick!user@host` shows it: printable ASCII but `@` and `!`, at
    /// most 16; the nick when nothing is left.
    func userName(_ user: String, fallback: String) -> String {
        let kept = user.unicodeScalars.filter { $0.isASCII && $0.value > 0x20 && $0.value != 0x7F && $0 != "@" && $0 != "!" }
        let s = String(String.UnicodeScalarView(kept.prefix(16)))
        return s.isEmpty ? String(fallback.prefix(16)) : s
    }
}
