// HumanInput.parse on a typed line (bytes repaired to UTF-8 as the session does), then
// `.request(currentChannel:)` with and without a current channel.
//
// Oracles:
// - text the user must see (usage, unknown command) is one line;
// - a plain line is said as typed (trimmed), `//x` says `/x`;
// - requests are well formed: join/part/names name channels starting with '#', messages
//   have a target and text, and nothing is sent for lines that need a channel when there is none;
// - writing the parsed command back as a canonical line and parsing that gives the same command.

func trimmed(_ s: String) -> Substring {
    var t = s[...]
    while let c = t.first, c.isWhitespace { t.removeFirst() }
    while let c = t.last, c.isWhitespace { t.removeLast() }
    return t
}

/// The command written back as a user would type it. Words are separated by a tab, not a
/// space: a space followed by a combining mark is one Character, and a typed line whose
/// argument starts with a combining mark (after a tab) would otherwise not come back.
func canonical(_ input: HumanInput) -> String? {
    switch input {
    case .empty: return ""
    case .say(let t): return t.first == "/" ? "/" + t : t
    case .me(let t): return "/me\t" + t
    case .msg(let target, let text): return "/msg\t" + target + "\t" + text
    case .nick(let n): return "/nick\t" + n
    case .join(let c): return "/join\t" + c
    case .joinKeyed(let c, let k): return "/join\t" + c + "\t" + k
    case .mode(let c, let args): return (["/mode"] + (c.map { [$0] } ?? []) + args).joined(separator: "\t")
    case .kick(let n, let r): return "/kick\t" + n + (r.map { "\t" + $0 } ?? "")
    case .invite(let n, let c): return "/invite\t" + n + (c.map { "\t" + $0 } ?? "")
    case .invitations: return "/invite"
    case .history(let c, let n): return "/history" + (c.map { "\t" + $0 } ?? "") + "\t" + String(n)
    case .part(let c, let r): return "/part" + (c.map { "\t" + $0 } ?? "") + (r.map { "\t" + $0 } ?? "")
    case .topic(let t, let c): return "/topic" + (c.map { "\t" + $0 } ?? "") + (t.map { "\t" + $0 } ?? "")
    case .who(let m): return "/who" + (m.map { "\t" + $0 } ?? "")
    case .names(let c): return "/names" + (c.map { "\t" + $0 } ?? "")
    case .list(let f): return "/list" + (f.isEmpty ? "" : "\t" + f.joined(separator: ","))
    case .away(let t): return "/away" + (t.map { "\t" + $0 } ?? "")
    case .whois(let n): return "/whois\t" + n
    case .whowas(let n): return "/whowas\t" + n
    case .oper(let n, let p): return "/oper\t" + n + (p.map { "\t" + $0 } ?? "")
    case .kill(let n, let r): return "/kill\t" + n + (r.isEmpty ? "" : "\t" + r)
    case .wallops(let t): return "/wallops\t" + t
    case .motd: return "/motd"
    // Parsing takes one `-` off every word (`--x` is the nick `-x`): one goes back on each
    // nick to remove, and on a nick that starts with `-`.
    case .notify(let remove, let nicks): return "/notify" + nicks.map { "\t" + (remove || $0.hasPrefix("-") ? "-" : "") + $0 }.joined()
    case .quit(let r): return "/quit" + (r.map { "\t" + $0 } ?? "")
    case .colour(let on): return "/colour\t" + (on ? "on" : "off")
    // `REGISTER PASSWORD`, `IDENTIFY [ACCOUNT] PASSWORD`, `LOGOUT`: the command's words, which
    // hold no space or tab, apart by tabs.
    case .nickServ(let t): return "/" + String(decoding: t.utf8.map { $0 == 0x20 ? 0x09 : $0 }, as: UTF8.self).lowercasedCommand
    case .nickServAskingPassword(let command): return "/" + command.lowercased()
    case .help, .usage, .unknownCommand: return nil
    }
}

extension String {
    /// The first word (up to a tab) in lower case, the rest as it is: `REGISTER\tpw` as typed,
    /// `register\tpw`.
    var lowercasedCommand: String {
        guard let tab = firstIndex(of: "\t") else { return lowercased() }
        return self[..<tab].lowercased() + self[tab...]
    }
}

func noLineBreak(_ s: String) -> Bool { !s.utf8.contains { $0 == 0x0A || $0 == 0x0D } }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = TextSafety.repairUTF8(inputBytes(data, size))
    let parsed = HumanInput.parse(line)
    let text = trimmed(line)

    switch parsed {
    case .empty:
        require(text.isEmpty, "non-blank line parsed as empty")
    case .say(let s):
        require(!s.isEmpty, "empty say")
        if text.hasPrefix("//") { require(s[...] == text.dropFirst(), "//x did not say /x") }
        else { require(s[...] == text, "say changed the line: \(hex(s.utf8)) vs \(hex(text.utf8))") }
    case .usage(let s), .unknownCommand(let s):
        require(noLineBreak(s), "message to show has a line break: \(hex(s.utf8))")
        require(s.hasPrefix("!! "), "message to show does not start with '!! '")
    case .me(let t): require(!t.isEmpty, "empty /me")
    case .msg(let target, let t):
        require(!target.isEmpty && !t.isEmpty && !target.contains(","), "bad /msg \(target) \(t)")
        require(!target.contains { $0.isWhitespace }, "/msg target with whitespace")
    case .nick(let n), .whois(let n):
        require(!n.isEmpty && !n.contains { $0.isWhitespace }, "bad single word \(hex(n.utf8))")
    case .join(let c):
        require(c.utf8.first == UInt8(ascii: "#") && !c.contains(","), "bad join \(hex(c.utf8))")
        // The channel is the typed word, with '#' added only when it has none.
        let word = String(text.split(whereSeparator: { $0.isWhitespace }).last ?? "")
        require(c == (word.utf8.first == UInt8(ascii: "#") ? word : "#" + word),
                "/join \(hex(word.utf8)) joins \(hex(c.utf8))")
    case .help(let h):
        if let h { require(!h.isEmpty, "empty help topic") }
    default: break
    }

    for current in [nil, "#lobby"] as [String?] {
        guard let request = parsed.request(currentChannel: current) else {
            switch parsed {
            case .empty, .help, .usage, .unknownCommand, .colour: break
            case .say, .me: require(current == nil, "\(parsed) sent nothing with a current channel")
            case .topic(_, let c): require(c == nil && current == nil, "topic sent nothing")
            case .part(let c, _): require(c == nil && current == nil, "part sent nothing")
            case .who(let m): require(m == nil && current == nil, "who sent nothing")
            case .names(let c): require(c == nil && current == nil, "names sent nothing")
            case .history(let c, _): require(c == nil && current == nil, "history sent nothing")
            case .oper(_, let p): require(p == nil, "oper with a password sent nothing")  // the password is asked for
            case .nickServAskingPassword: break  // the password is asked for
            case .mode(let c, _), .invite(_, let c): require(c == nil && current == nil, "mode or invite sent nothing")
            case .kick: require(current == nil, "kick sent nothing")
            default: violation("\(parsed) sent nothing")
            }
            continue
        }
        switch request {
        case .join(let channels, _), .part(let channels, _):
            require(channels.count == 1 && channels.allSatisfy { $0.utf8.first == UInt8(ascii: "#") },
                    "join/part channels \(channels)")
        case .names(let c):
            require(c?.utf8.first == UInt8(ascii: "#"), "names channel \(hex((c ?? "").utf8))")
        case .message(_, let target, let t):
            require(!target.isEmpty && !t.isEmpty, "message without target or text")
        case .nick(let n), .whois(let n), .who(let n, _):
            require(!n.isEmpty, "empty name in \(request)")
        default: break
        }
        // Requests survive the hub frame, as the session sends them: cut to the protocol's
        // limits (a typed line can be 8 KiB of one name), which the hub's decoder enforces.
        let sent = request.bounded()
        let frame = sent.frame()
        var d = FrameDecoder()
        d.append(frame)
        let back = try? d.next { t, p in try HubRequest(type: t, payload: p) }
        require(back == sent, "request does not survive its frame")
    }

    // Canonical form parses back to the same command.
    if let again = canonical(parsed) {
        let reparsed = HumanInput.parse(again)
        require(reparsed == parsed, "canonical line \(hex(again.utf8)) parsed as \(reparsed), not \(parsed)")
    }
    return 0
}
