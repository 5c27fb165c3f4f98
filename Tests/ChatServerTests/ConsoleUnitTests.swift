@testable import ChatServerDaemon
import ChatPOSIX
import ChatProtocol
import Foundation
import Logging
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized, .compute) struct ConsoleCommandTests {
    func parse(_ line: String) -> ConsoleCommand? { try? ConsoleCommand.parse(line).get() }
    func error(_ line: String) -> ConsoleError? {
        if case .failure(let e) = ConsoleCommand.parse(line) { return e }
        return nil
    }

    @Test func everyCommandParses() {
        #expect(parse("help") == .help(topic: nil))
        #expect(parse("HELP Kick") == .help(topic: "kick"))
        #expect(parse("?") == .help(topic: nil))
        #expect(parse("who") == .who(mask: nil))
        #expect(parse("who a*") == .who(mask: "a*"))
        #expect(parse("channels") == .channels)
        #expect(parse("kick bob") == .kick(nick: "bob", reason: ""))
        #expect(parse("  kick   bob   being   rude  ") == .kick(nick: "bob", reason: "being   rude"))
        #expect(parse("ban 192.0.2.7") == .ban(target: "192.0.2.7", seconds: nil, reason: ""))
        #expect(parse("ban 192.0.2.7 10m spam") == .ban(target: "192.0.2.7", seconds: 600, reason: "spam"))
        #expect(parse("ban *!*@host 1h30m") == .ban(target: "*!*@host", seconds: 5400, reason: ""))
        #expect(parse("ban x permanent go away") == .ban(target: "x", seconds: nil, reason: "go away"))
        #expect(parse("ban x spam bot") == .ban(target: "x", seconds: nil, reason: "spam bot"))
        #expect(parse("unban 2") == .unban(target: "2"))
        #expect(parse("bans") == .bans)
        #expect(parse("mute bob") == .mute(nick: "bob", seconds: nil, reason: ""))
        #expect(parse("mute bob 2h shush") == .mute(nick: "bob", seconds: 7200, reason: "shush"))
        #expect(parse("unmute bob") == .unmute(nick: "bob"))
        #expect(parse("say hello all") == .say(channel: nil, text: "hello all"))
        #expect(parse("say #lobby hello") == .say(channel: "#lobby", text: "hello"))
        #expect(parse("topic #lobby Be nice") == .topic(channel: "#lobby", text: "Be nice"))
        #expect(parse("topic #lobby") == .topic(channel: "#lobby", text: nil))
        #expect(parse("motd") == .motd)
        #expect(parse("motd reload") == .motdReload)
        #expect(parse("stats") == .stats)
        #expect(parse("log-level DEBUG") == .logLevel(.debug))
        #expect(parse("log-level") == .logLevel(nil))
        #expect(parse("reload") == .reload)
        #expect(parse("shutdown") == .shutdown(seconds: 0, message: ""))
        #expect(parse("shutdown 30 back soon") == .shutdown(seconds: 30, message: "back soon"))
        #expect(parse("shutdown 2m") == .shutdown(seconds: 120, message: ""))
        #expect(parse("shutdown now bye") == .shutdown(seconds: 0, message: "bye"))
        #expect(parse("shutdown now maintenance") == .shutdown(seconds: 0, message: "maintenance"))
        #expect(parse("ban 10.1.1.1 spammer") == .ban(target: "10.1.1.1", seconds: nil, reason: "spammer"))
        #expect(parse("mute gina 1h30m flooding") == .mute(nick: "gina", seconds: 5400, reason: "flooding"))
        #expect(parse("shutdown cancel") == .shutdownCancel)
        #expect(parse("quit") == .detach)
        #expect(parse("exit") == .detach)
    }

    @Test func delaysAreSpelledForPeople() {
        #expect(Durations.words(1) == "1 second")
        #expect(Durations.words(90) == "90 seconds")
        #expect(Durations.words(300) == "5 minutes")
        #expect(Durations.words(7200) == "2 hours")
        #expect(Durations.words(3650 * 86400) == "3650 days")
    }

    @Test func badCommandsGetAnErrorAndAHint() throws {
        let unknown = try #require(error("kik bob"))
        #expect(unknown.message == "unknown command 'kik'")
        #expect(unknown.hint.contains("did you mean 'kick'?"))
        #expect(try #require(error("sh")).hint.contains("'shutdown'"))
        #expect(try #require(error("kick")).hint == "usage: kick NICK [REASON]; 'help kick' explains it")
        #expect(try #require(error("ban 1.2.3.4 5x")).message == "bad duration '5x'")
        #expect(try #require(error("ban 1.2.3.4 99999999999999999999d")).message.contains("too long"))
        #expect(try #require(error("mute bob 4000w")).message.contains("too long"))
        #expect(try #require(error("shutdown 3o")).message == "bad duration '3o'")
        // A slip never stops the server at once: the delay comes first and is never guessed.
        #expect(try #require(error("shutdown maintenance")).message == "'maintenance' is not a delay")
        #expect(try #require(error("shutdown soon")).hint.contains("shutdown now MESSAGE"))
        #expect(try #require(error("shutdown -5")).message == "bad duration '-5'")
        // Signed numbers are bad durations, not the start of a reason.
        #expect(try #require(error("mute gina -1")).message == "bad duration '-1'")
        #expect(try #require(error("ban 10.1.1.1 +3 strikes")).message == "bad duration '+3'")
        #expect(try #require(error("ban 10.1.1.1 3x strikes")).message == "bad duration '3x'")
        #expect(try #require(error("\u{1B}[2J\u{07}")).message == "that line held only control characters")
        #expect(try #require(error("log-level loud")).hint.contains("trace"))
        #expect(try #require(error("say")).message == "say needs some text")
        #expect(try #require(error("say #lobby")).message.contains("after the channel"))
        #expect(try #require(error("topic lobby x")).message == "topic needs a #channel")
        #expect(try #require(error("stats now")).message == "stats takes no arguments")
        #expect(try #require(error("help nosuch")).message == "unknown command 'nosuch'")
        #expect(try #require(error("")).message == "empty command")
        #expect(try #require(error("motd edit")).hint.hasPrefix("usage: motd"))
        // Controls typed by mistake do not reach the terminal in the error.
        let escaped = try #require(error("\u{1B}[2Jboom"))
        #expect(!escaped.message.contains("\u{1B}"))
        // Nor from a word that is quoted back, which says they were taken out.
        #expect(try #require(error("ban 1.2.3.4 5\u{1B}[2J spam")).message == "bad duration '5' (control characters removed)")
        #expect(try #require(error("mute bob 4000w\u{7}")).message == "duration '4000w' (control characters removed) is too long")
        #expect(try #require(error("shutdown so\u{1B}]0;x\u{7}on")).message == "'soon' (control characters removed) is not a delay")
        #expect(try #require(error("log-level \u{7F}loud")).message == "unknown log level 'loud' (control characters removed)")
    }

    @Test func durations() throws {
        #expect(try ConsoleCommand.parseDuration("90").get() == 90)
        #expect(try ConsoleCommand.parseDuration("30s").get() == 30)
        #expect(try ConsoleCommand.parseDuration("10m").get() == 600)
        #expect(try ConsoleCommand.parseDuration("2h").get() == 7200)
        #expect(try ConsoleCommand.parseDuration("1d").get() == 86400)
        #expect(try ConsoleCommand.parseDuration("1w").get() == 604800)
        #expect(try ConsoleCommand.parseDuration("1D2H").get() == 93600)
        #expect(try ConsoleCommand.parseDuration("permanent").get() == 0)
        for bad in ["", "m", "1x", "1.5h", "-3", "1h-", "٣"] {
            #expect((try? ConsoleCommand.parseDuration(bad).get()) == nil, "\(bad)")
        }
    }

    /// Whatever is typed, parsing returns (the hub must never trap on operator input)...
    @Test func parsingNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["kick", "ban", "mute", "shutdown", "say", "topic", "#", "#lobby", " ", "\t", "9", "99999999999999999999",
                      "1h", "d", "*!*@*", "@", "!", "\u{0}", "\u{1B}[A", "é", "🎉", "permanent", "cancel", "help", "log-level"]
        for _ in 0..<3000 {
            let n = Int.random(in: 0...6, using: &rng)
            let line = (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: Bool.random() ? " " : "")
            // ...and an error never carries a control character back.
            if case .failure(let e) = ConsoleCommand.parse(line) {
                #expect(TextSafety.isSafe(e.message) && TextSafety.isSafe(e.hint), "\(line.debugDescription): \(e)")
            }
        }
    }

    @Test func helpCoversEveryCommand() {
        let list = ConsoleHelp.list().joined(separator: "\n")
        for name in ConsoleHelp.names {
            #expect(list.contains("  " + name), "\(name) missing from help")
            #expect(ConsoleHelp.explain(name).first?.hasPrefix("usage: \(name)") == true)
        }
    }

    @Test func repliesOnTheWire() {
        #expect(ConsoleReply.ok(["a", "b"]).wire == "- a\n- b\n.\n")
        #expect(ConsoleReply.failed("no user named 'x'", hint: "'who' lists them").wire == "! no user named 'x'\n? 'who' lists them\n.\n")
        #expect(ConsoleReply.ok("line\nbreak").wire == "- line break\n.\n")
    }
}

@Suite(.serialized, .compute) struct ConsoleFormatTests {
    @Test func durationsAndSizes() {
        #expect(Durations.compact(5) == "5s")
        #expect(Durations.compact(192) == "3m12s")
        #expect(Durations.compact(7500) == "2h05m")
        #expect(Durations.compact(273600) == "3d4h")
        #expect(NumberFormat.bytes(512) == "512 B")
        #expect(NumberFormat.bytes(12_595) == "12.3 KiB")
        #expect(NumberFormat.bytes(4 << 20) == "4.0 MiB")
        #expect(NumberFormat.fixed(2.345, decimals: 2) == "2.35" || NumberFormat.fixed(2.345, decimals: 2) == "2.34")
        #expect(NumberFormat.fixed(0.05, decimals: 2) == "0.05")
    }

    @Test func tables() {
        #expect(ConsoleFormat.table(["A", "BB"], [["xxx", "y"], ["z", "w"]]) == ["A    BB", "xxx  y", "z    w"])
        #expect(ConsoleFormat.table(["A", "B", "FLAGS"], [["xxx", "y", ""]]) == ["A    B  FLAGS", "xxx  y"])
    }

    /// Local times read as localtime_r reads them (today: time of day; other days: date and
    /// time), whatever this machine's time zone and its daylight saving time.
    @Test func localTimesMatchTheCLibrary() {
        func expected(_ millis: Int64, now: Int64) -> String {
            func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var t = time_t(millis / 1000), n = time_t(now / 1000)
            var a = tm(), b = tm()
            localtime_r(&t, &a)
            localtime_r(&n, &b)
            let clock = "\(two(a.tm_hour)):\(two(a.tm_min))"
            if a.tm_year == b.tm_year && a.tm_yday == b.tm_yday { return clock + ":\(two(a.tm_sec))" }
            return "\(a.tm_year + 1900)-\(two(a.tm_mon + 1))-\(two(a.tm_mday)) " + clock
        }
        let now: Int64 = 1_764_333_296_789
        for delta: Int64 in [0, -1_000, -3_600_000, -86_400_000, -200 * 86_400_000, -400 * 86_400_000 - 7_777] {
            #expect(ConsoleFormat.time(millis: now + delta, now: now) == expected(now + delta, now: now))
        }
        #expect(ConsoleFormat.time(millis: 0, now: now) == expected(0, now: now))
    }

    @Test func pssFromSmapsRollup() {
        let text = "55d1c000-7ffd [rollup]\nRss:               10240 kB\nPss:                3690 kB\nPss_Anon:  100 kB\n"
        #expect(Proc.parsePSS(text) == 3690)
        #expect(Proc.parsePSS("nothing") == nil)
    }
}

@Suite(.serialized, .compute) struct BanListTests {
    @Test func targets() {
        #expect(BanTarget.parse("192.0.2.7") == .address("192.0.2.7"))
        #expect(BanTarget.parse("2001:DB8:0::7") == .address("2001:db8::7"))
        #expect(BanTarget.parse("[::1]") == .address("::1"))
        #expect(BanTarget.parse("*!*@192.0.2.*") == .mask("*!*@192.0.2.*"))
        #expect(BanTarget.parse("bob@*") == .mask("*!bob@*"))
        #expect(BanTarget.parse("192.0.2.*") == .mask("*!*@192.0.2.*"))
        #expect(BanTarget.parse("mallory") == nil)
        #expect(BanTarget.parse("a b") == nil)
        #expect(BanTarget.parse("!@") == nil)
        #expect(BanTarget.parse("a!b!c@d") == nil)
        #expect(BanTarget.parse("a!b@c@d") == nil)
    }

    @Test func matchingAtConnectAndAfterRegistration() {
        #expect(BanTarget.address("127.0.0.1").matches(host: "127.0.0.1"))
        #expect(!BanTarget.address("127.0.0.1").matches(host: "127.0.0.2"))
        #expect(BanTarget.mask("*!*@127.0.0.*").matches(host: "127.0.0.9"))
        // A mask naming a nick cannot decide at connect time...
        #expect(!BanTarget.mask("mallory!*@*").matches(host: "127.0.0.1"))
        #expect(BanTarget.mask("mallory!*@*").matchesAtConnect == false)
        // ...but does once the user has registered.
        #expect(BanTarget.mask("mallory!*@*").matches(source: "Mallory!m@127.0.0.1", host: "127.0.0.1"))
        #expect(!BanTarget.mask("mallory!*@*").matches(source: "alice!a@127.0.0.1", host: "127.0.0.1"))
    }

    @Test func listAddRemoveExpire() {
        var list = BanList()
        list.add(Ban(target: .address("192.0.2.7"), reason: "spam", setBy: "t", setAt: 0, expiresAt: 1000))
        list.add(Ban(target: .mask("*!*@10.*"), reason: "", setBy: "t", setAt: 0, expiresAt: nil))
        list.add(Ban(target: .address("192.0.2.7"), reason: "again", setBy: "t", setAt: 0, expiresAt: nil))
        #expect(list.bans.count == 2)
        #expect(list.banAtConnect(host: "192.0.2.7", now: 5000)?.reason == "again")
        #expect(list.banAtConnect(host: "10.1.2.3", now: 5000) != nil)
        #expect(list.banAtConnect(host: "11.1.2.3", now: 5000) == nil)
        #expect(list.remove("2")?.target == .mask("*!*@10.*"))
        #expect(list.remove("192.0.2.7")?.reason == "again")
        #expect(list.remove("192.0.2.7") == nil)
        list.add(Ban(target: .address("192.0.2.8"), reason: "", setBy: "t", setAt: 0, expiresAt: 1000))
        #expect(list.banAtConnect(host: "192.0.2.8", now: 999) != nil)
        #expect(list.banAtConnect(host: "192.0.2.8", now: 1000) == nil)
        #expect(list.expire(now: 1000).count == 1)
        #expect(list.bans.isEmpty)
    }

    @Test func banNumbersStayWithTheirBans() {
        var list = BanList()
        list.add(Ban(target: .address("192.0.2.1"), reason: "", setBy: "t", setAt: 0, expiresAt: 1000))
        list.add(Ban(target: .address("192.0.2.2"), reason: "", setBy: "t", setAt: 0, expiresAt: nil))
        list.add(Ban(target: .address("192.0.2.3"), reason: "", setBy: "t", setAt: 0, expiresAt: nil))
        #expect(list.bans.map(\.number) == [1, 2, 3])
        // The first expires: "unban 2" still means 192.0.2.2, and 3 is still 192.0.2.3.
        #expect(list.expire(now: 1000).count == 1)
        #expect(list.remove("2")?.target == .address("192.0.2.2"))
        #expect(list.remove("2") == nil)
        // A replaced ban keeps its number; a new one never reuses one.
        list.add(Ban(target: .address("192.0.2.3"), reason: "again", setBy: "t", setAt: 0, expiresAt: nil))
        list.add(Ban(target: .address("192.0.2.4"), reason: "", setBy: "t", setAt: 0, expiresAt: nil))
        #expect(list.bans.map(\.number) == [3, 4])
    }
}

/// The operator console's line editor (keys to edits, history, completion, rendering).
@Suite(.serialized, .compute) struct ConsoleLineEditorTests {
    func editor() -> LineEditor {
        var e = LineEditor(prompt: "> ")
        e.complete = ConsoleHelp.completions
        return e
    }

    func keys(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func typingAndSubmitting() {
        var e = editor()
        #expect(e.feed(keys("who")) == [.redraw])
        #expect(e.text == "who")
        #expect(e.feed([0x0D]) == [.submit("who")])
        #expect(e.text.isEmpty)
        // A pasted block is several lines.
        #expect(e.feed(keys("stats\r\nbans\n")) == [.redraw, .submit("stats"), .redraw, .submit("bans")])
    }

    @Test func cursorMovementAndEditing() {
        var e = editor()
        _ = e.feed(keys("kick bob"))
        _ = e.feed(keys("\u{1B}[D\u{1B}[D\u{1B}[D"))  // left x3: before "bob"
        _ = e.feed(keys("x"))
        #expect(e.text == "kick xbob")
        _ = e.feed([0x01])  // Ctrl-A
        #expect(e.cursor == 0)
        _ = e.feed([0x05])  // Ctrl-E
        #expect(e.cursor == e.text.count)
        _ = e.feed([0x7F])  // backspace
        #expect(e.text == "kick xbo")
        _ = e.feed([0x17])  // Ctrl-W
        #expect(e.text == "kick ")
        _ = e.feed(keys("bob"))
        _ = e.feed(keys("\u{1B}[H"))  // Home
        _ = e.feed(keys("\u{1B}[3~"))  // Delete
        #expect(e.text == "ick bob")
        _ = e.feed(keys("\u{1B}[C\u{1B}[C"))
        _ = e.feed([0x15])  // Ctrl-U
        #expect(e.text == "k bob")
        _ = e.feed([0x0B])  // Ctrl-K
        #expect(e.text.isEmpty)
    }

    @Test func escapeSequencesSplitAcrossReads() {
        var e = editor()
        _ = e.feed(keys("ab"))
        #expect(e.feed([0x1B]).isEmpty)
        #expect(e.feed([UInt8(ascii: "[")]).isEmpty)
        #expect(e.feed([UInt8(ascii: "D")]) == [.redraw])
        #expect(e.cursor == 1)
        // UTF-8 split across reads.
        let bytes = Array("é".utf8)
        #expect(e.feed([bytes[0]]).isEmpty)
        #expect(e.feed([bytes[1]]) == [.redraw])
        #expect(e.text == "aéb")
    }

    @Test func history() {
        var e = editor()
        _ = e.feed(keys("who\r"))
        _ = e.feed(keys("stats\r"))
        _ = e.feed(keys("dra"))
        _ = e.feed(keys("\u{1B}[A"))
        #expect(e.text == "stats")
        _ = e.feed(keys("\u{1B}[A"))
        #expect(e.text == "who")
        _ = e.feed(keys("\u{1B}[A"))
        #expect(e.text == "who")
        _ = e.feed(keys("\u{1B}[B\u{1B}[B"))
        #expect(e.text == "dra")
        #expect(e.history == ["who", "stats"])
    }

    @Test func controlKeys() {
        var e = editor()
        #expect(e.feed([0x04]) == [.endOfInput])
        _ = e.feed(keys("x"))
        #expect(e.feed([0x03]) == [.interrupt(hadText: true)])
        #expect(e.feed([0x03]) == [.interrupt(hadText: false)])
        _ = e.feed(keys("shut"))
        #expect(e.feed([0x09]) == [.redraw])
        #expect(e.text == "shutdown ")
        var f = editor()
        _ = f.feed(keys("m"))
        #expect(f.feed([0x09]) == [.candidates(["mute", "motd"])])
        var g = editor()
        _ = g.feed(keys("un"))
        #expect(g.feed([0x09]) == [.candidates(["unban", "unmute", "unfreeze", "unfreeze-channel"])])
    }

    @Test func renderingScrollsLongLines() {
        var e = editor()
        _ = e.feed(keys(String(repeating: "x", count: 100) + "END"))
        let r = e.render(columns: 40)
        #expect(r.hasPrefix("\r> "))
        #expect(r.contains("END"))
        #expect(!r.contains(String(repeating: "x", count: 40)))
        let short = editor().render(columns: 80)
        #expect(short == "\r> \u{1B}[K\r\u{1B}[2C")
    }
}

/// Where the control socket goes without --control-socket, with a directory of the test's
/// own in place of /tmp (the real /tmp/chat-server-UID may be in use).
@Suite(.serialized, .compute) struct ControlSocketPathTests {
    let base: String
    let uid = getuid()
    var fallback: String { base + "/chat-server-\(uid)" }

    init() throws {
        base = NSTemporaryDirectory() + "chat-base-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }

    func prepare(_ option: String? = nil, owner: (uid: UInt32, gid: UInt32)? = nil, runtime: String? = nil) throws -> String? {
        try ControlSocketPath.prepare(option, owner: owner, runtimeDirectory: runtime, base: base)
    }

    /// The start-up error `prepare` throws, or nil.
    func refusal(owner: (uid: UInt32, gid: UInt32)? = nil) -> String? {
        do { _ = try prepare(owner: owner) } catch { return "\(error)" }
        return nil
    }

    @Test func withoutARuntimeDirectoryAPrivateDirectoryOfItsOwn() throws {
        defer { remove() }
        let path = try prepare()
        #expect(path == fallback + "/chat-server.sock")
        let st = try #require(Files.status(fallback))
        #expect(st.isDirectory && st.mode == 0o700 && st.owner == uid, "\(st)")
        // The console looks in the same place.
        #expect(ControlSocketPath.resolve(nil, runtimeDirectory: nil, base: base) == path)
        // Next time it is there already; opened up meanwhile, it is made private again.
        #expect(chmod(fallback, 0o755) == 0)
        #expect(try prepare() == path)
        #expect(Files.status(fallback)?.mode == 0o700)
    }

    @Test func aSymlinkInItsPlaceIsRefused() throws {
        defer { remove() }
        // Even to a private directory of ours: whoever made the link can change it.
        let elsewhere = base + "/elsewhere"
        #expect(mkdir(elsewhere, 0o700) == 0)
        #expect(symlink(elsewhere, fallback) == 0)
        let error = try #require(refusal())
        #expect(error.hasPrefix("cannot use \(fallback) for the control socket: \(fallback) is not a directory"), "\(error)")
        #expect(error.hasSuffix("(pass --control-socket PATH)"), "\(error)")
        // A dangling one too.
        #expect(unlink(fallback) == 0)
        #expect(symlink(base + "/nowhere", fallback) == 0)
        #expect(refusal()?.contains("is not a directory") == true)
        #expect(Files.status(base + "/nowhere") == nil, "nothing is made through the link")
    }

    @Test func aFileInItsPlaceIsRefused() throws {
        defer { remove() }
        #expect(FileManager.default.createFile(atPath: fallback, contents: nil))
        #expect(refusal()?.contains("\(fallback) is not a directory") == true)
    }

    @Test func anotherUsersDirectoryIsRefused() throws {
        defer { remove() }
        guard uid == 0 else { return }  // only root can give a directory away; CI runs as root
        #expect(mkdir(fallback, 0o700) == 0)
        #expect(chown(fallback, 65534, 65534) == 0)
        let error = try #require(refusal())
        #expect(error.hasPrefix("cannot use \(fallback) for the control socket: \(fallback) belongs to another user"), "\(error)")
        #expect(Files.status(fallback)?.owner == 65534, "left as it was")
    }

    @Test func withUserTheDirectoryIsThatUsers() throws {
        defer { remove() }
        guard uid == 0 else { return }  // --user is for root; CI runs as root
        let path = try prepare(owner: (65534, 65534))
        let dir = base + "/chat-server-65534"
        #expect(path == dir + "/chat-server.sock")
        let st = try #require(Files.status(dir))
        #expect(st.owner == 65534 && st.mode == 0o700, "\(st)")
    }

    @Test func theRuntimeDirectoryWhenItIsOurs() throws {
        defer { remove() }
        let runtime = base + "/run"
        #expect(mkdir(runtime, 0o700) == 0)
        #expect(try prepare(runtime: runtime) == runtime + "/chat-server.sock")
        #expect(try prepare(runtime: runtime + "/") == runtime + "/chat-server.sock")
        #expect(Files.status(fallback) == nil, "no fallback directory is made")
        // Not absolute, missing, not a directory: the fallback.
        #expect(FileManager.default.createFile(atPath: base + "/file", contents: nil))
        for bad in ["run", base + "/missing", base + "/file"] {
            #expect(ControlSocketPath.resolve(nil, runtimeDirectory: bad, base: base) == fallback + "/chat-server.sock", "\(bad)")
        }
        // Someone else's (after sudo, say): the fallback.
        if uid == 0 {
            #expect(chown(runtime, 65534, 65534) == 0)
            #expect(try prepare(runtime: runtime) == fallback + "/chat-server.sock")
        }
        // --control-socket decides.
        #expect(try prepare("none", runtime: runtime) == nil)
        #expect(try prepare("/elsewhere/c.sock", runtime: runtime) == "/elsewhere/c.sock")
    }
}
