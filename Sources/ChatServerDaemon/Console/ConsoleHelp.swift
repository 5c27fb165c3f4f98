/// The console's commands: names, usage and help text (`help`, `help COMMAND`, hints).
/// docs/CONSOLE.md says the same at more length.
enum ConsoleHelp {
    struct Spec {
        var name: String
        var aliases: [String] = []
        var usage: String
        var summary: String
        var details: [String]
    }

    static let specs: [Spec] = [
        Spec(name: "help", aliases: ["?"], usage: "help [COMMAND]", summary: "list the commands, or explain one",
             details: ["Without a command: one line per command. With one: its usage, what it does and an example."]),
        Spec(name: "who", usage: "who [NICKMASK]", summary: "connected users: nick, address, dialect, channels, idle, since",
             details: ["One row per connection, registered or not (a connection still choosing a nick shows as *).",
                       "NICKMASK filters by nick with * and ? wildcards.",
                       "Example: who a*"]),
        Spec(name: "channels", usage: "channels", summary: "channels: members now, founder and registration, topic",
             details: ["Every channel, registered ones included even when nobody is in them; a registered",
                       "channel shows its founder's account, when it was registered and whether it is frozen.",
                       "Example: channels"]),
        Spec(name: "kick", usage: "kick NICK [REASON]", summary: "disconnect a user, telling them and their channels why",
             details: ["The user sees 'Kicked by the server operator: REASON' and is disconnected;",
                       "everyone sharing a channel with them sees them quit with that reason.",
                       "Example: kick mallory flooding #lobby"]),
        Spec(name: "ban", usage: "ban ADDRESS|MASK|NICK [DURATION] [REASON]", summary: "refuse connections from an address or a nick!user@host mask",
             details: ["ADDRESS is an exact IP (192.0.2.7, 2001:db8::7). MASK is nick!user@host with * and ?",
                       "wildcards (*!*@192.0.2.*); a bare host glob such as 192.0.2.* means *!*@192.0.2.*.",
                       "NICK (a connected user) bans that user's address.",
                       "DURATION: 90, 30s, 10m, 2h, 1d, 1w, 1h30m; none (or 'permanent') means until unbanned.",
                       "Matching users already connected are disconnected. Bans live in memory only.",
                       "Example: ban 192.0.2.7 1d spam bot"]),
        Spec(name: "unban", usage: "unban MASK|ADDRESS|NUMBER", summary: "lift a ban (NUMBER as listed by 'bans')",
             details: ["Example: unban 192.0.2.7   or   unban 1"]),
        Spec(name: "bans", usage: "bans", summary: "the bans in force, with time left and reason",
             details: ["Example: bans"]),
        Spec(name: "mute", usage: "mute NICK [DURATION] [REASON]", summary: "stop a user's messages reaching anyone",
             details: ["Their messages are refused with an error ('You are muted by the server operator');",
                       "they can still read, join and part. DURATION as for ban; none means until unmuted.",
                       "Example: mute mallory 10m calm down"]),
        Spec(name: "unmute", usage: "unmute NICK", summary: "let a muted user talk again",
             details: ["Example: unmute mallory"]),
        Spec(name: "say", usage: "say [#CHANNEL] TEXT", summary: "a server notice to everyone, or to one channel",
             details: ["Example: say #lobby the server restarts at 18:00"]),
        Spec(name: "topic", usage: "topic #CHANNEL [TEXT]", summary: "set a channel's topic (without TEXT: show it)",
             details: ["The members see the topic change, set by the server.",
                       "Example: topic #lobby Welcome! Be nice."]),
        Spec(name: "motd", usage: "motd [reload]", summary: "show the message of the day, or re-read its file",
             details: ["'motd reload' re-reads --motd-file; new logins see it. Example: motd reload"]),
        Spec(name: "stats", usage: "stats", summary: "which server (pid, addresses), uptime, clients, sessions, message rates, bytes, hub queue, memory",
             details: ["Rates are per second over the last ~10 s and ~60 s. Memory is PSS from",
                       "/proc/PID/smaps_rollup for the hub and its session processes.",
                       "Example: stats"]),
        Spec(name: "log-level", usage: "log-level [LEVEL]", summary: "show or change the log level",
             details: ["LEVEL: trace, debug, info, notice, warning, error, critical. Example: log-level debug"]),
        Spec(name: "reload", usage: "reload", summary: "what SIGHUP does: reopen the log, re-read the config file and the MOTD",
             details: ["Example: reload"]),
        Spec(name: "shutdown", usage: "shutdown [SECONDS|now|cancel] [MESSAGE]", summary: "announce, count down, stop gracefully",
             details: ["Everyone is told ('Server shutting down in 30 seconds: MESSAGE') and reminded as the",
                       "time runs out; then sessions say goodbye and the server exits with status 0.",
                       "SECONDS also takes 10m-style durations; 'shutdown cancel' stops a countdown.",
                       "'shutdown' alone stops now; a message needs a delay first: shutdown now MESSAGE.",
                       "Example: shutdown 60 back in five minutes"]),
        Spec(name: "accounts", usage: "accounts [MASK]", summary: "registered accounts: name, registered, frozen, sessions logged in",
             details: ["MASK filters by name with * and ? wildcards. Example: accounts a*"]),
        Spec(name: "freeze", usage: "freeze ACCOUNT", summary: "nobody can log in to an account; its sessions are logged out",
             details: ["The account and its nick stay registered; 'unfreeze' lets its owner in again.",
                       "Example: freeze mallory"]),
        Spec(name: "unfreeze", usage: "unfreeze ACCOUNT", summary: "let a frozen account be logged in to again",
             details: ["Example: unfreeze mallory"]),
        Spec(name: "drop-account", usage: "drop-account ACCOUNT", summary: "delete an account; its sessions are logged out",
             details: ["Its nick is free for anyone after this. Example: drop-account mallory"]),
        Spec(name: "freeze-channel", usage: "freeze-channel #CHANNEL", summary: "only server operators may join a registered channel",
             details: ["Its members stay and are told; anyone else who joins is refused ('frozen by the server",
                       "operator'), nobody regains a status in it and ChanServ changes nothing in it.",
                       "Example: freeze-channel #warez"]),
        Spec(name: "unfreeze-channel", usage: "unfreeze-channel #CHANNEL", summary: "let a frozen channel be joined again",
             details: ["Example: unfreeze-channel #warez"]),
        Spec(name: "drop-channel", usage: "drop-channel #CHANNEL", summary: "unregister a channel (its members stay)",
             details: ["Its founder, access list, kept topic and modes are forgotten; an empty channel goes.",
                       "Example: drop-channel #warez"]),
        Spec(name: "backup", usage: "backup PATH", summary: "write a consistent copy of the state database while the server runs",
             details: ["PATH is absolute and must not exist; the copy is made 32 pages per turn of the",
                       "server's loop (the chat goes on), and the console answers when it is whole.",
                       "Lines said meanwhile are in the copy up to the moment it ends. Needs --state-dir.",
                       "Example: backup /var/backups/chat-state-2026-12-07.db"]),
        Spec(name: "quit", aliases: ["exit"], usage: "quit", summary: "leave 'chat-server console' (the server keeps running)",
             details: ["Only for a console attached through the control socket; Ctrl-D does the same."]),
    ]

    static func spec(_ name: String) -> Spec? {
        let n = name.lowercased()
        return specs.first { $0.name == n || $0.aliases.contains(n) }
    }

    static var names: [String] { specs.map(\.name) }

    static func list() -> [String] {
        let width = specs.map(\.usage.count).max() ?? 0
        return ["Commands (help COMMAND for more):"]
            + specs.map { "  " + $0.usage.padded(to: width) + "  " + $0.summary }
    }

    static func explain(_ name: String) -> [String] {
        guard let s = spec(name) else { return [] }
        return ["usage: \(s.usage)", s.summary] + s.details
    }

    /// The command most like `verb`: a unique prefix, or the closest within edit distance 2.
    static func suggestion(for verb: String) -> String? {
        let v = verb.lowercased()
        let prefixed = names.filter { $0.hasPrefix(v) }
        if prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { ($0, editDistance(Array($0.utf8), Array(v.utf8))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Completions of the first word of a console line (Tab in the line editors).
    static func completions(of prefix: String) -> [String] {
        names.filter { $0.hasPrefix(prefix.lowercased()) }
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty || b.count > 64 { return max(a.count, b.count) }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}

extension String {
    func padded(to width: Int) -> String {
        let n = count
        return n >= width ? self : self + String(repeating: " ", count: width - n)
    }
}
