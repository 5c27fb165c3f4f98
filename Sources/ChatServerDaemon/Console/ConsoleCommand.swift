import Logging

/// A command typed at the operator console (the server's terminal or the control socket).
/// Parsing is pure: a line in, a command or a one-line error with a hint out.
enum ConsoleCommand: Equatable {
    case help(topic: String?)
    case who(mask: String?)
    case channels
    case kick(nick: String, reason: String)
    case ban(target: String, seconds: Int64?, reason: String)
    case unban(target: String)
    case bans
    case mute(nick: String, seconds: Int64?, reason: String)
    case unmute(nick: String)
    case say(channel: String?, text: String)
    case topic(channel: String, text: String?)
    case motd
    case motdReload
    case stats
    case logLevel(Logger.Level?)
    case reload
    case shutdown(seconds: Int64, message: String)
    case shutdownCancel
    /// `quit` / `exit`: leave a socket console (the terminal console refuses it).
    case detach
    /// Accounts (ConsoleCommand+Accounts.swift): list, freeze, unfreeze, drop.
    case accounts(mask: String?)
    case freeze(account: String)
    case unfreeze(account: String)
    case dropAccount(account: String)
    /// Registered channels (ConsoleCommand+Channels.swift): freeze, unfreeze, drop.
    case freezeChannel(channel: String)
    case unfreezeChannel(channel: String)
    case dropChannel(channel: String)
    /// `backup PATH`: a copy of the state database (ConsoleCommand+Backup.swift).
    case backup(path: String)

    /// Whether carrying it out changes nothing (a listing, help): the audit log has a line of
    /// its own for these, where a change is logged with what it did.
    var onlyLooks: Bool {
        switch self {
        case .help, .who, .channels, .bans, .motd, .stats, .detach, .accounts: true
        case .logLevel(let level): level == nil
        case .topic(_, let text): text == nil
        default: false
        }
    }

    /// Longest duration accepted anywhere (ten years): keeps every sum far from overflow.
    static let maxSeconds: Int64 = 10 * 365 * 86400

    static func parse(_ line: String) -> Result<ConsoleCommand, ConsoleError> {
        var words = Words(line)
        guard let verb = words.next()?.lowercased() else {
            return .failure(ConsoleError("empty command", hint: "type 'help' for the list of commands"))
        }
        guard let spec = ConsoleHelp.spec(verb) else {
            return .failure(unknown(verb))
        }
        func usage(_ message: String) -> Result<ConsoleCommand, ConsoleError> {
            .failure(ConsoleError(message, hint: "usage: \(spec.usage); 'help \(spec.name)' explains it"))
        }
        switch spec.name {
        case "help":
            let topic = words.next()?.lowercased()
            if let topic, ConsoleHelp.spec(topic) == nil { return .failure(unknown(topic)) }
            if !words.rest.isEmpty { return usage("help takes at most one command name") }
            return .success(.help(topic: topic.flatMap { ConsoleHelp.spec($0)?.name }))
        case "who":
            let mask = words.next()
            if !words.rest.isEmpty { return usage("who takes at most one nick mask") }
            return .success(.who(mask: mask))
        case "channels", "bans", "stats", "reload", "quit":
            if !words.rest.isEmpty { return usage("\(spec.name) takes no arguments") }
            switch spec.name {
            case "channels": return .success(.channels)
            case "bans": return .success(.bans)
            case "stats": return .success(.stats)
            case "reload": return .success(.reload)
            default: return .success(.detach)
            }
        case "kick":
            guard let nick = words.next() else { return usage("kick needs a nick") }
            return .success(.kick(nick: nick, reason: words.rest))
        case "ban":
            guard let target = words.next() else { return usage("ban needs an address, a mask or a nick") }
            var seconds: Int64?
            if let d = words.peek(), looksLikeDuration(d) {
                switch parseDuration(d) {
                case .success(let s): seconds = s == 0 ? nil : s; _ = words.next()
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.ban(target: target, seconds: seconds, reason: words.rest))
        case "unban":
            guard let target = words.next() else { return usage("unban needs a ban's mask, address or number (see 'bans')") }
            if !words.rest.isEmpty { return usage("unban takes one ban") }
            return .success(.unban(target: target))
        case "mute":
            guard let nick = words.next() else { return usage("mute needs a nick") }
            var seconds: Int64?
            if let d = words.peek(), looksLikeDuration(d) {
                switch parseDuration(d) {
                case .success(let s): seconds = s == 0 ? nil : s; _ = words.next()
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.mute(nick: nick, seconds: seconds, reason: words.rest))
        case "unmute":
            guard let nick = words.next() else { return usage("unmute needs a nick") }
            if !words.rest.isEmpty { return usage("unmute takes one nick") }
            return .success(.unmute(nick: nick))
        case "say":
            var channel: String?
            if let first = words.peek(), first.hasPrefix("#") {
                channel = first
                _ = words.next()
            }
            let text = words.rest
            if text.isEmpty { return usage(channel == nil ? "say needs some text" : "say needs some text after the channel") }
            return .success(.say(channel: channel, text: text))
        case "topic":
            guard let channel = words.next(), channel.hasPrefix("#") else { return usage("topic needs a #channel") }
            let text = words.rest
            return .success(.topic(channel: channel, text: text.isEmpty ? nil : text))
        case "motd":
            guard let sub = words.next() else { return .success(.motd) }
            if sub.lowercased() == "reload" && words.rest.isEmpty { return .success(.motdReload) }
            return usage("the only motd subcommand is 'reload'")
        case "log-level":
            guard let name = words.next() else { return .success(.logLevel(nil)) }
            if !words.rest.isEmpty { return usage("log-level takes one level") }
            guard let level = Logger.Level(rawValue: name.lowercased()) else {
                return .failure(ConsoleError("unknown log level \(quoted(name))",
                                             hint: "levels: trace, debug, info, notice, warning, error, critical"))
            }
            return .success(.logLevel(level))
        case "shutdown":
            guard let first = words.peek() else { return .success(.shutdown(seconds: 0, message: "")) }
            if first.lowercased() == "cancel" {
                _ = words.next()
                if !words.rest.isEmpty { return usage("shutdown cancel takes nothing more") }
                return .success(.shutdownCancel)
            }
            // The delay comes first and is never guessed: a slip such as `shutdown -5` or
            // `shutdown soon` must not stop the server at once with the slip as its message.
            var seconds: Int64 = 0
            if first.lowercased() == "now" {
                _ = words.next()
            } else if looksLikeDuration(first) {
                switch parseDuration(first) {
                case .success(let s): seconds = s; _ = words.next()
                case .failure(let e): return .failure(e)
                }
            } else {
                return .failure(ConsoleError("\(quoted(first)) is not a delay",
                                             hint: "a message needs a delay first: shutdown now MESSAGE, or shutdown 5m MESSAGE"))
            }
            return .success(.shutdown(seconds: seconds, message: words.rest))
        default:
            return parseAccountCommand(spec.name, &words, usage: usage) ?? parseChannelCommand(spec.name, &words, usage: usage)
                ?? parseBackupCommand(spec.name, &words, usage: usage)
                ?? .failure(unknown(verb))
        }
    }

    /// Whether a word is meant as a duration (and must then parse as one): it starts with a
    /// digit, or with a sign and a digit (`-5` is a bad duration, not a reason), or it is
    /// `permanent`/`forever`.
    static func looksLikeDuration(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars.prefix(2))
        func digit(_ i: Int) -> Bool { i < scalars.count && scalars[i].value >= 0x30 && scalars[i].value <= 0x39 }
        if digit(0) { return true }
        if let s = scalars.first, s == "-" || s == "+", digit(1) { return true }
        let t = word.lowercased()
        return t == "permanent" || t == "forever"
    }

    /// `90`, `30s`, `10m`, `2h`, `1d`, `1w`, `1h30m` in seconds; `permanent` is 0 (no end).
    static func parseDuration(_ text: String) -> Result<Int64, ConsoleError> {
        let bad = ConsoleError("bad duration \(quoted(text))", hint: "durations look like 90, 30s, 10m, 2h, 1d, 1w, 1h30m or 'permanent'")
        let t = text.lowercased()
        if t == "permanent" || t == "forever" { return .success(0) }
        var total: Int64 = 0
        var number: Int64?
        for ch in t.unicodeScalars {
            if ch.value >= 0x30 && ch.value <= 0x39 {
                let digit = Int64(ch.value - 0x30)
                let (times, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(digit)
                if o1 || o2 || plus > maxSeconds { return .failure(tooLong(text)) }
                number = plus
                continue
            }
            guard let n = number else { return .failure(bad) }
            let unit: Int64
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            case "w": unit = 7 * 86400
            default: return .failure(bad)
            }
            let (v, o) = n.multipliedReportingOverflow(by: unit)
            if o || v > maxSeconds { return .failure(tooLong(text)) }
            total += v
            if total > maxSeconds { return .failure(tooLong(text)) }
            number = nil
        }
        if let n = number { total += n }
        if total > maxSeconds { return .failure(tooLong(text)) }
        if t.isEmpty { return .failure(bad) }
        return .success(total)
    }

    private static func tooLong(_ text: String) -> ConsoleError {
        ConsoleError("duration \(quoted(text)) is too long", hint: "at most ten years; leave it out (or say 'permanent') for no end")
    }

    /// A word of the command line in an error message, in quotes: without the control
    /// characters (they would act on the operator's terminal, and the socket protocol's
    /// lines must not carry them), and saying so, as what is left may look right.
    static func quoted(_ word: String) -> String {
        let shown = ConsoleFormat.clean(word)
        return shown == word ? "'\(word)'" : "'\(shown)' (control characters removed)"
    }

    private static func unknown(_ verb: String) -> ConsoleError {
        let shown = ConsoleFormat.clean(String(verb.prefix(40)))
        if shown.isEmpty {
            return ConsoleError("that line held only control characters", hint: "'help' lists the commands")
        }
        if verb == "exit" || verb == "stop" || verb == "halt" {
            return ConsoleError("unknown command '\(shown)'", hint: "'shutdown' stops the server; 'quit' leaves a socket console")
        }
        if let guess = ConsoleHelp.suggestion(for: verb) {
            return ConsoleError("unknown command '\(shown)'", hint: "did you mean '\(guess)'? 'help' lists the commands")
        }
        return ConsoleError("unknown command '\(shown)'", hint: "'help' lists the commands")
    }
}
