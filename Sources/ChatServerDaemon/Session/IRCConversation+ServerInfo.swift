import ChatProtocol

/// TIME, INFO, ADMIN, LINKS and HELP: about the server, answered by the session itself (the answers
/// are the same whatever the hub holds), after the answers to earlier commands.
extension IRCConversation {
    func serverInfo(_ input: IRCInput, _ output: inout SessionOutput) {
        switch input {
        case .time:
            numeric(391, [serverName], IRCRenderer.humanDate(epochSeconds: clock() / 1000), &output)
        case .info:
            let version = welcome?.version ?? "chat-server"
            for line in [version,
                         "A chat server for people on telnet and IRC clients alike: one process per",
                         "connection, a hub that owns the channels, the same rooms for both.",
                         "Running since " + IRCRenderer.humanDate(epochSeconds: welcome?.createdAt ?? 0) + "."] {
                numeric(371, [], line, &output)
            }
            numeric(374, [], "End of INFO list", &output)
        case .admin(let server):
            if let server, !answersFor(server: server) { return numeric(402, [server], "No such server", &output) }
            // What is not configured, the server says so rather than invent it.
            numeric(256, [serverName], "Administrative info", &output)
            numeric(257, [], about.adminLocation ?? serverName, &output)
            numeric(258, [], welcome?.version ?? "chat-server", &output)
            numeric(259, [], about.adminEmail ?? "No contact address is configured", &output)
        case .links(let server, let mask):
            if let server, !answersFor(server: server) { return numeric(402, [server], "No such server", &output) }
            // One server, linked to none: it is listed when the mask matches its name.
            if mask.map({ Names.maskMatches(mask: $0, serverName, casemapping: .ascii) }) ?? true {
                numeric(364, [serverName, serverName], "0 " + about.description, &output)
            }
            let shown = mask.map { TextSafety.sanitize(String($0.prefix(64))).replacingSpaces } ?? "*"
            numeric(365, [shown.isEmpty ? "*" : shown], "End of /LINKS list", &output)
        case .help(let topic):
            help(topic, &output)
        default:
            break
        }
    }

    /// HELP alone: every topic, one a line; HELP COMMAND: its syntax and what it does; 524
    /// for anything else (the topic as sent, made safe to show).
    private func help(_ topic: String?, _ output: inout SessionOutput) {
        guard let topic else {
            numeric(704, ["*"], "Commands of this server; HELP COMMAND for one of them:", &output)
            for t in IRCHelp.topics { numeric(705, ["*"], t.verb + " - " + t.summary, &output) }
            numeric(706, ["*"], "End of /HELP", &output)
            return
        }
        guard let t = IRCHelp.topic(topic) else {
            let shown = TextSafety.sanitize(String(topic.prefix(32))).replacingSpaces
            return numeric(524, [shown.isEmpty ? "*" : shown], "No help available on this topic", &output)
        }
        numeric(704, [t.verb], t.usage, &output)
        numeric(705, [t.verb], t.summary, &output)
        numeric(706, [t.verb], "End of /HELP", &output)
    }
}

private extension String {
    /// Spaces as `_`: a numeric's middle parameter is one word.
    var replacingSpaces: String { String(map { $0 == " " ? "_" : $0 }) }
}
