import ChatPOSIX
import ChatProtocol

/// An IRC client (irssi, WeeChat, chat-tui, the `irc` Python library): the modern client
/// protocol's registration, CAP negotiation and commands, mapped onto hub requests; hub
/// events rendered as IRC lines.
final class IRCConversation: Conversation {
    /// The session owns this conversation and outlives it; `unowned(unsafe)` spares the
    /// reference counting that a checked `unowned` costs on every delivered line.
    unowned(unsafe) let session: SessionProcess
    var nick = "*"
    var pendingNick: String?
    var user: String?
    var realName = ""
    var capNegotiating = false
    var registrationSent = false
    var registered = false
    var serverTime = false
    var channels = Set<String>()  // folded, for JOIN 0
    var heldLines: [[UInt8]] = []
    var userModes = ""
    /// What the hub said at registration: VERSION is answered from it.
    var welcome: Welcome?
    static let supportedCaps = ["server-time"]
    /// IRCv3: clients send at most 4094 bytes of tags; the body is 510 without CRLF.
    static let clientLimits = IRCLimits(maxTagBytes: 4096, maxBodyBytes: 510)

    init(session: SessionProcess) { self.session = session }

    var isRegistered: Bool { registered }
    var server: String { session.config.serverName }

    func start() {}

    func ping() { send(IRCMessage(command: "PING", params: [server])) }

    func overlongLine() {
        numeric(417, [], "Input line was too long")
    }

    private func send(_ m: IRCMessage) { session.sendLine(m.serialized()) }

    private func numeric(_ code: Int, _ params: [String], _ text: String) {
        let c = code < 10 ? "00\(code)" : code < 100 ? "0\(code)" : "\(code)"
        var m = IRCMessage(source: server, command: c, params: [nick] + params + [text])
        m.trailingColon = true
        send(m)
    }

    func line(_ bytes: [UInt8]) {
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: bytes, limits: Self.clientLimits)
        } catch let error {
            // A line that is not a message gets an error the client can show; the
            // connection goes on. Blank lines (some clients' keepalive) are ignored.
            switch error {
            case .emptyLine: return
            case .tagsTooLong, .bodyTooLong: return numeric(417, [], "Input line was too long")
            case .invalidCommand(let c):
                let shown = TextSafety.sanitize(String(c.prefix(32)))
                return numeric(421, [shown.isEmpty || shown.contains(" ") ? "*" : shown], "Unknown command")
            default: return numeric(421, ["*"], "Malformed line: \(error)")
            }
        }
        let p = message.params
        switch message.verb {
        case "CAP": cap(p)
        case "PASS":
            // There is no connection password: before registration PASS is accepted and
            // ignored; after it, it is too late, as for USER.
            if registered { return numeric(462, [], "You may not reregister") }
            if p.first?.isEmpty ?? true { return numeric(461, ["PASS"], "Not enough parameters") }
        case "NICK":
            guard let n = p.first, !n.isEmpty else { return numeric(431, [], "No nickname given") }
            if registered { session.request(.nick(n)) } else { pendingNick = n; tryRegister() }
        case "USER":
            if registered { return numeric(462, [], "You may not reregister") }
            guard p.count >= 4 else { return numeric(461, ["USER"], "Not enough parameters") }
            user = p[0]
            realName = p[3]
            tryRegister()
        case "PING":
            guard let token = p.first, !token.isEmpty else { return numeric(409, [], "No origin specified") }
            send(IRCMessage(source: server, command: "PONG", params: [server, token]))
        case "PONG": break
        case "QUIT":
            let reason = p.first.map { "Quit: \($0)" } ?? "Quit"
            send(IRCMessage(command: "ERROR", params: ["Closing Link: \(reason)"]))
            session.close(reason: reason)
        default:
            if !registered && registrationSent {
                // Registration is on its way to the hub: keep what the client sent meanwhile
                // (a JOIN right after USER) and run it after the welcome.
                if heldLines.count < 32 { heldLines.append(bytes) }
                return
            }
            guard registered else { return numeric(451, [], "You have not registered") }
            registeredCommand(message.verb, p)
        }
    }

    private func registeredCommand(_ verb: String, _ p: [String]) {
        func need(_ n: Int) -> Bool {
            if p.count < n { numeric(461, [verb], "Not enough parameters"); return false }
            return true
        }
        switch verb {
        case "JOIN":
            guard need(1) else { return }
            if p[0] == "0" {
                session.request(.part(channels: Array(channels), reason: "Left all channels"))
            } else {
                session.request(.join(channels: p[0].split(separator: ",").map(String.init)))
            }
        case "PART":
            guard need(1) else { return }
            session.request(.part(channels: p[0].split(separator: ",").map(String.init), reason: p.count > 1 ? p[1] : ""))
        case "PRIVMSG", "NOTICE":
            guard p.count >= 1 else { return numeric(411, [], "No recipient given (\(verb))") }
            guard p.count >= 2, !p[1].isEmpty else { return numeric(412, [], "No text to send") }
            var kind: MessageKind = verb == "NOTICE" ? .notice : .privmsg
            var text = p[1]
            // /me is the one CTCP the hub knows (people see it as "* nick waves"); other CTCP
            // goes on as it is, for the recipients' clients.
            if kind == .privmsg, let action = CTCP.action(in: text) {
                kind = .action
                text = action
            }
            let targets = p[0].split(separator: ",")
            for target in targets.prefix(ChatSettings.maxTargets) {
                session.request(.message(kind: kind, target: String(target), text: text))
            }
            if targets.count > ChatSettings.maxTargets {
                numeric(407, [String(targets[ChatSettings.maxTargets])],
                        "Too many recipients (at most \(ChatSettings.maxTargets)); this one and the rest were not sent")
            }
        case "TOPIC":
            guard need(1) else { return }
            session.request(.topic(channel: p[0], text: p.count > 1 ? p[1] : nil))
        case "NAMES":
            if let c = p.first {
                for ch in c.split(separator: ",") { session.request(.names(channel: String(ch))) }
            } else {
                session.request(.names(channel: nil))
            }
        case "WHO":
            session.request(.who(mask: p.first ?? "*"))
        case "WHOIS":
            guard need(1) else { return }
            session.request(.whois(nick: p.count > 1 ? p[1] : p[0]))
        case "KICK":
            guard need(2) else { return }
            for n in p[1].split(separator: ",") {
                session.request(.kick(channel: p[0], nick: String(n), reason: p.count > 2 ? p[2] : ""))
            }
        case "AWAY":
            session.request(.away(text: p.first.flatMap { $0.isEmpty ? nil : $0 }))
        case "MODE":
            guard need(1) else { return }
            if CaseMapping.ascii.equal(p[0], nick) {
                guard p.count > 1 else { return numeric(221, [], "+" + userModes) }
                userMode(p[1])
            } else {
                session.request(.mode(target: p[0], args: Array(p.dropFirst())))
            }
        case "LIST": session.request(.list)
        case "MOTD": session.request(.motd)
        case "LUSERS": session.request(.lusers)
        case "VERSION":
            // About this server, whatever the target: there is no other.
            guard let welcome else { return }
            for m in IRCRenderer.version(welcome, context: renderContext) { send(m) }
        case "ISON", "USERHOST":
            // Notify lists: `ISON :a b c` (one parameter) or `ISON a b c`; USERHOST alike.
            let nicks = p.flatMap { $0.split(separator: " ").map(String.init) }
            guard !nicks.isEmpty else { return numeric(461, [verb], "Not enough parameters") }
            session.request(verb == "ISON" ? .ison(nicks: nicks) : .userhost(nicks: Array(nicks.prefix(5))))
        default:
            numeric(421, [verb], "Unknown command")
        }
    }

    /// User modes: only +i (invisible), which changes nothing here but is what clients set
    /// at connect (irssi waits for the answer before it sends anything else).
    private func userMode(_ change: String) {
        var adding = true
        var applied = ""
        var lastSign: Character?
        for c in change {
            switch c {
            case "+": adding = true
            case "-": adding = false
            case "i":
                guard userModes.contains("i") != adding else { continue }
                if adding { userModes = "i" } else { userModes = "" }
                let sign: Character = adding ? "+" : "-"
                if sign != lastSign { applied.append(sign); lastSign = sign }
                applied.append("i")
            default:
                numeric(501, [], "Unknown MODE flag")
            }
        }
        if !applied.isEmpty {
            var m = IRCMessage(source: nick, command: "MODE", params: [nick, applied])
            m.trailingColon = true
            send(m)
        }
    }

    private func cap(_ p: [String]) {
        guard let sub = p.first?.uppercased() else { return numeric(461, ["CAP"], "Not enough parameters") }
        let target = registered ? nick : "*"
        switch sub {
        case "LS":
            if !registered { capNegotiating = true }
            send(IRCMessage(source: server, command: "CAP", params: [target, "LS", Self.supportedCaps.joined(separator: " ")]))
        case "LIST":
            send(IRCMessage(source: server, command: "CAP", params: [target, "LIST", serverTime ? "server-time" : ""]))
        case "REQ":
            if !registered { capNegotiating = true }
            let wanted = (p.count > 1 ? p[1] : "").split(separator: " ").map(String.init)
            let ok = wanted.allSatisfy { Self.supportedCaps.contains($0.hasPrefix("-") ? String($0.dropFirst()) : $0) }
            if ok {
                for c in wanted { serverTime = c == "server-time" ? true : c == "-server-time" ? false : serverTime }
            }
            send(IRCMessage(source: server, command: "CAP", params: [target, ok ? "ACK" : "NAK", p.count > 1 ? p[1] : ""]))
        case "END":
            capNegotiating = false
            tryRegister()
        default:
            numeric(410, [sub], "Invalid CAP command")
        }
    }

    private func tryRegister() {
        guard !registered, !capNegotiating, let n = pendingNick, let u = user else { return }
        registrationSent = true
        session.request(.register(nick: n, user: u, realName: realName))
    }

    func fastMessage(_ m: MessageView) -> Bool {
        guard registered else { return false }
        let serverTime = serverTime
        return session.toClient.append { IRCRenderer.appendMessageLine(m, serverTime: serverTime, to: &$0) }
    }

    /// What the general renderer needs (the fast path above reads only `serverTime`).
    private var renderContext: IRCRenderContext {
        IRCRenderContext(serverName: server, nick: registered ? nick : "*", serverTime: serverTime,
                         userModes: "i", serverInfo: "chat-server")
    }

    func event(_ event: HubEvent) {
        switch event {
        case .welcome(let w):
            registered = true
            nick = w.nick
            welcome = w
        case .nick(let source, let newNick):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { nick = newNick }
        case .join(let channel, let source):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { channels.insert(channel) }
        case .part(let channel, let source, _):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { channels.remove(channel) }
        case .kick(let channel, _, let target, _):
            if CaseMapping.ascii.equal(target, nick) { channels.remove(channel) }
        default: break
        }
        defer {
            if case .welcome = event {
                let held = heldLines
                heldLines = []
                for l in held { line(l) }
            }
        }
        for m in IRCRenderer.render(event, context: renderContext) { send(m) }
    }
}
