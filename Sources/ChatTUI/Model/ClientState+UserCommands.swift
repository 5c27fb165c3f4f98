import ChatProtocol

/// `/away`, `/ctcp`, `/ping`, `/ignore`, `/unignore`, `/hilight`, `/dehilight`, `/lastlog` and
/// `/window list|close|move`, as irssi has them.
extension ClientState {
    static let userCommandHelp: [CommandHelp] = [
        .init(name: "away", usage: "/away [message]", summary: "mark yourself away (no message: back)"),
        .init(name: "ctcp", usage: "/ctcp nick COMMAND [args]", summary: "send a CTCP request (VERSION, PING, TIME…)"),
        .init(name: "ping", usage: "/ping nick", summary: "measure the round trip to someone (CTCP PING)"),
        .init(name: "ignore", usage: "/ignore [mask [messages|joins]…]", summary: "hide someone's messages and/or joins and parts (no mask: list)"),
        .init(name: "unignore", usage: "/unignore mask", summary: "stop ignoring"),
        .init(name: "hilight", usage: "/hilight [word]", summary: "highlight lines with this word too (no word: list)"),
        .init(name: "dehilight", usage: "/dehilight word", summary: "stop highlighting a word"),
        .init(name: "lastlog", usage: "/lastlog text", summary: "show this window's lines that contain the text"),
    ]

    /// At most this many highlight words, and the lines /lastlog shows.
    static let highlightLimit = 100
    static let lastlogLimit = 100

    /// Runs one of these commands; false when `name` is none of them.
    mutating func runUserCommand(_ name: String, _ args: String) -> Bool {
        let words = args.split(separator: " ").map(String.init)
        switch name {
        case "away":
            awayMessage = args.isEmpty ? nil : args
            send(args.isEmpty ? "AWAY" : "AWAY :" + args)
        case "ctcp":
            guard words.count >= 2 else { usage(name); return true }
            let body = words[1].uppercased() + (words.count > 2 ? " " + Self.text(args, after: 2) : "")
            send("PRIVMSG \(words[0]) :\u{1}\(body)\u{1}")
            info("→ CTCP \(body) to \(words[0])")
        case "ping":
            guard let who = words.first ?? (activeWindow.kind == .query ? activeWindow.name : nil) else { usage(name); return true }
            send("PRIVMSG \(who) :\u{1}PING \(now)\u{1}")
            info("→ CTCP PING to \(who)")
        case "ignore":
            guard !words.isEmpty else {
                info(ignores.isEmpty ? "Nobody is ignored." : "Ignored: " + ignores.map(\.described).joined(separator: "; "))
                return true
            }
            let parsed: Ignore
            switch Ignore.parse(args) {
            case .success(let i): parsed = i
            case .failure(let why):
                error(why.message)
                return true
            }
            let mask = parsed.mask, kinds = parsed.kinds
            if let i = ignores.firstIndex(where: { caseMapping.equal($0.mask, mask) }) {
                ignores[i].kinds = kinds
            } else {
                guard ignores.count < Ignore.limit else { error("At most \(Ignore.limit) ignores."); return true }
                ignores.append(Ignore(mask: mask, kinds: kinds))
            }
            info("Ignoring \(ignores.first { caseMapping.equal($0.mask, mask) }!.described).")
        case "unignore":
            guard let first = words.first else { usage(name); return true }
            let mask = Names.normalizedMask(first, maxLength: Ignore.maskLength) ?? first
            let before = ignores.count
            let mapping = caseMapping
            ignores.removeAll { mapping.equal($0.mask, mask) }
            if ignores.count < before { info("No longer ignoring \(mask).") } else { error("\(mask) is not ignored (/ignore lists them).") }
        case "hilight":
            guard let word = words.first else {
                info(highlights.isEmpty ? "No highlight words (your nick always is one)." : "Highlighted: " + highlights.joined(separator: ", "))
                return true
            }
            if !highlights.contains(where: { caseMapping.equal($0, word) }) {
                guard highlights.count < Self.highlightLimit else { error("At most \(Self.highlightLimit) highlight words."); return true }
                highlights.append(word)
            }
            info("Lines with \(word) are highlighted.")
        case "dehilight":
            guard let word = words.first else { usage(name); return true }
            let before = highlights.count
            let mapping = caseMapping
            highlights.removeAll { mapping.equal($0, word) }
            if highlights.count < before { info("\(word) is no longer highlighted.") } else { error("\(word) is not a highlight word.") }
        case "lastlog":
            guard !args.isEmpty else { usage(name); return true }
            let needle = args.lowercased()
            let found = windows[active].scrollback.lines.filter {
                $0.kind != .info && TextSafety.stripIRCFormatting($0.text).lowercased().contains(needle)
            }
            let shown = found.suffix(Self.lastlogLimit)
            info("Lastlog for \"\(args)\": \(found.count) line\(found.count == 1 ? "" : "s")" + (found.count > shown.count ? ", the last \(shown.count):" : ":"))
            for l in shown {
                let who = l.nick.map { l.kind == .action ? "* \($0) " : "<\($0)> " } ?? ""
                info("  \(TimeFormat.hoursMinutes(l.time, utcOffset: config.utcOffset)) \(who)\(TextSafety.stripIRCFormatting(l.text))")
            }
        default:
            return false
        }
        return true
    }

    /// `/window N`, `/window list`, `/window close`, `/window move N`.
    mutating func windowCommand(_ words: [String]) {
        if context.delegatesWindows, let request = Self.windowRequest(words) { return emit(.window(request)) }
        switch words.first?.lowercased() {
        case "list":
            for (i, w) in windows.enumerated() {
                let what = w.kind == .server ? "server" : w.kind == .query ? "query" : (w.joined ? "channel" : "channel, not joined")
                info("  \(i + 1): \(w.name) (\(what))" + (w.unread > 0 ? ", \(w.unread) unread" : ""))
            }
        case "close":
            runCommand("close", "")
        case "move":
            guard words.count == 2, let n = Int(words[1]) else { return usage("window") }
            guard active > 0 else { return error("The server window stays first.") }
            guard n >= 2, n <= windows.count else { return error("Windows 2 to \(windows.count) can be moved to.") }
            moveWindow(active, to: n - 1)
        default:
            guard let n = words.first.flatMap(Int.init) else { return usage("window") }
            guard n >= 1, n <= windows.count else {
                return error("There is no window \(n): windows 1 to \(windows.count) are open.")
            }
            switchTo(n - 1)
        }
    }

    /// Whether a line from `source` of this kind is hidden by an /ignore.
    func isIgnored(_ kind: Ignore.Kind, source: String?) -> Bool {
        guard !ignores.isEmpty, let source, source.contains("!") else { return false }
        return ignores.contains { $0.hides(kind, source: source, mapping: caseMapping) }
    }
}
