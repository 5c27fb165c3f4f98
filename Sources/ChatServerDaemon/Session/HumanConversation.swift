import ChatPOSIX
import ChatProtocol

/// A person on telnet, nc or PuTTY: greeted, asked for a nickname, then every line is a
/// message to the current channel and `/commands` do the rest.
final class HumanConversation: Conversation {
    /// The session owns this conversation and outlives it (see `IRCConversation.session`).
    unowned(unsafe) let session: SessionProcess
    enum Stage { case greeting, askingNick, registering(String), joining, chatting }
    private var heldLines: [String] = []
    var stage = Stage.greeting
    var nick = "*"
    var currentChannel: String? {
        didSet { currentChannelBytes = currentChannel.map { Array($0.utf8) } }
    }
    private var currentChannelBytes: [UInt8]?
    private var stamp = MinuteStamp()
    var channels: [String] = []  // joined, in join order
    var utcOffset: Int { session.utcOffset }

    init(session: SessionProcess) { self.session = session }

    var isRegistered: Bool {
        switch stage {
        case .joining, .chatting: return true
        default: return false
        }
    }

    func start() {
        guard case .greeting = stage else { return }
        for l in HumanText.greeting(serverName: session.config.serverName) { session.sendLine(l) }
        askNick()
    }

    private func askNick() {
        stage = .askingNick
        session.sendRaw(HumanText.askNick)
    }

    func ping() {}

    func overlongLine() {
        if case .greeting = stage { start() }
        session.sendLine("!! Your line was too long (over \(session.config.maxLineLength) bytes) and was dropped.")
    }

    func line(_ bytes: [UInt8]) {
        let text = TextSafety.repairUTF8(bytes)
        switch stage {
        case .greeting:
            // Typed before the greeting: take it as the answer to the nickname question.
            start()
            chooseNick(text)
        case .askingNick:
            chooseNick(text)
        case .registering, .joining:
            // Typed ahead before the welcome and the first join: said once we are in.
            if heldLines.count < 32 { heldLines.append(text) }
        case .chatting:
            command(text)
        }
    }

    private func chooseNick(_ text: String) {
        let candidate = text.trimmingSpaces
        if candidate.isEmpty { return askNick() }
        guard Names.isValidNick(candidate, maxLength: 30) else {
            session.sendLine(HumanText.nickInvalid(TextSafety.sanitize(candidate)))
            return askNick()
        }
        stage = .registering(candidate)
        session.request(.register(nick: candidate, user: candidate, realName: "telnet user"))
    }

    private func command(_ text: String) {
        let input = HumanInput.parse(text)
        if case .join(let name) = input, let joined = channels.first(where: { CaseMapping.ascii.equal($0, name) }) {
            // Already a member: the hub would ignore the join, but /join still means "talk
            // here now".
            currentChannel = joined
            return session.sendLine(HumanText.nowCurrent(joined))
        }
        switch input {
        case .empty: return
        case .help(let topic):
            for l in topic.map({ HumanText.help(command: $0) }) ?? HumanText.help { session.sendLine(l) }
        case .quit(let reason):
            session.sendLine("*** Goodbye!")
            session.close(reason: reason.map { "Quit: \($0)" } ?? "Quit")
        case .usage(let message), .unknownCommand(let message):
            session.sendLine(message)
        default:
            guard let request = input.request(currentChannel: currentChannel) else {
                return session.sendLine(HumanText.notInChannel)
            }
            // Long lines go out as several messages so IRC users receive all of them.
            if case .message(let kind, let target, let body) = request, body.utf8.count > 400 {
                for part in IRCMessage.splitText(body, maxBytes: 400) {
                    session.request(.message(kind: kind, target: target, text: part))
                }
            } else {
                session.request(request)
            }
        }
    }

    func fastMessage(_ m: MessageView) -> Bool {
        guard isRegistered else { return false }
        return session.toClient.append {
            appendHumanChannelMessage(m, currentChannel: currentChannelBytes, utcOffsetSeconds: utcOffset,
                                      stamp: &stamp, to: &$0)
        }
    }

    func event(_ event: HubEvent) {
        switch event {
        case .welcome(let w):
            nick = w.nick
            stage = .joining
            show(event)
            session.request(.join(channels: ["#lobby"]))
            return
        case .error(let code, _, _):
            if case .registering = stage, code == .nicknameInUse || code == .erroneousNickname || code == .noNicknameGiven {
                show(event)
                return askNick()
            }
        case .nick(let source, let newNick):
            if equalsNick(nickOf(source)) {
                // Rendered while the old nick is still ours: "You are now known as …".
                show(event)
                nick = newNick
                return
            }
        case .join(let channel, let source):
            if equalsNick(nickOf(source)) {
                if !channels.contains(channel) { channels.append(channel) }
                currentChannel = channel
                if case .joining = stage {
                    stage = .chatting
                    show(event)
                    let held = heldLines
                    heldLines = []
                    for l in held { command(l) }
                    return
                }
            }
        case .part(let channel, let source, _):
            if equalsNick(nickOf(source)) { show(event); return leave(channel) }
        case .kick(let channel, _, let target, _):
            if equalsNick(target[...]) { show(event); return leave(channel) }
        default:
            break
        }
        show(event)
    }

    /// Out of `channel` (parted or kicked): if it was the current one, the user is told where
    /// their next line goes, so it never lands somewhere unannounced.
    private func leave(_ channel: String) {
        channels.removeAll { $0 == channel }
        guard currentChannel == channel else { return }
        currentChannel = channels.last
        session.sendLine(currentChannel.map(HumanText.nowCurrent) ?? HumanText.inNoChannelNow)
    }

    private func equalsNick(_ other: Substring) -> Bool {
        CaseMapping.ascii.equal(String(other), nick)
    }

    private func show(_ event: HubEvent) {
        let context = HumanRenderContext(nick: nick, currentChannel: currentChannel,
                                         serverName: session.config.serverName, utcOffsetSeconds: utcOffset)
        for l in renderHuman(event, context: context) {
            session.sendLine(TextSafety.stripIRCFormatting(l))
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
