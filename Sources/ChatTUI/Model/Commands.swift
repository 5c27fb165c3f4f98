import ChatProtocol

/// The /commands: what they mean and the help text, one entry each.
extension ClientState {
    struct CommandHelp {
        let name: String
        let usage: String
        let summary: String
    }

    static let commandHelp: [CommandHelp] = [
        .init(name: "join", usage: "/join #channel [key]", summary: "join a channel and open its window"),
        .init(name: "part", usage: "/part [#channel] [reason]", summary: "leave a channel (this one by default)"),
        .init(name: "msg", usage: "/msg nick|#channel text", summary: "send a message without switching windows"),
        .init(name: "query", usage: "/query nick [text]", summary: "open a private conversation"),
        .init(name: "me", usage: "/me action", summary: "describe what you do"),
        .init(name: "notice", usage: "/notice target text", summary: "send a notice"),
        .init(name: "nick", usage: "/nick newnick", summary: "change your nick"),
        .init(name: "topic", usage: "/topic [text]", summary: "show or set the channel topic"),
        .init(name: "names", usage: "/names [#channel]", summary: "list who is in a channel"),
        .init(name: "whois", usage: "/whois nick", summary: "ask the server about someone"),
        .init(name: "list", usage: "/list [#channel|pattern]", summary: "list the server's channels (in the server window)"),
        .init(name: "close", usage: "/close", summary: "close this window (parts a channel)"),
        .init(name: "clear", usage: "/clear", summary: "clear this window's scrollback"),
        .init(name: "window", usage: "/window N|list|close|move N", summary: "go to window N, list the windows, close this one, move it to N"),
        .init(name: "reconnect", usage: "/reconnect", summary: "drop the connection and connect again"),
        .init(name: "clearqueue", usage: "/clearqueue", summary: "drop the lines waiting to be sent (a paste goes out one line every 2 s)"),
        .init(name: "raw", usage: "/raw LINE", summary: "send a protocol line as it is (also /quote)"),
        .init(name: "quit", usage: "/quit [message]", summary: "leave and exit"),
        .init(name: "help", usage: "/help [command]", summary: "this list"),
    ] + channelCommandHelp + userCommandHelp + settingsCommandHelp + networkCommandHelp

    static let commandNames: [String] = commandHelp.map(\.name) + ["quote"]

    /// The commands that are the client's own in --raw mode (the rest go to the server).
    static let rawModeCommands: Set<String> = Set(["quit", "clear", "window", "reconnect", "clearqueue", "raw", "help", "set", "bind", "unbind"])
        .union(networkCommandNames)

    /// Runs a /command typed by the user; `args` has no leading spaces.
    mutating func runCommand(_ name: String, _ args: String) {
        let words = args.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func rest(after n: Int) -> String { Self.text(args, after: n) }
        switch name {
        case "quit", "exit":
            quitting = true
            quitMessage = args.isEmpty ? "chat-tui" : args
            _ = pacer.clear()   // the QUIT goes now; what waited is dropped, as irssi does
            if config.mode == .irc && connection != .idle {
                emit(.send("QUIT :" + (args.isEmpty ? "chat-tui" : args)))
            }
            emit(.quit)
        case "clear":
            windows[active].scrollback.removeAll()
            windows[active].scroll = nil
            windows[active].markerSeq = nil
        case "help" where config.mode == .raw:
            // A plain server has a /help of its own, which is what the user asks for; the
            // client's few commands fit in one line beside its answer.
            send("/help" + (args.isEmpty ? "" : " " + args))
            info("/help went to the server. chat-tui's own commands here: "
                + Self.commandHelp.filter { Self.rawModeCommands.contains($0.name) }.map(\.usage).joined(separator: ", ")
                + "; Ctrl-D on an empty line quits.")
        case "help":
            showHelp(words.first)
        case "raw", "quote":
            guard !args.isEmpty else { return usage("raw") }
            send(args)
            info("→ \(args)", window: 0)
        case "window":
            windowCommand(words)
        case "reconnect":
            emit(.reconnect)
        case "clearqueue":
            let n = pacer.clear()
            info(n == 0 ? "No lines are waiting to be sent." : "\(n) line\(n == 1 ? "" : "s") waiting to be sent dropped.")
        case "set":
            runSetCommand(args)
        case "bind", "unbind":
            runBindCommand(name, args)
        case _ where Self.networkCommandNames.contains(name):
            runNetworkCommand(name, args)
        case "close" where config.mode == .raw:
            error("There is only the server window.")
        case _ where config.mode == .raw:
            // A plain line server has its own /commands: pass them through.
            send("/" + name + (args.isEmpty ? "" : " " + args))
            append(Line(time: now, kind: .plain, nick: nil, text: "/" + name + (args.isEmpty ? "" : " " + args), own: true), to: active)
        case "join", "j":
            guard let first = words.first else { return usage("join") }
            let names = first.split(separator: ",").map { irc.isChannelName(String($0)) ? String($0) : "#" + $0 }
            var line = "JOIN " + names.joined(separator: ",")
            if words.count > 1 { line += " " + words[1] }
            send(line)
            // A key is remembered for the rejoin after a reconnect: keys go with the channels
            // in order (`/join #a,#b keyA,keyB`).
            let keys = words.count > 1 ? words[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init) : []
            // Open the windows now, in order, so the user sees where they are going: the last.
            var last: Int?
            for (i, n) in names.enumerated() {
                let w = ensureWindow(n, kind: .channel)
                if i < keys.count, !keys[i].isEmpty { windows[w].key = keys[i] }
                last = w
            }
            if let last { switchTo(last) }
        case "part", "leave":
            var channel = activeWindow.isChannel ? activeWindow.name : nil
            var reason = args
            if let w = words.first, irc.isChannelName(w) {
                channel = w
                reason = rest(after: 1)
            }
            guard let c = channel else { return error("Not in a channel: /part #channel") }
            if let i = windowIndex(c) { windows[i].joined = false }
            send("PART " + c + (reason.isEmpty ? "" : " :" + reason))
        case "msg", "m":
            guard words.count >= 2 else { return usage("msg") }
            sendMessage(rest(after: 1), to: words[0], notice: false, switchWindow: false)
        case "notice":
            guard words.count >= 2 else { return usage("notice") }
            sendMessage(rest(after: 1), to: words[0], notice: true, switchWindow: false)
        case "query", "q":
            guard let target = words.first else { return usage("query") }
            let i = ensureWindow(target, kind: irc.isChannelName(target) ? .channel : .query)
            switchTo(i)
            let text = rest(after: 1)
            if !text.isEmpty { sendMessage(text, to: target, notice: false, switchWindow: false) }
        case "me":
            guard activeWindow.kind != .server else { return error("/me needs a channel or query window.") }
            guard !args.isEmpty else { return usage("me") }
            send("PRIVMSG \(activeWindow.name) :\u{1}ACTION \(args)\u{1}")
            append(Line(time: now, kind: .action, nick: nick, text: args, own: true), to: active)
        case "nick":
            guard let n = words.first else { return usage("nick") }
            // Once registered, the nick is ours only when the server says NICK (handleNick);
            // a refused one (433, 432) must not be asked for again on the next connection.
            // Before that, it is the nick to register with.
            if !irc.registered { irc.wantedNick = n }
            send("NICK " + n)
        case "topic", "t":
            guard activeWindow.isChannel else { return error("/topic works in a channel window.") }
            send("TOPIC " + activeWindow.name + (args.isEmpty ? "" : " :" + args))
        case "names", "n":
            let c = words.first ?? (activeWindow.isChannel ? activeWindow.name : "")
            guard !c.isEmpty else { return usage("names") }
            irc.namesRequested.insert(caseMapping.fold(c))
            send("NAMES " + c)
        case "list":
            send("LIST" + (args.isEmpty ? "" : " " + args))
            if active != 0 { info("The channel list goes to window 1 (Alt-1).") }
        case "whois", "wi":
            guard let n = words.first else { return usage("whois") }
            send("WHOIS " + n)
        case "close", "wc":
            let w = activeWindow
            switch w.kind {
            case .server: error("The server window stays open; /quit to leave.")
            case .channel:
                if w.joined && connection == .connected { send("PART " + w.name) }
                closeWindow(active)
            case .query: closeWindow(active)
            }
        default:
            if runChannelCommand(name, args) || runUserCommand(name, args) { return }
            error("Unknown command /\(name). /help lists the commands; /raw sends a line as it is.")
        }
    }

    mutating func usage(_ name: String) {
        if let h = Self.commandHelp.first(where: { $0.name == name }) { error("Usage: \(h.usage)") }
    }

    private mutating func showHelp(_ topic: String?) {
        let irc = config.mode == .irc
        func applies(_ h: CommandHelp) -> Bool { irc || Self.rawModeCommands.contains(h.name) }
        if let t = topic?.lowercased().trimmingSlash {
            if let h = Self.commandHelp.first(where: { $0.name == t }), applies(h) {
                info("\(h.usage): \(h.summary)")
            } else if config.mode == .irc {
                error("There is no command /\(t). /help lists them.")
            }
            return
        }
        info(config.mode == .irc ? "Commands:" : "The client's commands (any other /command goes to the server):")
        for h in Self.commandHelp where applies(h) { info("  \(h.usage) — \(h.summary)") }
        info("Keys: Alt-1..9/Ctrl-N/Ctrl-P windows, Alt-A next active, PgUp/PgDn scroll, F7 or Alt-Shift-N nick list, Alt-Shift-B window list, Tab complete, Ctrl-R search, Ctrl-B/C/_/]/V/O formatting, Ctrl-L redraw, Ctrl-D on an empty line quit.")
    }

    /// Text typed without a command: to the window's channel or nick (or the plain server).
    mutating func sendText(_ text: String) {
        if config.mode == .raw {
            send(text)
            if let prompt = visibleServerPrompt {
                // Answering a prompt: show it as a terminal would, and drop it from the
                // framer so it does not stick to the front of the next line.
                serverPrompt = nil
                emit(.discardPartialLine)
                noteRawNick(answering: prompt, with: text)
                append(Line(time: now, kind: .plain, nick: nil, text: prompt + (prompt.hasSuffix(" ") ? "" : " ") + text, own: true), to: active)
            } else {
                append(Line(time: now, kind: .plain, nick: nil, text: "> " + text, own: true), to: active)
            }
            return
        }
        let w = activeWindow
        guard w.kind != .server else {
            return error("This is the server window: /join a channel, /query a nick, or /raw a line.")
        }
        sendMessage(text, to: w.name, notice: false, switchWindow: false)
    }

    /// --raw: the answer to a prompt asking for a nick (or a name) is the nick the status
    /// bar shows, when it is one.
    private mutating func noteRawNick(answering prompt: String, with answer: String) {
        let p = prompt.lowercased()
        guard p.contains("nick") || p.contains("name"), Names.isValidNick(answer) else { return }
        rawNick = answer
    }

    /// Sends PRIVMSG or NOTICE, split to fit the line limit, and shows it.
    mutating func sendMessage(_ text: String, to target: String, notice: Bool, switchWindow: Bool) {
        let verb = notice ? "NOTICE" : "PRIVMSG"
        // 512 bytes less CRLF, the command, and room for the source the server prepends.
        let room = max(64, 510 - verb.utf8.count - target.utf8.count - 3 - irc.sourceAllowance(nick: nick))
        for piece in IRCMessage.splitText(text, maxBytes: room) {
            send("\(verb) \(target) :\(piece)")
        }
        // Our own notice is shown as ours (`-alice- text`), like a message, not as if the
        // target had written it.
        let line = Line(time: now, kind: notice ? .notice : .message, nick: nick, text: text, own: true)
        if let i = windowIndex(target) {
            append(line, to: i)
        } else {
            append(Line(time: now, kind: .info, nick: nil, text: notice ? "→ -\(target)- \(text)" : "→ \(target): \(text)", own: true), to: active)
        }
    }
}

private extension String {
    var trimmingSlash: String { hasPrefix("/") ? String(dropFirst()) : self }
}
