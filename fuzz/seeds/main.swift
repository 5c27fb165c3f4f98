// Writes the seed corpora under fuzz/corpus/<target>/ (compiled and run by fuzz/make-seeds.sh). Realistic,
// small inputs: what irssi, WeeChat and servers send, PuTTY's telnet bursts, typed commands,
// hub frames of every request and event type, escape sequences, invalid UTF-8.
#if canImport(Glibc)
import Glibc
#endif

var written = 0

func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let path = "fuzz/corpus/\(target)/\(name)"
    guard let f = fopen(path, "wb") else { fatalError("cannot write \(path) (run from the repository root)") }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
    written += 1
}
func write(_ target: String, _ name: String, _ text: String) { write(target, name, Array(text.utf8)) }

// MARK: - IRC lines

let clientLines: [(String, String)] = [
    ("irssi-cap-ls", "CAP LS 302"),
    ("irssi-nick", "NICK alice"),
    ("irssi-user", "USER alice alice localhost :Alice Liddell"),
    ("irssi-cap-req", "CAP REQ :multi-prefix server-time"),
    ("irssi-cap-end", "CAP END"),
    ("weechat-user", "USER weechat 0 * :WeeChat 4.1.1"),
    ("weechat-ping", "PING :1700000000"),
    ("join", "JOIN #lobby,#rust"),
    ("mode-query", "MODE #lobby"),
    ("who", "WHO #lobby"),
    ("privmsg", "PRIVMSG #lobby :hello world"),
    ("action", "PRIVMSG bob :\u{1}ACTION waves\u{1}"),
    ("part", "PART #rust :see you"),
    ("quit", "QUIT :Leaving"),
    ("leading-spaces", "   PRIVMSG  #lobby   :spaced"),
    ("empty-trailing", "TOPIC #lobby :"),
]
let serverLines: [(String, String)] = [
    ("rpl-welcome", ":irc.example.net 001 alice :Welcome to the Example Network, alice!alice@localhost"),
    ("rpl-isupport", ":irc.example.net 005 alice CHANTYPES=# PREFIX=(o)@ CASEMAPPING=rfc1459 NICKLEN=30 :are supported by this server"),
    ("rpl-namreply", ":irc.example.net 353 alice = #lobby :@bob alice carol"),
    ("err-nicknameinuse", ":irc.example.net 433 * alice :Nickname is already in use"),
    ("cap-ls", ":irc.example.net CAP * LS :multi-prefix server-time"),
    ("server-time", "@time=2025-01-01T12:34:56.789Z :bob!bob@host.example PRIVMSG #lobby :hi there"),
    ("tags-escaped", "@+draft/reply=abc;msgid=x\\sy\\:z\\\\w\\r\\n;flag;=bad :bob!b@h TAGMSG #lobby"),
    ("tags-dup", "@a=1;b=2;a=3;c :srv NOTICE * :dup"),
    ("ctcp-ping", ":bob!b@h PRIVMSG alice :\u{1}PING 12345\u{1}"),
    ("ctcp-version", ":bob!b@h PRIVMSG alice :\u{1}VERSION\u{1}"),
    ("kick", ":bob!b@h KICK #lobby alice :behave"),
    ("topic-colours", ":bob!b@h TOPIC #lobby :new \u{3}04,12red\u{3} \u{2}bold\u{2}"),
    ("ping", "PING :irc.example.net"),
    ("error", "ERROR :Closing Link: alice (Quit: bye)"),
    ("nick", ":alice!a@h NICK :alice_"),
    ("numeric-no-source", "372 alice :- message of the day"),
    ("ansi-in-text", ":evil!e@h PRIVMSG #lobby :\u{1B}[2J\u{1B}]0;pwned\u{7}\u{202E}gpj.exe"),
]

func ircBytes() -> [(String, [UInt8])] {
    var all = (clientLines + serverLines).map { ($0.0, Array($0.1.utf8)) }
    all.append(("invalid-utf8", Array(":b!b@h PRIVMSG #lobby :caf".utf8) + [0xE9, 0x20, 0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80]))
    all.append(("invalid-utf8-tag", Array("@k=".utf8) + [0xE2, 0x82] + Array("\\".utf8) + [0xAC] + Array(" PING x".utf8)))
    all.append(("long-body", Array((":srv NOTICE * :" + String(repeating: "x", count: 600)).utf8)))
    all.append(("nul-inside", Array("PRIVMSG #a :x".utf8) + [0] + Array("y".utf8)))
    return all
}
for (name, bytes) in ircBytes() { write("irc-message", name, bytes) }

// The client reads a stream: several lines per read, every line end.
let burst = serverLines.prefix(8).map { $0.1 }.joined(separator: "\r\n") + "\r\n"
write("client-irc-line", "registration-burst", burst)
write("client-irc-line", "lf-only", serverLines.suffix(6).map { $0.1 }.joined(separator: "\n") + "\n")
write("client-irc-line", "unterminated", ":bob!b@h PRIVMSG #lobby :no line end")
for (name, line) in serverLines { write("client-irc-line", name, line + "\r\n") }
write("client-irc-line", "invalid-utf8", Array(":b!b@h PRIVMSG #lobby :".utf8) + [0xC0, 0xAF, 0xF4, 0x90, 0x80, 0x80, 0x0D, 0x0A])
// Whole sessions for the client's reducer: registration, a channel, every kind of event it
// handles, CTCP from sources it must not answer, and a nick change and rejoin.
let session = [
    ":irc.example.net CAP * LS * :multi-prefix sasl", ":irc.example.net CAP * LS :server-time",
    ":irc.example.net CAP me ACK :server-time", ":irc.example.net 433 * me :Nickname is already in use",
    ":irc.example.net 001 me_ :Welcome", ":irc.example.net 005 me_ CHANTYPES=#& PREFIX=(qaohv)~&@%+ CHANMODES=beI,k,l,imnpst CASEMAPPING=ascii NETWORK=Example :are supported",
    ":me_!u@h JOIN #lobby", ":irc.example.net 332 me_ #lobby :the \u{3}4topic", ":irc.example.net 353 me_ = #lobby :~owner &admin @op %half +voice me_",
    ":irc.example.net 366 me_ #lobby :End of /NAMES list.", "@time=2025-01-01T12:34:56.789Z :op!o@h PRIVMSG #lobby :hi me_",
    ":op!o@h MODE #lobby +o-v+b voice voice *!*@bad", ":op!o@h NOTICE @#lobby :ops only", ":dan!d@h JOIN #lobby",
    ":dan!d@h NICK :danny", ":danny!d@h PRIVMSG me_ :psst", ":danny!d@h PRIVMSG me_ :\u{1}ACTION waves\u{1}",
    ":op!o@h KICK #lobby danny :bye", ":half!h@h PART #lobby :later", ":admin!a@h QUIT :gone", ":op!o@h TOPIC #lobby :",
    ":me_!u@h NICK me", "PING :irc.example.net", ":irc.example.net PONG irc.example.net :chat-tui-1700000000000",
    ":x!y@z INVITE me #secret", ":irc.example.net 401 me nobody :No such nick", ":me!u@h PART #lobby :done",
].joined(separator: "\r\n") + "\r\n"
write("client-irc-line", "session", session)
write("client-irc-line", "ctcp-odd-sources", [
    ":!u@h PRIVMSG me :\u{1}VERSION\u{1}", ":irc.example.net PRIVMSG me :\u{1}PING 1\u{1}", "::x!u@h PRIVMSG me :\u{1}PING 2\u{1}",
    ":#c!u@h PRIVMSG me :\u{1}VERSION\u{1}", ":a,b!u@h PRIVMSG me :\u{1}PING 3\u{1}", ":bob!b@h PRIVMSG me :\u{1}PING \u{1}x\u{1}",
    ":bob!b@h PRIVMSG me :\u{1}PING " + String(repeating: "9", count: 600) + "\u{1}", ":bob!b@h NOTICE me :\u{1}VERSION x\u{1}",
].joined(separator: "\r\n") + "\r\n")
write("client-irc-line", "odd-names", [
    ":srv 001 :you there", ":srv 005 me = =x PREFIX=(ov)\u{1b}+ CASEMAPPING=rfc1459 :ok", ":me!u@h JOIN :#a b,#b\u{1f}c",
    ":srv 353 me = #b\u{1f}c :\u{1b}x y[ Y{", ":srv 366 me #b\u{1f}c :End", ":me!u@h NICK :m e", ":me!u@h NICK :",
    ":srv 005 me CASEMAPPING=ascii :ok", ":Y{!u@h PART #b\u{1f}c", ":evil!e@h PRIVMSG #x\u{202e}y :z",
].joined(separator: "\r\n") + "\r\n")

// MARK: - Line framer and telnet

let framer: [(String, [UInt8])] = [
    ("crlf", Array("hello\r\nworld\r\n".utf8)),
    ("every-line-end", Array("a\rb\nc\r\n".utf8) + [0x0D, 0x00] + Array("d\r".utf8)),
    ("empty-lines", Array("\r\n\r\n\n\r".utf8)),
    ("backspace", Array("helo".utf8) + [0x08] + Array("lo\r\n".utf8)),
    ("backspace-utf8", Array("caf\u{E9}".utf8) + [0x7F] + Array("e\r\n".utf8)),
    ("backspace-invalid", [0x61, 0xE2, 0x82, 0x08, 0xF0, 0x9F, 0x98, 0x80, 0x08, 0x0D, 0x0A]),
    ("erase-line", Array("oops".utf8) + [0x15] + Array("fixed\r\n".utf8)),
    ("character-mode", [0x68, 0x69, 0x20, 0x74, 0x68, 0x65, 0x72, 0x65, 0x08, 0x0D, 0x00]),
    ("no-newline", Array("typed without a line end".utf8)),
    ("long-line", Array(String(repeating: "y", count: 700).utf8) + [0x0D, 0x0A] + Array("next\r\n".utf8)),
]
for (name, bytes) in framer { write("line-framer", name, bytes) }

let telnet: [(String, [UInt8])] = [
    ("putty-opening", [0xFF, 0xFB, 0x1F, 0xFF, 0xFB, 0x20, 0xFF, 0xFB, 0x18, 0xFF, 0xFB, 0x27, 0xFF, 0xFD, 0x01,
                       0xFF, 0xFB, 0x03, 0xFF, 0xFD, 0x03]),
    ("bsd-telnet-opening", [0xFF, 0xFD, 0x03, 0xFF, 0xFB, 0x18, 0xFF, 0xFB, 0x1F, 0xFF, 0xFB, 0x20, 0xFF, 0xFB, 0x21,
                            0xFF, 0xFB, 0x22, 0xFF, 0xFB, 0x27, 0xFF, 0xFD, 0x05]),
    ("naws", [0xFF, 0xFA, 0x1F, 0x00, 0x50, 0x00, 0x18, 0xFF, 0xF0] + Array("hi\r\n".utf8)),
    ("ttype-is", [0xFF, 0xFA, 0x18, 0x00] + Array("XTERM-256COLOR".utf8) + [0xFF, 0xF0]),
    ("sb-escaped-iac", [0xFF, 0xFA, 0x1F, 0x00, 0xFF, 0xFF, 0x00, 0x18, 0xFF, 0xF0]),
    ("ayt-ec-el", Array("abc".utf8) + [0xFF, 0xF6, 0xFF, 0xF7, 0xFF, 0xF8, 0xFF, 0xF6] + Array("\r\n".utf8)),
    ("iac-iac-data", [0x61, 0xFF, 0xFF, 0x62, 0x0D, 0x0A]),
    ("latin1-stray-sb", Array("caf".utf8) + [0xFF, 0xFA] + Array(String(repeating: "z", count: 80).utf8)),
    ("character-mode-typing", [0x68, 0x0D, 0x00, 0x69, 0x08, 0x6F, 0x0D, 0x00]),
    ("dont-will-loop", [0xFF, 0xFE, 0x03, 0xFF, 0xFD, 0x03, 0xFF, 0xFE, 0x03, 0xFF, 0xFD, 0x03, 0xFF, 0xFB, 0x01, 0xFF, 0xFB, 0x01]),
    ("commands", [0xFF, 0xF1, 0xFF, 0xF2, 0xFF, 0xF3, 0xFF, 0xF4, 0xFF, 0xF5, 0xFF, 0xF9, 0xFF, 0xF0, 0xFF, 0x10]),
    ("plain", Array("hello from nc\n".utf8)),
]
for (name, bytes) in telnet { write("telnet-filter", name, bytes) }
// Telnet streams are line-framer input too (after filtering, but raw is a fine seed).
write("line-framer", "putty-opening", telnet[0].1 + Array("alice\r\n".utf8))

// Keystrokes a telnet client sends in character mode, after the telnet filter.
let keys: [(String, [UInt8])] = [
    ("typing-crnul", Array("hello there".utf8) + [0x0D, 0x00]),
    ("editing", Array("one two three".utf8) + [0x1B, 0x5B, 0x44, 0x1B, 0x4F, 0x44, 0x08, 0x7F, 0x01, 0x1B, 0x5B, 0x33, 0x7E,
                                               0x05, 0x17, 0x15, 0x0B, 0x0C, 0x0D, 0x0A]),
    ("home-end", Array("x".utf8) + [0x1B, 0x5B, 0x48, 0x1B, 0x5B, 0x46, 0x1B, 0x4F, 0x48, 0x1B, 0x4F, 0x46, 0x1B, 0x5B, 0x31, 0x7E,
                                    0x1B, 0x5B, 0x34, 0x7E, 0x1B, 0x5B, 0x37, 0x7E, 0x1B, 0x5B, 0x38, 0x7E]),
    ("history", Array("first\rsecond\r".utf8) + [0x1B, 0x5B, 0x41, 0x1B, 0x5B, 0x41, 0x10, 0x0E, 0x1B, 0x5B, 0x42, 0x0D]),
    ("ctrl-c-ctrl-d", Array("oops".utf8) + [0x03, 0x04, 0x61, 0x04, 0x08, 0x04, 0x04]),
    ("utf8-wide", Array("世界 caf\u{E9} e\u{301} \u{1F600}".utf8) + [0x7F, 0x7F, 0x0D, 0x0A]),
    ("invalid-utf8", [0x61, 0xFF, 0xC3, 0x28, 0x80, 0xE2, 0x80, 0xAE, 0xC2, 0x9B, 0xF0, 0x9F, 0x98, 0x0D]),
    ("long-line", Array(String(repeating: "long input ", count: 60).utf8) + [0x01, 0x1B, 0x5B, 0x43, 0x0D]),
]
for (name, bytes) in keys { write("human-line-editor", name, bytes) }

// MARK: - Text

let text: [(String, [UInt8])] = [
    ("plain", Array("hello, world".utf8)),
    ("sgr", Array("\u{1B}[1;31mred\u{1B}[0m".utf8)),
    ("osc-title-bel", Array("\u{1B}]0;title\u{7}after".utf8)),
    ("osc8-link", Array("\u{1B}]8;;http://example.com\u{1B}\\link\u{1B}]8;;\u{1B}\\".utf8)),
    ("dcs", Array("\u{1B}P1$r0m\u{1B}\\x".utf8)),
    ("c1-csi", [0xC2, 0x9B, 0x33, 0x31, 0x6D, 0x72, 0x65, 0x64]),
    ("c1-osc-st", [0xC2, 0x9D, 0x30, 0x3B, 0x74, 0xC2, 0x9C, 0x6F, 0x6B]),
    ("nf-escape", Array("\u{1B}(B\u{1B}#8\u{1B}c\u{1B}7x".utf8)),
    ("csi-broken", Array("\u{1B}[12\u{7}still text".utf8)),
    ("trojan-source", Array("access\u{202E}\u{2066}// admin\u{2069}\u{202C}".utf8)),
    ("irc-colours", Array("\u{3}04,12red on blue\u{F} \u{3}3,x \u{4}ff0000hex\u{4} \u{2}b\u{1D}i\u{1F}u".utf8)),
    ("ctcp", Array("\u{1}ACTION waves\u{1}".utf8)),
    ("tabs-del-crlf", Array("a\tb\u{7F}c\r\nd".utf8)),
    ("overlong", [0xC0, 0xAF, 0xE0, 0x80, 0xAF, 0xF0, 0x80, 0x80, 0xAF]),
    ("surrogate", [0xED, 0xA0, 0x80, 0xED, 0xBF, 0xBF]),
    ("truncated", [0x61, 0xE2, 0x82, 0x62, 0xF0, 0x9F, 0x98]),
    ("above-max", [0xF4, 0x90, 0x80, 0x80, 0xF5, 0x80]),
    ("stray-continuation", [0x80, 0xBF, 0x61, 0xFE, 0xFF]),
    ("emoji-cjk", Array("\u{1F600} \u{65E5}\u{672C} e\u{301}".utf8)),
]
for (name, bytes) in text { write("text-safety", name, bytes) }

// MARK: - Typed human commands

let typed: [String] = [
    "hello everyone", "/join #rust", "/join rust", "/JOIN #Rust", "/part", "/part #rust see you", "/part see you",
    "/msg bob hi there", "/msg #rust hi", "/msg bob", "/msg a,b hi", "/me waves", "/me", "/nick alice2",
    "/nick two words", "/topic", "/topic new topic here", "/who", "/who #rust", "/names", "/names rust",
    "/list", "/list extra", "/away lunch", "/away", "/whois bob", "/whois", "/motd", "/quit bye", "/quit",
    "/help", "/help join", "/help /JOIN", "//not a command", "/", "/ space", "/unknown stuff",
    "  spaced   line  ", "\tindented\t", "/join #a,#b",
]
for (i, line) in typed.enumerated() {
    let name = line.utf8.filter { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }.prefix(20)
    write("human-command", "\(i < 10 ? "0" : "")\(i)-" + String(decoding: name, as: UTF8.self), line)
}
write("human-command", "invalid-utf8", Array("/msg bob ".utf8) + [0xC3, 0x28, 0xFF])
write("human-command", "crlf-inside", "/topic one\r\ntwo")

// MARK: - Hub frames

let welcome = Welcome(nick: "alice", user: "alice", host: "localhost", serverName: "irc.example.net",
                      network: "Example", version: "chat-server-1.0", createdAt: 1_700_000_000,
                      isupport: ["CHANTYPES=#", "PREFIX=(o)@", "CASEMAPPING=rfc1459"], users: 3, channels: 2,
                      motd: ["Be nice.", ""])
let requests: [(String, HubRequest)] = [
    ("hello", .hello(dialect: .irc)), ("register", .register(nick: "alice", user: "alice", realName: "Alice L")),
    ("nick", .nick("alice_")), ("join", .join(channels: ["#lobby", "#rust"])),
    ("part", .part(channels: ["#rust"], reason: "bye")),
    ("message", .message(kind: .privmsg, target: "#lobby", text: "hello")),
    ("action", .message(kind: .action, target: "bob", text: "waves")),
    ("topic-set", .topic(channel: "#lobby", text: "welcome")), ("topic-get", .topic(channel: "#lobby", text: nil)),
    ("names", .names(channel: "#lobby")), ("names-own", .names(channel: nil)), ("who", .who(mask: "#lobby")),
    ("whois", .whois(nick: "bob")), ("kick", .kick(channel: "#lobby", nick: "bob", reason: "spam")),
    ("away", .away(text: "lunch")), ("back", .away(text: nil)), ("mode", .mode(target: "#lobby", args: ["+o", "bob"])),
    ("list", .list(channels: [])), ("list-masks", .list(channels: ["#a*", "!*b", ">1"])), ("motd", .motd), ("quit", .quit(reason: "bye")),
    ("lusers", .lusers), ("ison", .ison(nicks: ["bob", "carol"])), ("userhost", .userhost(nicks: ["bob"])),
    ("whox", .who(mask: "b*", options: WhoOptions(operatorsOnly: false, whox: WhoxFormat(fields: .all, token: "42")))),
    ("whowas", .whowas(nick: "bob", count: 2)),
    ("monitor", .monitor(.add, targets: ["bob", "carol"])), ("monitor-status", .monitor(.status, targets: [])),
    ("invitations", .invitations),
    ("oper", .oper(name: "operuser", password: "sesame")), ("kill", .kill(nick: "bob", reason: "spam")),
    ("wallops", .wallops(text: "maintenance at noon")), ("user-mode", .mode(target: "alice", args: ["+iw"])),
]
let events: [(String, HubEvent)] = [
    ("welcome", .welcome(welcome)),
    ("error", .error(code: .nicknameInUse, params: ["alice"], text: "Nickname is already in use")),
    ("nick", .nick(source: "alice!alice@localhost", newNick: "alice_")),
    ("join", .join(channel: "#lobby", source: "bob!bob@host")),
    ("part", .part(channel: "#lobby", source: "bob!bob@host", reason: "bye")),
    ("quit", .quit(source: "bob!bob@host", reason: "Quit: leaving")),
    ("kick", .kick(channel: "#lobby", source: "op!op@host", nick: "bob", reason: "spam")),
    ("message", .message(source: "bob!bob@host", kind: .privmsg, target: "#lobby", text: "hi all", time: 1_700_000_000_123)),
    ("topic", .topic(channel: "#lobby", text: "welcome", setBy: "op!op@host", setAt: 1_700_000_000, isChange: true)),
    ("names", .names(channel: "#lobby", members: [Member(nick: "op", isOperator: true), Member(nick: "bob", isOperator: false)])),
    ("who", .who(mask: "#lobby", entries: [WhoEntry(channel: "#lobby", nick: "bob", user: "bob", host: "host",
                                                     realName: "Bob", isAway: true, isOperator: false, isServerOperator: true)])),
    ("whois", .whois(WhoisInfo(nick: "bob", user: "bob", host: "host", realName: "Bob", channels: ["@#lobby", "#rust"],
                               idleSeconds: 42, signonTime: 1_700_000_000, away: "lunch"))),
    ("whois-missing", .whoisMissing(nick: "carol")),
    ("whowas", .whowas(nick: "bob", entries: [WhowasEntry(nick: "bob", user: "bob", host: "host", realName: "Bob",
                                                          server: "chat.local", leftAt: 1_700_000_000)])),
    ("away-status", .awayStatus(isAway: true)), ("away-reply", .awayReply(nick: "bob", text: "lunch")),
    ("channel-modes", .channelModes(channel: "#lobby", modes: "+nt", createdAt: 1_700_000_000)),
    ("list", .list([ChannelSummary(name: "#lobby", users: 3, topic: "welcome"), ChannelSummary(name: "#rust", users: 1, topic: "")])),
    ("motd", .motd(["line one", "line two"])), ("motd-missing", .motd(nil)),
    ("server-notice", .serverNotice(text: "restarting soon")), ("disconnect", .disconnect(reason: "Send queue exceeded")),
    ("member-count", .memberCount(channel: "#lobby", count: 10_000)),
    ("lusers", .lusers(LuserCounts(users: 3, invisible: 1, operators: 1, unknown: 2, channels: 2, maxUsers: 4))), ("ison", .ison(nicks: ["bob"])),
    ("monitor", .monitor(online: ["bob!b@h"], offline: ["carol"])), ("monitor-list", .monitorList(targets: ["bob"])),
    ("invitations", .invitations(channels: ["#club", "#b"])),
    ("userhost", .userhost([UserHost(nick: "bob", user: "bob", host: "host", isAway: true, isServerOperator: true)])),
    ("channel-mode-change", .channelModeChange(channel: "#lobby", source: "op!op@host", modes: "+o", args: ["bob"])),
    ("user-modes", .userModes(nick: "alice", modes: "+iwo", isChange: false)),
    ("user-mode-change", .userModes(nick: "alice", modes: "+o", isChange: true)),
    ("youre-oper", .youreOper(name: "operuser")), ("wallops", .wallops(source: "op!op@host", text: "maintenance at noon")),
]

/// A record of the hub-frame target's second reading: [type][length u16 LE][payload].
func record(_ frame: [UInt8]) -> [UInt8] {
    let payload = Array(frame[HubFrame.headerSize...])
    return [frame[3], UInt8(payload.count & 0xFF), UInt8(payload.count >> 8)] + payload
}
var allFrames: [UInt8] = []
for (name, r) in requests {
    write("hub-frame", "request-" + name, record(r.frame()))
    allFrames += r.frame()
}
for (name, e) in events {
    write("hub-frame", "event-" + name, record(e.frame()))
    allFrames += e.frame()
}
// Raw streams, as a session or the hub reads them off a pipe.
write("hub-frame", "stream-requests", requests.prefix(6).flatMap { $0.1.frame() })
write("hub-frame", "stream-events", events.prefix(8).flatMap { $0.1.frame() })
var corrupt = events[7].1.frame()
corrupt[corrupt.count - 1] ^= 0x01
write("hub-frame", "stream-bad-crc", requests[0].1.frame() + corrupt)
write("hub-frame", "stream-partial", Array(allFrames.prefix(40)))

// MARK: - Requests into ChatState (records [op][type][length u16 LE][payload])

/// A chat-state record: session `id` (1...8) sends `r`.
func request(_ id: Int, _ r: HubRequest) -> [UInt8] { [UInt8(3 << 3 | (id - 1))] + record(r.frame()) }
let connect4: [UInt8] = [UInt8(0 << 3 | 3)]
let crowd: [UInt8] = [UInt8(2 << 3 | 7)]
for (name, r) in requests { write("chat-state", "request-" + name, request(1, r)) }
write("chat-state", "crowd-who", crowd + request(1, .who(mask: "#c")))
write("chat-state", "crowd-names", crowd + request(2, .names(channel: "#c")))
write("chat-state", "crowd-list", crowd + request(3, .list(channels: [])))
write("chat-state", "crowd-who-wildcard", crowd + request(1, .who(mask: "crowd*")))
write("chat-state", "newcomer", connect4 + request(4, .hello(dialect: .irc))
      + request(4, .register(nick: "dave", user: "d", realName: "Dave")) + request(4, .join(channels: ["#c", "#d"]))
      + request(4, .message(kind: .privmsg, target: "#c", text: "hi")) + request(1, .kick(channel: "#c", nick: "dave", reason: "x"))
      + request(1, .mode(target: "#c", args: ["+o", "bob"])) + request(2, .topic(channel: "#c", text: "t"))
      + request(4, .nick("dave2")) + request(4, .quit(reason: "bye")) + request(1, .whowas(nick: "dave", count: 0)))
let longName = String(repeating: "n", count: 512), longText = String(repeating: "t", count: 8192)
write("chat-state", "at-the-limits", request(1, .who(mask: String(repeating: "*", count: 512)))
      + request(1, .names(channel: "#" + String(longName.dropFirst()))) + request(1, .join(channels: [longName]))
      + request(1, .ison(nicks: Array(repeating: "bob", count: 256))) + request(2, .message(kind: .privmsg, target: "#c", text: longText)))
write("chat-state", "past-a-limit", request(1, .who(mask: longName + "n")) + request(2, .names(channel: "#c")))

// MARK: - Message fast path (type 71 payloads)

func payload(_ e: HubEvent) -> [UInt8] { Array(e.frame()[HubFrame.headerSize...]) }
let messages: [(String, HubEvent)] = [
    ("channel", .message(source: "bob!bob@host", kind: .privmsg, target: "#lobby", text: "hi all", time: 1_700_000_000_123)),
    ("notice", .message(source: "bob!bob@host", kind: .notice, target: "#lobby", text: "note", time: 0)),
    ("action", .message(source: "bob!bob@host", kind: .action, target: "#lobby", text: "waves", time: 86_399_999)),
    ("private", .message(source: "bob!bob@host", kind: .privmsg, target: "me", text: "psst", time: 1_700_000_000_000)),
    ("other-channel", .message(source: "bob!bob@host", kind: .privmsg, target: "#rust", text: "hey", time: 5)),
    ("no-bang", .message(source: "irc.example.net", kind: .notice, target: "me", text: "server says", time: 7)),
    ("empty-text", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "", time: 1)),
    ("before-1970", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "old", time: -1)),
    ("far-future", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "new", time: .max)),
    ("crlf-in-text", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "a\r\nQUIT :x", time: 2)),
    ("formatting", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: "\u{2}bold\u{2}", time: 3)),
    ("long-text", .message(source: "bob!b@h", kind: .privmsg, target: "#lobby", text: String(repeating: "w ", count: 300), time: 4)),
    ("unicode", .message(source: "b\u{F6}b!b@h", kind: .privmsg, target: "#caf\u{E9}", text: "\u{1F600} e\u{301}", time: 5)),
    ("ampersand-channel", .message(source: "bob!b@h", kind: .action, target: "&local", text: "hi", time: 6)),
]
for (name, e) in messages { write("message-fast-path", name, payload(e)) }
write("message-fast-path", "invalid-utf8", [3, 0x62, 0xFF, 0x62, 0, 6] + Array("#lobby".utf8) + [2, 0xC3, 0x28, 2])

print("wrote \(written) seed files")
