import ChatProtocol

/// A person on telnet, nc or PuTTY: greeted, asked for a nickname, then every line is a
/// message to the current channel and `/commands` do the rest.
final class HumanConversation: Conversation {
    let serverName: String
    /// The longest line the session takes, for the message that says so.
    let maxLineLength: Int
    /// The server's offset from UTC, for timestamps (see `SessionProcess.utcOffset`).
    let utcOffset: Int
    /// Where the person is: not yet greeted, asked for a nickname, that nickname with the hub,
    /// welcomed and joining `#lobby`, talking.
    enum Stage { case greeting, askingNick, registering(String), joining, chatting }
    var stage = Stage.greeting
    /// The number of the last join or part request (`SessionOutput.requestsSent`): until the
    /// hub has answered it, which channel is current, so where a line goes, is not settled.
    private var channelChange: UInt64 = 0
    var nick = "*"
    /// The bytes of our `user@host` but the `@`, from the welcome: what our messages' IRC
    /// prefix holds besides the nick.
    private var addressLength = 0
    var currentChannel: String? {
        didSet { currentChannelBytes = currentChannel.map { Array($0.utf8) } }
    }
    private var currentChannelBytes: [UInt8]?
    private var stamp = MinuteStamp()
    /// `/oper NAME` asked for a password: the next line is it, for this operator block.
    private(set) var passwordFor: String?
    /// The NickServ command (`REGISTER`, `IDENTIFY`) whose password is being typed, hidden.
    private(set) var nickServAsking: String?
    var channels: [String] = []  // joined, in join order
    /// The client is in character mode (`HumanConversation+CharacterMode`): the hub echoes
    /// its messages, shown like everyone else's, and the fast path is not taken.
    var characterMode = false
    /// Its terminal has colour, and `/colour` did not turn it off.
    var colourCapable = false
    var colourWanted = true
    /// In character mode, who is in the current channel, for Tab (at most `maxNicksHere`).
    var nicksHere: [String] = []

    init(serverName: String, maxLineLength: Int, utcOffset: Int) {
        self.serverName = serverName
        self.maxLineLength = maxLineLength
        self.utcOffset = utcOffset
    }

    var dialect: Dialect { .human }
    var usesTelnet: Bool { true }
    var pingsIdleClient: Bool { false }

    var isRegistered: Bool {
        switch stage {
        case .joining, .chatting: return true
        default: return false
        }
    }

    func start(output: inout SessionOutput) {
        guard case .greeting = stage else { return }
        for l in HumanText.greeting(serverName: serverName) { output.sendLine(l) }
        askNick(&output)
    }

    private func askNick(_ output: inout SessionOutput) {
        stage = .askingNick
        output.sendRaw(HumanText.askNick)
    }

    func ping(output: inout SessionOutput) {}

    func overlongLine(output: inout SessionOutput) -> Bool {
        if output.awaitingAnswers { return false }
        if case .greeting = stage { start(output: &output) }
        output.sendLine("!! Your line was too long (over \(maxLineLength) bytes) and was dropped.")
        return true
    }

    func farewell(_ why: Farewell) -> String { Self.farewell(why) }

    /// Also for a client whose dialect is not decided yet: until it says otherwise, a person.
    static func farewell(_ why: Farewell) -> String {
        switch why {
        case .registrationTimeout: return "*** Disconnected: you did not choose a nickname in time."
        case .pingTimeout: return "*** Disconnected: no answer in time."  // not sent: a person is not pinged
        case .serverShuttingDown: return "*** The server is shutting down. Goodbye!"
        case .excessFlood: return "*** Disconnected: you sent too much too fast (excess flood)."
        case .hubLost(let why): return "*** Disconnected: \(why). Sorry!"
        }
    }

    func line(_ bytes: [UInt8], output: inout SessionOutput) -> Bool {
        switch stage {
        case .greeting:
            // Typed before the greeting: take it as the answer to the nickname question.
            start(output: &output)
            chooseNick(TextSafety.repairUTF8(bytes), &output)
        case .askingNick:
            chooseNick(TextSafety.repairUTF8(bytes), &output)
        case .registering, .joining:
            // Typed ahead before the welcome and the first join: said once we are in.
            output.hold(bytes)
        case .chatting:
            // After a /join or /part the hub has not answered, the line waits: it goes where
            // the user will be, never to a channel they are leaving.
            guard output.answered(channelChange) else { return false }
            return command(TextSafety.repairUTF8(bytes), &output)
        }
        return true
    }

    private func chooseNick(_ text: String, _ output: inout SessionOutput) {
        let candidate = String(Substring(text).trimming(while: Character.isSpaceOrTab))
        if candidate.isEmpty { return askNick(&output) }
        guard Names.isValidNick(candidate, maxLength: 30) else {
            output.sendLine(HumanText.nickInvalid(TextSafety.sanitize(candidate)))
            return askNick(&output)
        }
        stage = .registering(candidate)
        output.request(.register(nick: candidate, user: candidate, realName: "telnet user"))
    }

    /// The password asked for (/oper, /register, /identify), typed unseen: never parsed as a
    /// line or a command. Echo comes back on; nil, and `refusal` said, when it is empty.
    private func typedPassword(_ text: String, else refusal: String, _ output: inout SessionOutput) -> String? {
        output.hideInput(false)
        // In line mode the client echoed nothing, not even the Enter; in character mode the
        // input row already moved on.
        if !characterMode { output.sendLine("") }
        let password = String(text[...].trimming(while: { $0.isWhitespace }))
        if password.isEmpty { output.sendLine(refusal) }
        return password.isEmpty ? nil : password
    }

    /// A line typed while chatting; false when it is answered here and the hub's answers to
    /// earlier lines may still be coming (it waits for them).
    private func command(_ text: String, _ output: inout SessionOutput) -> Bool {
        if let command = nickServAsking {
            nickServAsking = nil
            if let password = typedPassword(text, else: HumanText.noAccountPassword, &output) {
                output.request(.message(kind: .privmsg, target: "NickServ", text: command + " " + password))
            }
            return true
        }
        if let name = passwordFor {
            passwordFor = nil
            if let password = typedPassword(text, else: HumanText.noPassword, &output) {
                output.request(.oper(name: name, password: password))
            }
            return true
        }
        let input = HumanInput.parse(text)
        if case .empty = input { return true }
        if case .quit(let reason) = input {
            return output.quit(reason: reason.map { "Quit: \($0)" } ?? "Quit", farewell: "*** Goodbye!")
        }
        var alreadyIn: String?
        switch input {
        case .join(let name), .joinKeyed(let name, _): alreadyIn = channels.first(where: { CaseMapping.ascii.equal($0, name) })
        default: break
        }
        let request = alreadyIn == nil ? input.request(currentChannel: currentChannel) : nil
        // Answered here (help, a usage hint, "not in a channel"): after what the hub says first.
        if request == nil && output.awaitingAnswers { return false }
        if let joined = alreadyIn {
            // Already a member: the hub would ignore the join, but /join still means "talk
            // here now".
            currentChannel = joined
            output.sendLine(HumanText.nowCurrent(joined))
            return true
        }
        switch input {
        case .oper(let name, nil):
            passwordFor = name
            output.sendRaw(HumanText.askPassword(for: name))
            output.hideInput(true)
        case .nickServAskingPassword(let command):
            nickServAsking = command
            output.sendRaw(HumanText.askAccountPassword)
            output.hideInput(true)
        case .help(let topic):
            for l in topic.map({ HumanText.help(command: $0) }) ?? HumanText.help { output.sendLine(l) }
        case .colour(let on):
            setColour(on, &output)
        case .usage(let message), .unknownCommand(let message):
            output.sendLine(message)
        default:
            guard let request else {
                output.sendLine(HumanText.notInChannel)
                return true
            }
            // A long line goes out as several messages, each of which fits an IRC line with
            // its prefix, as IRC clients split their users' long lines: IRC readers, whose
            // server cuts a message to one line, then get all of it.
            if case .message(let kind, let target, let body) = request, body.utf8.count > messageRoom(kind, target) {
                for part in IRCMessage.splitText(body, maxBytes: messageRoom(kind, target)) {
                    output.request(.message(kind: kind, target: target, text: part))
                }
            } else {
                output.request(request)
            }
            if case .msg(let target, let text) = input { confirmPrivate(to: target, text: text, &output) }
            switch request {
            case .join, .part: channelChange = output.requestsSent
            default: break
            }
        }
        return true
    }

    /// The most text a message of ours to `target` holds so that an IRC reader gets it in one
    /// line: `:nick!user@host PRIVMSG target :text` in 510 bytes (at most 400, as people read).
    private func messageRoom(_ kind: MessageKind, _ target: String) -> Int {
        var overhead = 1 + nick.utf8.count + 1 + addressLength + 1 + " PRIVMSG ".utf8.count + target.utf8.count + 2
        if kind == .action { overhead += "\u{1}ACTION \u{1}".utf8.count }
        return max(64, min(400, IRCRenderer.maxBody - overhead))
    }

    func fastMessage(_ m: MessageView, output: inout SessionOutput) -> Bool {
        guard isRegistered, !characterMode else { return false }
        return output.toClient.append {
            appendHumanChannelMessage(m, currentChannel: currentChannelBytes, utcOffsetSeconds: utcOffset,
                                      stamp: &stamp, to: &$0)
        }
    }

    func event(_ event: HubEvent, output: inout SessionOutput) {
        if characterMode { trackNicks(event) }
        switch event {
        case .welcome(let w):
            nick = w.nick
            addressLength = w.user.utf8.count + w.host.utf8.count
            stage = .joining
            show(event, &output)
            output.request(.join(channels: ["#lobby"]))
            return
        case .error(let code, _, _):
            if case .registering = stage, code == .nicknameInUse || code == .erroneousNickname || code == .noNicknameGiven {
                show(event, &output)
                return askNick(&output)
            }
        case .nick(let source, let newNick):
            if equalsNick(nickOf(source)) {
                // Rendered while the old nick is still ours: "You are now known as …".
                show(event, &output)
                nick = newNick
                return
            }
        case .join(let channel, let source, _):
            if equalsNick(nickOf(source)) {
                if !channels.contains(channel) { channels.append(channel) }
                currentChannel = channel
                if case .joining = stage {
                    stage = .chatting
                    show(event, &output)
                    return output.releaseHeld()
                }
            }
        case .part(let channel, let source, _):
            if equalsNick(nickOf(source)) { show(event, &output); return leave(channel, &output) }
        case .kick(let channel, _, let target, _):
            if equalsNick(target[...]) { show(event, &output); return leave(channel, &output) }
        default:
            break
        }
        show(event, &output)
    }

    /// Out of `channel` (parted or kicked): if it was the current one, the user is told where
    /// their next line goes, so it never lands somewhere unannounced.
    private func leave(_ channel: String, _ output: inout SessionOutput) {
        channels.removeAll { $0 == channel }
        guard currentChannel == channel else { return }
        currentChannel = channels.last
        output.sendLine(currentChannel.map(HumanText.nowCurrent) ?? HumanText.inNoChannelNow)
    }

    private func equalsNick(_ other: Substring) -> Bool {
        CaseMapping.ascii.equal(String(other), nick)
    }

    private func show(_ event: HubEvent, _ output: inout SessionOutput) {
        let context = HumanRenderContext(nick: nick, currentChannel: currentChannel,
                                         serverName: serverName, utcOffsetSeconds: utcOffset)
        for l in renderHuman(event, context: context) {
            let line = TextSafety.stripIRCFormatting(l)
            output.sendLine(characterMode ? styled(line, event) : line)
        }
    }
}
