import ChatPOSIX
import ChatProtocol

/// An IRC client (irssi, WeeChat, chat-tui, the `irc` Python library): the modern client
/// protocol's registration, CAP negotiation and commands, mapped onto hub requests; hub
/// events rendered as IRC lines. Lines are understood by `IRCInput` (one command table);
/// this class does what they ask.
final class IRCConversation: Conversation {
    let serverName: String
    var stage = Stage.connecting(Registration())
    /// `*` until the welcome, then the hub's idea of our nick.
    var nick = "*"
    /// The capabilities the client enabled (changed by `CAP REQ`, IRCConversation+Caps.swift).
    var capabilities = Set<IRCCapability>() {
        didSet {
            serverTime = capabilities.contains(.serverTime)
            messageTags = capabilities.contains(.messageTags)
            accountTag = capabilities.contains(.accountTag)
        }
    }
    /// `capabilities` has `.serverTime`, kept apart for the message fast path.
    private(set) var serverTime = false
    /// `capabilities` has `.messageTags`, kept apart for the message fast path.
    private(set) var messageTags = false
    /// `capabilities` has `.accountTag`, kept apart for the message fast path.
    private(set) var accountTag = false
    /// The version the client gave with `CAP LS` (0 for none, 302 for values and cap-notify).
    var capVersion = 0
    /// The client-only tags of the line being handled, as the hub relays them (message-tags).
    var clientTags = ""
    /// The labeled command whose replies are under way (labeled-response).
    var labeled: LabeledResponse?
    /// The SASL exchange under way, if any (IRCConversation+SASL.swift).
    var sasl = SASLExchange()
    /// Whether the client presented a TLS client certificate (SASL EXTERNAL may log it in).
    var hasClientCertificate = false
    /// The hub said the user is logged in (900) and not since out (901): SASL answers 907.
    var loggedIn = false
    /// The last `BATCH` reference given, counted per connection.
    var lastBatch = 0
    /// The open `chathistory` batch's reference, while the hub's answer to CHATHISTORY comes
    /// (IRCConversation+History.swift).
    var historyReference: String?
    /// A labeled message to ourselves came back once already: the next copy is the echo.
    var sawOwnDelivery = false
    var channels = Set<String>()  // folded, for JOIN 0
    /// How many syncs had been asked of the hub when the PING waiting for one came (`line`).
    var pingArrivedAfter: Int?
    /// What the hub said at registration: VERSION is answered from it.
    var welcome: Welcome?
    /// A NAMES of several channels under way: one 366 ends them all (IRCConversation+Names).
    var namesEnds: NamesEnds?
    /// The wall clock in milliseconds, for TIME (a test sets its own).
    var clock: () -> Int64 = { Proc.wallMillis() }
    /// IRCv3: clients send at most 4094 bytes of tags; the body is 510 without CRLF.
    static let clientLimits = IRCLimits(maxTagBytes: 4096, maxBodyBytes: 510)

    /// The server's description and administrator (LINKS, WHOIS, VERSION, ADMIN).
    let about: ServerAbout
    /// IRCv3 `sts`'s value (https://ircv3.net/specs/extensions/sts): `port=6697` on a plain
    /// port when the server has a TLS port, `duration=86400` on a TLS port; nil: not offered.
    var stsPolicy: String?

    init(serverName: String, about: ServerAbout = ServerAbout()) {
        self.serverName = serverName
        self.about = about
    }

    var dialect: Dialect { .irc }
    var usesTelnet: Bool { false }
    var pingsIdleClient: Bool { true }

    var isRegistered: Bool {
        if case .registered = stage { return true }
        return false
    }

    func start(output: inout SessionOutput) {}

    func ping(output: inout SessionOutput) { send(IRCMessage(command: "PING", params: [serverName]), &output) }

    func overlongLine(output: inout SessionOutput) -> Bool {
        if output.awaitingAnswers { return false }
        numeric(417, [], "Input line was too long", &output)
        return true
    }

    func farewell(_ why: Farewell) -> String {
        switch why {
        case .registrationTimeout: return "ERROR :Closing Link: Registration timeout"
        case .pingTimeout: return "ERROR :Closing Link: Ping timeout"
        case .serverShuttingDown: return "ERROR :Closing Link: Server shutting down"
        case .excessFlood: return "ERROR :Closing Link: Excess flood"
        case .hubLost(let why): return "ERROR :Closing Link: Server error (\(why))"
        }
    }

    /// One line for the client, through the labeled response under way if any.
    func send(_ m: IRCMessage, _ output: inout SessionOutput) {
        guard labeled != nil else { return output.sendLine(m.serialized()) }
        let batching = capabilities.contains(.batch)
        for line in labeled!.reply(m, serverName: serverName, nextBatch: { batching ? nextBatchReference() : nil }) {
            output.sendLine(line.serialized())
        }
    }

    func numeric(_ code: Int, _ params: [String], _ text: String, _ output: inout SessionOutput) {
        var m = IRCMessage(source: serverName, command: NumberFormat.threeDigits(Int64(code)), params: [nick] + params + [text])
        m.trailingColon = true
        send(m, &output)
    }


    func line(_ bytes: [UInt8], output: inout SessionOutput) -> Bool {
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: bytes, limits: Self.clientLimits)
        } catch let error {
            // A line that is not a message gets an error the client can show (after the
            // answers to what came before); the connection goes on. Blank lines (some
            // clients' keepalive) are ignored.
            if case .emptyLine = error { return true }
            if output.awaitingAnswers { return false }
            // The error carries the line's label, if it has one (labeled-response).
            labeled = labelOfUnparsedLine(bytes).map(LabeledResponse.init)
            defer { synced(output: &output) }
            switch error {
            case .tagsTooLong, .bodyTooLong: numeric(417, [], "Input line was too long", &output)
            case .invalidCommand(let c):
                let shown = TextSafety.sanitize(String(c.prefix(32)))
                numeric(421, [shown.isEmpty || shown.contains(" ") ? "*" : shown], "Unknown command", &output)
            default: numeric(421, ["*"], "Malformed line: \(error)", &output)
            }
            return true
        }
        // A PING is a client's barrier: what happened before it is to arrive before the PONG.
        // The hub may hold lines for this session for the delivery tick (`Hub+Delivery`) and
        // sends them with any answer, so a registered client's PING goes once a sync asked
        // after it came has been answered.
        if message.verb == "PING", isRegistered {
            if let asked = pingArrivedAfter, output.syncsAnswered > asked {
                pingArrivedAfter = nil
            } else {
                if pingArrivedAfter == nil { pingArrivedAfter = output.syncsAsked }
                return false
            }
        }
        // A `@label=` gathers the replies (IRCConversation+Caps.swift).
        return handleLabeled(message, bytes, &output)
    }

    /// A client's message, understood and done.
    func handle(_ message: IRCMessage, _ bytes: [UInt8], _ output: inout SessionOutput) -> Bool {
        if !TextSafety.isValidUTF8(bytes) {
            // UTF8ONLY (ircv3.net utf8-only): refused, not repaired, so that nobody is shown
            // a message other than the one its sender meant. Telnet users' bytes are repaired.
            if output.awaitingAnswers { return false }
            standardReply(.fail, command: message.verb, code: "INVALID_UTF8",
                          description: "Message rejected, your IRC software MUST use UTF-8 encoding on this network", &output)
            return true
        }
        let input: IRCInput
        do {
            input = try IRCInput.parse(message, registered: isRegistered)
        } catch {
            if error == .notRegistered, case .awaitingWelcome = stage {
                // Registration is on its way to the hub: keep what the client sent meanwhile
                // (a JOIN right after USER) and run it after the welcome.
                output.hold(bytes)
                return true
            }
            if output.awaitingAnswers { return false }
            let reply = error.numeric
            numeric(reply.code, reply.params, reply.text, &output)
            return true
        }
        if case .quit(let text) = input {
            let reason = text.map { "Quit: \($0)" } ?? "Quit"
            return output.quit(reason: reason, farewell: IRCMessage(command: "ERROR", params: ["Closing Link: \(reason)"]).serialized())
        }
        // What is answered here comes after the answers to what the client sent before.
        if output.awaitingAnswers && answersHere(input) { return false }
        clientTags = messageTags ? ClientTags.wire(message.tags) : ""
        perform(input, &output)
        return true
    }

    /// Whether the session answers `input` itself, without the hub (so it must not overtake
    /// the hub's answers to earlier lines).
    private func answersHere(_ input: IRCInput) -> Bool {
        switch input {
        case .capLS, .capList, .capReq, .ping, .version, .time, .info, .admin, .links, .help, .setname, .authenticate: return true
        case .message(_, let targets, _): return targets.count > ChatSettings.maxTargets  // 407
        case .chatHistory(.failure): return true  // FAIL
        case .whois(let server?, _): return !answersFor(server: server)  // 402
        default: return false
        }
    }

    /// Whether `WHOIS server nick` names this server. A first parameter without `.` or `*` is
    /// a nick (`WHOIS bob bob` asks bob's server, which is this one); a server name or mask
    /// must match ours (there is no other server to ask). ADMIN and LINKS ask the same way.
    func answersFor(server: String) -> Bool {
        guard server.contains(".") || server.contains("*") || server.contains("?") else { return true }
        return Names.maskMatches(mask: server, serverName, casemapping: .ascii)
    }

    private func perform(_ input: IRCInput, _ output: inout SessionOutput) {
        switch input {
        case .capLS, .capList, .capReq, .capEnd:
            cap(input, &output)
        case .pass, .pong:
            break
        case .nick(let n):
            if isRegistered { return output.request(.nick(n)) }
            updateRegistration { $0.nick = n }
            tryRegister(&output)
        case .user(let user, let realName):
            updateRegistration {
                $0.user = user
                $0.realName = realName
            }
            tryRegister(&output)
        case .ping(let token):
            send(IRCMessage(source: serverName, command: "PONG", params: [serverName, token]), &output)
        case .quit:
            break  // answered in `line`, through `SessionOutput.quit`
        case .join(let list, let keys):
            output.request(.join(channels: list, keys: keys))
        case .invite(let nick, let channel):
            output.request(.invite(nick: nick, channel: channel))
        case .invitations:
            output.request(.invitations)
        case .partAll:
            output.request(.part(channels: Array(channels), reason: "Left all channels"))
        case .part(let list, let reason):
            output.request(.part(channels: list, reason: reason))
        case .message(let kind, let list, let text):
            let targets = CaseMapping.ascii.unique(list)
            for target in targets.prefix(ChatSettings.maxTargets) {
                output.request(clientTags.isEmpty ? .message(kind: kind, target: target, text: text)
                               : .taggedMessage(kind: kind, target: target, text: text, tags: clientTags))
            }
            if targets.count > ChatSettings.maxTargets && kind != .notice {  // NOTICE: never an automatic reply
                numeric(407, [targets[ChatSettings.maxTargets]],
                        "Too many recipients (at most \(ChatSettings.maxTargets)); this one and the rest were not sent",
                        &output)
            }
        case .topic(let channel, let text):
            output.request(.topic(channel: channel, text: text))
        case .names(let list):
            if let list {
                let unique = CaseMapping.ascii.unique(list)
                for channel in unique { output.request(.names(channel: channel)) }
                if unique.count > 1 { namesEnds = NamesEnds(left: unique.count, echo: unique.joined(separator: ",")) }
            } else {
                output.request(.names(channel: nil))
            }
        case .who(let mask, let options):
            output.request(.who(mask: mask, options: options))
        case .whois(let server, let nicks):
            if let server, !answersFor(server: server) {
                return numeric(402, [server], "No such server", &output)
            }
            // As for PRIVMSG: each nick once, and the first few (each asks the hub for a reply).
            for n in CaseMapping.ascii.unique(nicks).prefix(ChatSettings.maxTargets) { output.request(.whois(nick: n)) }
        case .whowas(let nicks, let count):
            for n in CaseMapping.ascii.unique(nicks).prefix(ChatSettings.maxTargets) {
                output.request(.whowas(nick: n, count: count))
            }
        case .kick(let channels, let nicks, let reason):
            // Each pair once, the first few (TARGMAX KICK); a channel alone goes with every nick.
            let pairs = nicks.indices.map { (channels.count == 1 ? channels[0] : channels[$0], nicks[$0]) }
            var seen = Set<String>()
            let unique = pairs.filter { seen.insert(CaseMapping.ascii.fold($0.0) + " " + CaseMapping.ascii.fold($0.1)).inserted }
            for (channel, nick) in unique.prefix(ChatSettings.maxTargets) {
                output.request(.kick(channel: channel, nick: nick, reason: reason))
            }
        case .away(let text):
            output.request(.away(text: text))
        case .mode(let target, let args):
            // User modes too: the hub holds them (+i hides from WHO, +o is its decision).
            output.request(.mode(target: target, args: args))
        case .list(let filters): output.request(.list(channels: filters))
        case .motd: output.request(.motd)
        case .lusers: output.request(.lusers)
        case .version:
            guard let welcome else { return }
            for m in IRCRenderer.version(welcome, context: renderContext) { send(m, &output) }
        case .ison(let nicks): output.request(.ison(nicks: nicks))
        case .userhost(let nicks): output.request(.userhost(nicks: nicks))
        case .monitor(let action, let targets): output.request(.monitor(action, targets: targets))
        case .time, .info, .admin, .links, .help: serverInfo(input, &output)
        case .oper(let name, let password): output.request(.oper(name: name, password: password))
        case .authenticate(let parameter): authenticate(parameter, &output)
        case .kill(let nick, let reason): output.request(.kill(nick: nick, reason: reason))
        case .wallops(let text): output.request(.wallops(text: text))
        case .tagmsg(let targets): tagmsg(targets, &output)
        case .setname(let realName): setname(realName, &output)
        case .chatHistory(let parsed): chatHistory(parsed, &output)
        }
    }

    /// Changes what the client has said towards registration; nothing once registered.
    func updateRegistration(_ change: (inout Registration) -> Void) {
        switch stage {
        case .connecting(var r):
            change(&r)
            stage = .connecting(r)
        case .awaitingWelcome(var r):
            change(&r)
            stage = .awaitingWelcome(r)
        case .registered:
            break
        }
    }

    /// Sends the registration once NICK and USER are in and CAP negotiation is over; again
    /// after a later NICK (the hub refused the first, say).
    func tryRegister(_ output: inout SessionOutput) {
        switch stage {
        case .connecting(let r), .awaitingWelcome(let r):
            guard !r.capNegotiating, let n = r.nick, let u = r.user else { return }
            stage = .awaitingWelcome(r)
            output.request(.register(nick: n, user: u, realName: r.realName))
        case .registered:
            return
        }
    }

    func fastMessage(_ m: MessageView, output: inout SessionOutput) -> Bool {
        guard case .registered = stage, labeled == nil, historyReference == nil else { return false }
        let serverTime = serverTime, messageTags = messageTags, accountTag = accountTag
        return output.toClient.append {
            IRCRenderer.appendMessageLine(m, serverTime: serverTime, messageTags: messageTags, accountTag: accountTag, to: &$0)
        }
    }

    /// What the general renderer needs (the fast path above reads only `serverTime` and
    /// `messageTags`).
    var renderContext: IRCRenderContext {
        var c = IRCRenderContext(serverName: serverName, nick: isRegistered ? nick : "*", serverTime: serverTime,
                                 userModes: "iow", serverInfo: about.description)
        c.capabilities = capabilities
        return c
    }

    func event(_ event: HubEvent, output: inout SessionOutput) {
        switch event {
        case .welcome(let w):
            stage = .registered
            nick = w.nick
            welcome = w
        case .nick(let source, let newNick):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { nick = newNick }
        case .join(let channel, let source, _), .extendedJoin(let channel, let source, _, _):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { channels.insert(channel) }
        case .part(let channel, let source, _):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { channels.remove(channel) }
        case .kick(let channel, _, let target, _):
            if CaseMapping.ascii.equal(target, nick) { channels.remove(channel) }
        case .loggedIn: loggedIn = true
        case .loggedOut: loggedIn = false
        default: break
        }
        // Others' messages go out at once, not among the replies to a labeled command.
        let gathered = labeled
        if gathered != nil && !isReply(event) { labeled = nil }
        if case .historyBatch(let target, let isEnd) = event { return historyBatch(target: target, isEnd: isEnd, &output) }
        if case .historyTargets = event { return historyTargets(IRCRenderer.render(event, context: renderContext), &output) }
        var lines = IRCRenderer.render(event, context: renderContext)
        if case .names(_, _, false, _) = event, namesEnds != nil { oneNamesEnd(&lines) }
        if historyReference != nil, case .message = event { lines = inHistoryBatch(lines) }
        for m in lines { send(m, &output) }
        if gathered != nil && labeled == nil { labeled = gathered }
        if case .welcome = event { output.releaseHeld() }
    }
}
