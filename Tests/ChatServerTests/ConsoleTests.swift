import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Speaks the console protocol on a server's control socket: a command line out; `- `
/// output lines, `! ` error, `? ` hint, `.` the end, back.
final class ControlClient {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var greeting: Reply = Reply()

    struct Reply {
        var lines: [String] = []
        var error: String?
        var hint: String?
        var text: String { lines.joined(separator: "\n") }
    }

    convenience init(_ server: ServerProcess) async throws { try await self.init(path: server.dir + "/control.sock") }

    init(path: String) async throws {
        fd = try UnixSocket.connect(path: path)
        greeting = try await reply()
    }

    deinit { FD.close(fd) }

    func run(_ command: String) async throws -> Reply {
        try FD.writeAll(fd, command + "\n")
        return try await reply()
    }

    /// Runs a command that must succeed; returns its output.
    @discardableResult
    func ok(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let r = try await run(command)
        #expect(r.error == nil, "\(command): \(r.error ?? "") (\(r.hint ?? ""))", sourceLocation: sourceLocation)
        return r.text
    }

    /// The next reply as the bytes that came, through its `.` line.
    func rawReply(timeout: Double = 30) async throws -> [UInt8] {
        let end = Array("\n.\n".utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let at = buffer.starts(with: Array(".\n".utf8)) ? 0
                : buffer.indices.dropLast(2).first { buffer[$0...].starts(with: end) }.map { $0 + 1 }
            if let at {
                let raw = Array(buffer[..<(at + 2)])
                buffer.removeFirst(at + 2)
                return raw
            }
            guard try await fill(until: deadline) else { throw TestFailure("no complete console reply; so far: \(buffer)") }
        }
    }

    /// Whether the server closes the connection within `timeout` (what it still sends is dropped).
    func expectClosed(timeout: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            do { _ = try await fill(until: deadline) } catch { return true }
            buffer.removeAll()
        }
        return false
    }

    /// Reads what arrives before `deadline`: false when nothing did; throws at end of stream.
    /// Polls without holding a thread: 1 ms between polls, then longer up to 10 ms.
    private func fill(until deadline: Date) async throws -> Bool {
        var nap = 1
        while true {
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            if try Poll.wait(&p, timeoutMS: 0) > 0 { break }
            if deadline.timeIntervalSinceNow <= 0 { return false }
            await pause(.milliseconds(nap))
            nap = min(nap * 2, 10)
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let got = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
        guard case .done(let n)? = got else { throw TestFailure("control socket closed") }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }

    func reply(timeout: Double = 30) async throws -> Reply {
        var r = Reply()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeFirst(nl + 1)
                if line == "." { return r }
                let body = String(line.dropFirst(2))
                switch line.first {
                case "-": r.lines.append(body)
                case "!": r.error = body
                case "?": r.hint = body
                default: throw TestFailure("unexpected console line '\(line)'")
                }
            }
            if deadline.timeIntervalSinceNow <= 0 { throw TestFailure("no complete console reply within \(timeout)s; so far: \(r)") }
            do { _ = try await fill(until: deadline) } catch { throw TestFailure("control socket closed; so far: \(r)") }
        }
    }
}

/// Runs `chat-server console ARGS` to completion: exit status, stdout, stderr.
func runConsoleCommand(_ args: [String], asUser uid: UInt32? = nil, timeout: Double = 600) async throws -> (status: Int32, out: String, err: String) {
    var arguments = [productPath("chat-server"), "console"] + args
    var path = arguments.removeFirst()
    if let uid {
        // setpriv (util-linux) drops to another user for the one command.
        arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", path] + arguments
        path = "/usr/bin/setpriv"
    }
    let r = try await runToExit(path, arguments, errorsApart: true, timeout: timeout)
    return (r.status, r.output, r.errors)
}

/// Bytes waiting to be read on `fd` (a pipe, a terminal), or -1.
func bytesWaiting(_ fd: Int32) -> Int32 {
    var n: Int32 = 0
    return ioctl(fd, UInt(FIONREAD), &n) == 0 ? n : -1
}

/// Waits until the file at `path` has a line containing `text`; returns that line. For a
/// daemon, whose log is the only thing it says.
@discardableResult
func waitForLine(_ text: String, in path: String, timeout: Double = 30) async throws -> String {
    var content = "", found: String?
    _ = await waitUntil(timeout: timeout) {
        content = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        found = content.split(separator: "\n").first { $0.contains(text) }.map(String.init)
        return found != nil
    }
    guard let found else { throw TestFailure("\(path) has no line with '\(text)' after \(timeout)s:\n\(content)") }
    return found
}

/// A process that is not our child: whether it still runs (a zombie waiting for an init
/// that does not reap has ended).
func isRunning(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
}

/// The most memory the process has had resident, in bytes (VmHWM).
func peakResident(_ pid: pid_t) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
}

/// What an IRC client is shown when it logs in, through the end of the message of the day.
func ircLogin(_ server: ServerProcess, nick: String) async throws -> String {
    let c = try server.connect()
    try c.line("NICK \(nick)")
    try c.line("USER \(nick) 0 * :Test User")
    return try await c.expectAny([" 376 \(nick) ", " 422 \(nick) "])
}

/// A fresh directory of the test's own (removed by the caller), private to the user the
/// servers the tests start run as (`shareWithServerUser`), or to the test's own user.
func temporaryDirectory(_ name: String, sharedWithServerUser: Bool = true) throws -> String {
    let dir = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    if sharedWithServerUser { try shareWithServerUser(dir) }
    return dir
}

@Suite(.serialized) struct ConsoleTests {
    @Test func kickTellsTheUserWhyAndTheChannelSeesIt() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined")
        try await bob.expect("JOIN #lobby")  // carol's
        // Through the real `chat-server console -c`.
        let r = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "kick bob flooding the channel"])
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("kicked bob"))
        try await bob.expect("ERROR :Closing Link: Kicked by the server operator: flooding the channel")
        #expect(await bob.expectClosed())
        try await alice.expect("bob quit (Kicked by the server operator: flooding the channel)")
        try await carol.expect("bob quit (Kicked by the server operator: flooding the channel)")
        try await server.waitForLog("console [uid \(getuid()) pid ")
        try await server.waitForLog("]: kick bob (127.0.0.1): flooding the channel")

        // A human user is told in words, and the nick is free again.
        let console = try await ControlClient(server)
        try await console.ok("kick carol")
        try await carol.expect("*** Disconnected: Kicked by the server operator")
        #expect(await carol.expectClosed())
        try await alice.expect("carol quit (Kicked by the server operator)")
        let bob2 = try await humanUser(server, nick: "bob")
        withExtendedLifetime(bob2) {}

        // A kick of nobody fails, with a hint, and a non-zero exit status from -c.
        let missing = try await console.run("kick nobody")
        #expect(missing.error == "no user named 'nobody'")
        #expect(missing.hint?.contains("who") == true)
        let bad = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "kick nobody"])
        #expect(bad.status == 1)
        #expect(bad.err.contains("error: no user named 'nobody'"))
        #expect(bad.err.contains("hint: "))
    }

    @Test func aBannedAddressIsRefusedAtConnectAndConnectedUsersAreDisconnected() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        let out = try await console.ok("ban 127.0.0.1 10m spam from here")
        #expect(out.contains("banned 127.0.0.1 for 10m00s"))
        #expect(out.contains("disconnected: alice"))
        try await alice.expect("*** Disconnected: Banned by the server operator: spam from here")
        #expect(await alice.expectClosed())
        // A new connection from there is refused with the reason.
        let refused = try server.connect()
        // What is left of the ban, in whole seconds: 10m00s when the hub's clock has not moved
        // on a full second since the ban, 9m5Xs otherwise.
        let refusal = try await refused.expect("You are banned from this server: spam from here (for another ")
        #expect(refusal.contains("another 10m00s)") || refusal.contains("another 9m5"), "\(refusal)")
        #expect(await refused.expectClosed())
        try await server.waitForLog("banned (spam from here")
        // The log says who did it: this test process, through its socket.
        try await server.waitForLog("notice: console [uid \(getuid()) pid \(getpid())]: ban 127.0.0.1 for 10m00s: spam from here")
        let bans = try await console.ok("bans")
        #expect(bans.contains("127.0.0.1") && bans.contains("spam from here") && bans.contains("left"))
        // Lifted: connections are welcome again.
        #expect(try await console.ok("unban 1").contains("lifted the ban on 127.0.0.1"))
        let again = try await humanUser(server, nick: "alice")
        withExtendedLifetime(again) {}
        #expect(try await console.ok("bans") == "no bans")
    }

    @Test func aNickMaskBanCatchesTheUserOnceRegistered() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        try await console.ok("ban mallory!*@* trolling")
        let mallory = try server.connect()
        try await mallory.expect("nickname")
        try mallory.line("mallory")
        try await mallory.expect("Banned by the server operator: trolling", timeout: 5)
        #expect(await mallory.expectClosed())
        // Caught as the nick is taken, before joining anything: alice never sees mallory, and
        // stays.
        #expect(await alice.expectNothing("mallory", timeout: 0.5))
        #expect(!(await alice.expectClosed(timeout: 0.3)))
        #expect(try await console.ok("who").contains("alice"))
        // Taking a banned nick later is caught too.
        let eve = try await ircUser(server, nick: "eve", join: "#lobby")
        try eve.line("NICK mallory")
        try await eve.expect("Banned by the server operator: trolling", timeout: 5)
        try await alice.expect("mallory quit (Banned by the server operator: trolling)")
    }

    /// A user a nick-mask ban catches is refused before any welcome: no 001-005, no MOTD, no
    /// greeting for a telnet user, only the reason and the end of the connection.
    @Test func aNickMaskBanRefusesTheUserBeforeAnyWelcome() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        try await console.ok("ban mallory!*@* trolling")
        let irc = try server.connect()
        try irc.line("NICK mallory")
        try irc.line("USER m 0 * :Mallory")
        let before = try await irc.expect("Banned by the server operator: trolling", timeout: 5)
        #expect(await irc.expectClosed())
        for welcome in [" 001 ", " 002 ", " 003 ", " 004 ", " 005 ", " 375 ", " 372 ", " 376 ", " 422 "] {
            #expect(!(before + irc.text).contains(welcome), "\(welcome) sent to a banned user: \(before)")
        }
        #expect(before.contains("ERROR :"), "\(before)")
        try await server.waitForLog("refusing mallory!m@127.0.0.1: matches the ban on mallory!*@*")

        let human = try server.connect()
        try await human.expect("nickname")
        try human.line("Mallory")
        let said = try await human.expect("Banned by the server operator: trolling", timeout: 5)
        #expect(await human.expectClosed())
        #expect(!said.contains("Welcome") && !said.contains("#lobby"), "\(said)")
        // Someone else from the same address is welcome.
        let alice = try await ircUser(server, nick: "alice")
        withExtendedLifetime(alice) {}
    }

    @Test func aMutedUsersMessagesAreRefusedAndReachNobody() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        #expect(try await console.ok("mute bob 1m").contains("muted bob for 1m00s"))
        try await bob.expect("NOTICE bob :You have been muted by the server operator for 1m00s")
        try bob.line("PRIVMSG #lobby :can anyone hear me")
        try await bob.expect(" 404 bob #lobby :You are muted by the server operator")
        #expect(await alice.expectNothing("can anyone hear me", timeout: 0.5))
        // 1m00s, or 59s and less on a slow machine: what is left, rounded up.
        let who = try await console.ok("who")
        #expect(who.contains("muted 1m00s") || who.contains("muted 5"), "\(who)")
        try await console.ok("unmute bob")
        try await bob.expect("You may talk again")
        try bob.line("PRIVMSG #lobby :back again")
        try await alice.expect("<bob> back again")
        try await server.waitForLog("]: mute bob for 1m00s")
        // A person on telnet is told too (and their message goes nowhere).
        try await console.ok("mute alice")
        try await alice.expect("*** You have been muted by the server operator until unmuted")
        try alice.line("hello?")
        try await alice.expect("!! Your message to #lobby was not delivered: You are muted by the server operator.")
        #expect(await bob.expectNothing("hello?", timeout: 0.5))
        try alice.line("/msg bob psst")
        try await alice.expect("!! Your message to bob was not delivered: You are muted by the server operator.")
        // A timed mute ends by itself, and the user is told.
        try await console.ok("mute alice 1s")
        try await alice.expect("*** You may talk again (your mute has ended)")
        try alice.line("free at last")
        try await bob.expect("PRIVMSG #lobby :free at last")
        try await server.waitForLog("the mute of alice has ended")
    }

    @Test func sayReachesEveryoneOrOneChannel() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#side")
        #expect(try await console.ok("say Maintenance tonight at 22:00") == "told 2 connected")
        try await alice.expect("*** Maintenance tonight at 22:00")
        try await bob.expect("NOTICE bob :Maintenance tonight at 22:00")
        // Longer than a notice can be: the operator is told it was cut.
        #expect(try await console.ok("say " + String(repeating: "long ", count: 200)) == "told 2 connected (cut to 400 bytes)")
        try await alice.expect("*** long long")
        try await bob.expect("NOTICE bob :long long")
        try await console.ok("say #side only for the side channel")
        try await server.waitForLog("notice: console [uid \(getuid()) pid \(getpid())]: say to #side: only for the side channel")
        try await bob.expect("only for the side channel")
        #expect(await alice.expectNothing("only for the side channel", timeout: 0.3))
        let missing = try await console.run("say #nowhere hello")
        #expect(missing.error == "no channel named '#nowhere'")
        // Topic, and the listings.
        try await console.ok("topic #side Side talk only")
        try await bob.expect("TOPIC #side :Side talk only")
        try await server.waitForLog("notice: console [uid \(getuid()) pid \(getpid())]: topic #side: Side talk only")
        let channels = try await console.ok("channels")
        #expect(channels.contains("#lobby") && channels.contains("#side") && channels.contains("Side talk only"))
        let who = try await console.ok("who")
        #expect(who.contains("NICK") && who.contains("ADDRESS") && who.contains("DIALECT") && who.contains("IDLE") && who.contains("SINCE"))
        #expect(who.contains("alice") && who.contains("human") && who.contains("#lobby"))
        #expect(who.contains("bob") && who.contains("irc") && who.contains("#side"))
        #expect(who.contains("127.0.0.1:"))
        // A connection still choosing a nick is "*": `who` and `who *` list it, a mask does not.
        let pending = try server.connect()
        try await pending.expect("nickname")
        let all = try await console.ok("who *")
        #expect(all.contains("3 connections") && all.contains("alice") && all.split(separator: "\n").contains { $0.hasPrefix("* ") }, "\(all)")
        #expect(try await console.ok("who al*").contains("1 connection"))
    }

    @Test func statsHasEveryField() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await humanUser(server, nick: "bob")
        try alice.line("hi bob")
        try await bob.expect("hi bob")
        let stats = try await console.ok("stats")
        for field in ["uptime", "clients", "2 connected, 2 registered", "sessions", "2 forked", "messages", "/s",
                      "bytes", "hub queue", "memory", "hub ", "sessions ", "(2 processes)", "PSS"] {
            #expect(stats.contains(field), "stats lacks '\(field)':\n\(stats)")
        }
        // Bad input never hurts the hub.
        for junk in ["stats now", "ban", "ban *!*@*", "ban *!*@*.*", "ban *:*", "mute", "shutdown 3o", "\u{1B}[2J", String(repeating: "x", count: 5000), "kick \u{0}"] {
            let r = try await console.run(junk)
            #expect(r.error != nil, "'\(junk.prefix(20))' should fail")
            #expect(r.hint != nil)
        }
        #expect(try await console.ok("stats").contains("uptime"))
    }

    @Test func shutdownAnnouncesCountsDownAndExitsCleanly() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        #expect(try await console.ok("shutdown 3 back in five minutes").contains("shutting down in 3 seconds"))
        try await alice.expect("*** Server shutting down in 3 seconds: back in five minutes")
        try await bob.expect("Server shutting down in 3 seconds: back in five minutes")
        try await alice.expect("*** Server shutting down in 1 second: back in five minutes")
        try await alice.expect("Disconnected: Server shutting down: back in five minutes")
        try await bob.expect("ERROR :Closing Link: Server shutting down: back in five minutes")
        #expect(await alice.expectClosed())
        #expect(await server.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: server.dir + "/control.sock"))
    }

    @Test func shutdownCanBeCancelled() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let alice = try await humanUser(server, nick: "alice")
        try await console.ok("shutdown 60")
        try await alice.expect("Server shutting down in 60 seconds")
        try await console.ok("shutdown cancel")
        try await alice.expect("The shutdown has been cancelled")
        #expect(try await console.run("shutdown cancel").error != nil)
    }

    @Test func onlyTheOwnerMayUseTheSocket() async throws {
        let server = try await ServerProcess()
        let path = server.dir + "/control.sock"
        let st = try #require(Files.status(path))
        #expect(st.isSocket)
        #expect(st.mode == 0o600, "socket mode \(String(st.mode, radix: 8))")
        #expect(st.owner == getuid())
        guard getuid() == 0 else {
            // The other-user half needs root (to become someone else); CI runs as root.
            Issue.record("not root: checked the socket's mode only; the cross-user refusal needs root")
            return
        }
        // Another user cannot even open the socket file...
        let denied = try await runConsoleCommand(["--control-socket", path, "-c", "who"], asUser: 65534)
        #expect(denied.status == 1)
        #expect(denied.err.contains("Permission denied"), "\(denied.err)")
        // ...and if the file were opened up by mistake, the server still checks who it is.
        chmod(path, 0o666)
        let refused = try await runConsoleCommand(["--control-socket", path, "-c", "who"], asUser: 65534)
        #expect(refused.status == 1)
        #expect(refused.err.contains("permission denied: this console belongs to uid 0; you are uid 65534"), "\(refused.err)")
        try await server.waitForLog("control socket: refused uid 65534")
        // The owner (root here) still gets in.
        #expect(try await ControlClient(server).ok("help").contains("Commands"))
    }

    @Test func aHandfulOfConsolesAtMostAndBoundedLines() async throws {
        let server = try await ServerProcess()
        var consoles: [ControlClient] = []
        for _ in 0..<8 { consoles.append(try await ControlClient(server)) }
        #expect(consoles.allSatisfy { $0.greeting.error == nil })
        let ninth = try await ControlClient(server)
        #expect(ninth.greeting.error == "too many consoles attached (8)")
        // A line that never ends is cut off with an error, and that console closed.
        let first = consoles[0]
        try FD.writeAll(first.fd, String(repeating: "x", count: 9000))
        let r = try await first.reply()
        #expect(r.error?.contains("line too long") == true)
        // The others carry on, and once the server has closed that one, a place is free again.
        #expect(try await consoles[1].ok("stats").contains("uptime"))
        #expect(await first.expectClosed())
        #expect(try await ControlClient(server).greeting.error == nil)
        // quit closes politely.
        #expect(try await consoles[2].ok("quit") == "bye")
    }

    @Test func withUserTheConsoleBelongsToThatUser() async throws {
        guard getuid() == 0 else { return }  // --user needs root; CI runs as root
        let server = try await ServerProcess(["--user", "nobody"])
        let path = server.dir + "/control.sock"
        #expect(Files.status(path)?.owner == 65534)
        #expect(Files.status(path)?.mode == 0o600)
        let asNobody = try await runConsoleCommand(["--control-socket", path, "-c", "who"], asUser: 65534)
        #expect(asNobody.status == 0, "\(asNobody.err)")
        #expect(asNobody.out.contains("nobody is connected"))
        #expect(try await ControlClient(server).ok("stats").contains("uptime"))  // root too
    }

    @Test func theDefaultSocketLivesInAPrivateDirectory() async throws {
        // No --control-socket: $XDG_RUNTIME_DIR, here a fresh directory of our own. As root,
        // the server keeps root (--user root): one that left root could not remove its socket
        // from root's directory at the end (docs/SERVER.md, "Privileges").
        let runtime = try temporaryDirectory("chat-xdg", sharedWithServerUser: false)
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let server = try LoggedProcess(productPath("chat-server"), name: "chat-test", environment: ["XDG_RUNTIME_DIR": runtime]) { _ in
            ["--listen", "127.0.0.1:0"] + (Proc.isRoot ? ["--user", "root"] : [])
        }
        let path = runtime + "/chat-server.sock"
        try await server.waitForLog("operator console on \(path) ")
        #expect(Files.status(path)?.mode == 0o600)
        let c = try LoggedProcess(productPath("chat-server"), name: "chat-test", environment: ["XDG_RUNTIME_DIR": runtime]) { _ in
            ["console", "-c", "shutdown"]
        }
        #expect(await c.waitForExit() == 0, "\(c.log)")
        #expect(await server.waitForExit() == 0)
        #expect(Files.status(path) == nil)
    }

    /// Without $XDG_RUNTIME_DIR the socket goes in /tmp/chat-server-UID. Run as a uid that
    /// nobody uses, so that this directory is the test's alone (root's, /tmp/chat-server-0,
    /// may be in use by a server someone runs on this machine).
    @Test func withoutARuntimeDirectoryTheSocketIsInAPrivateDirectoryInTmp() async throws {
        guard getuid() == 0 else { return }  // becoming another user needs root; CI runs as root
        let uid = try #require((61000 + UInt32(getpid() % 3000)..<65000).first {
            getpwuid($0) == nil && Files.status("/tmp/chat-server-\($0)") == nil
        })
        let dir = "/tmp/chat-server-\(uid)", path = dir + "/chat-server.sock"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func chatServer(_ args: [String]) throws -> LoggedProcess {
            try LoggedProcess("/usr/bin/env", name: "chat-test") { _ in
                ["-u", "XDG_RUNTIME_DIR", "/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups",
                 productPath("chat-server")] + args
            }
        }
        // Someone has put a symlink there to catch the socket: the server will not start.
        #expect(symlink("/tmp", dir) == 0)
        let refused = try chatServer(["--listen", "127.0.0.1:0"])
        #expect(await refused.waitForExit() == 1)
        #expect(refused.log.contains("error: cannot use \(dir) for the control socket: \(dir) is not a directory"), "\(refused.log)")
        #expect(refused.log.contains("(pass --control-socket PATH)"))
        #expect(unlink(dir) == 0)

        let server = try chatServer(["--listen", "127.0.0.1:0"])
        try await server.waitForLog("operator console on \(path) ")
        let d = try #require(Files.status(dir))
        #expect(d.isDirectory && d.mode == 0o700 && d.owner == uid, "\(d)")
        let s = try #require(Files.status(path))
        #expect(s.isSocket && s.mode == 0o600 && s.owner == uid, "\(s)")
        // `chat-server console` looks there too.
        let stats = try chatServer(["console", "-c", "stats"])
        #expect(await stats.waitForExit() == 0, "\(stats.log)")
        #expect(stats.log.contains("uptime"))
        #expect(try await chatServer(["console", "-c", "shutdown"]).waitForExit() == 0)
        #expect(await server.waitForExit() == 0)
        #expect(Files.status(path) == nil)
    }

    /// `--daemon`: the command returns at once, the daemon logs to --log-file and writes
    /// --pidfile, and the console is how the operator reaches it (no signals here).
    @Test func aDaemonIsReachedAndStoppedThroughItsControlSocket() async throws {
        let dir = try temporaryDirectory("chat-daemon")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logFile = dir + "/server.log", pidfile = dir + "/server.pid", socket = dir + "/control.sock"
        let start = try await runToExit(productPath("chat-server"), [
            "--daemon", "--listen", "127.0.0.1:0", "--name", "test.server",
            "--log-file", logFile, "--pidfile", pidfile, "--control-socket", socket])
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output.isEmpty, "a daemon says everything in its log: \(start.output)")
        // Logged once the pidfile is written and the socket open.
        try await waitForLine("notice: listening on 127.0.0.1:", in: logFile)
        let pid = try #require(pid_t(try String(contentsOfFile: pidfile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { if isRunning(pid) { kill(pid, SIGKILL) } }  // a failed test leaves no daemon behind
        try await waitForLine("starting as test.server, pid \(pid),", in: logFile)
        #expect(getsid(pid) != getsid(0), "the daemon has a session of its own")

        let stats = try await runConsoleCommand(["--control-socket", socket, "-c", "stats"])
        #expect(stats.status == 0, "\(stats.err)")
        #expect(stats.out.contains("uptime") && stats.out.contains("0 connected"), "\(stats.out)")

        let stop = try await runConsoleCommand(["--control-socket", socket, "-c", "shutdown"])
        #expect(stop.status == 0, "\(stop.err)")
        #expect(stop.out.contains("shutting down now"))
        try await waitForLine("]: shutdown in 0s", in: logFile)
        try await waitForLine("notice: stopped", in: logFile)
        _ = await waitUntil(timeout: 10) { !isRunning(pid) }
        #expect(!isRunning(pid))
        #expect(Files.status(pidfile) == nil, "the pidfile is removed")
        #expect(Files.status(socket) == nil, "the control socket is removed")
    }

    /// With stdin a pipe or /dev/null there is no console on it: nothing is read, no prompt
    /// is printed, and the control socket works.
    @Test(arguments: ["pipe", "/dev/null"])
    func stdinThatIsNotATerminalIsNeverRead(_ kind: String) async throws {
        let pipe = kind == "pipe" ? try FD.pipe(nonBlocking: false) : nil
        defer { if let pipe { FD.close(pipe.read); FD.close(pipe.write) } }
        // A command waiting on stdin from the start...
        if let pipe { try FD.writeAll(pipe.write, "shutdown\n") }
        let server = try await ServerProcess(input: pipe?.read)
        let console = try await ControlClient(server)
        #expect(try await console.ok("stats").contains("uptime"))
        // ...is still there once the hub has been round its loop (it answered a console).
        if let pipe { #expect(bytesWaiting(pipe.read) == 9, "the server read its stdin") }
        #expect(server.process.isRunning)
        for text in ["Operator console", "chat-server> ", "no console on this terminal", "terminal went away"] {
            #expect(!server.log.contains(text), "\(server.log)")
        }
        #expect(try await ControlClient(server).ok("shutdown") == "shutting down now")
        #expect(await server.waitForExit() == 0)
    }

    @Test func motdReloadReachesNewUsersAndAFailedOneKeepsTheOld() async throws {
        let dir = try temporaryDirectory("chat-motd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let motd = dir + "/motd.txt"
        try "First edition\n".write(toFile: motd, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--motd-file", motd])
        let console = try await ControlClient(server)
        #expect(try await console.ok("motd") == "First edition")
        #expect(try await ircLogin(server, nick: "alice").contains(" 372 alice :- First edition"))

        try "Second edition\nwith two lines\n".write(toFile: motd, atomically: true, encoding: .utf8)
        #expect(try await console.ok("motd reload") == "message of the day reloaded: 2 lines")
        try await server.waitForLog("notice: console [uid \(getuid()) pid \(getpid())]: motd reload (2 lines)")
        let second = try await ircLogin(server, nick: "bob")
        #expect(second.contains(" 372 bob :- Second edition") && second.contains(" 372 bob :- with two lines"), "\(second)")
        #expect(!second.contains("First edition"))

        // The file is gone: an error and a hint, exit status 1, and the old message stays.
        try FileManager.default.removeItem(atPath: motd)
        let failed = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "motd reload"])
        #expect(failed.status == 1)
        #expect(failed.out.isEmpty)
        #expect(failed.err.contains("error: cannot read the MOTD file \(motd): "), "\(failed.err)")
        #expect(failed.err.contains("hint: the old message of the day stays"), "\(failed.err)")
        try await server.waitForLog("]: motd reload failed: cannot read the MOTD file \(motd)")
        #expect(try await console.ok("motd") == "Second edition\nwith two lines")
        #expect(try await ircLogin(server, nick: "carol").contains(" 372 carol :- Second edition"))
    }

    @Test func logLevelShowsAndChangesTheLevel() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        #expect(try await console.ok("log-level") == "log level: info")
        #expect(!server.log.contains("console attached"), "attaching is a debug line")
        #expect(try await console.ok("log-level DEBUG") == "log level: debug (was info)")
        try await server.waitForLog("notice: console [uid \(getuid()) pid \(getpid())]: log-level info -> debug")
        // Debug lines now appear: one for the next console that attaches.
        let second = try await ControlClient(server)
        try await server.waitForLog("debug: console attached: uid \(getuid()) pid \(getpid())")
        #expect(try await second.ok("log-level") == "log level: debug")
        // And stop again.
        #expect(try await console.ok("log-level notice") == "log level: notice (was debug)")
        _ = try await ControlClient(server)
        try await console.ok("say after the change")
        try await server.waitForLog("say to everyone: after the change")
        #expect(server.log.components(separatedBy: "console attached").count == 2, "\(server.log)")
    }

    /// `reload` does what SIGHUP does: reopens --log-file (after logrotate moved it) and
    /// re-reads the message of the day.
    @Test func reloadReopensTheLogAndRereadsTheMOTD() async throws {
        let dir = try temporaryDirectory("chat-motd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let motd = dir + "/motd.txt"
        try "First edition\n".write(toFile: motd, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--motd-file", motd], logFile: true)
        let console = try await ControlClient(server)
        let log = server.dir + "/output.log", rotated = server.dir + "/output.log.1"
        #expect(try await console.ok("reload") == "reloaded (message of the day unchanged), log reopened")

        // Rotated away, and a new message of the day.
        try FileManager.default.moveItem(atPath: log, toPath: rotated)
        try "Second edition\n".write(toFile: motd, atomically: true, encoding: .utf8)
        #expect(try await console.ok("reload") == "reloaded: new message of the day, log reopened")
        try await console.ok("say into the new log")
        try await server.waitForLog("say to everyone: into the new log")
        let old = try String(contentsOfFile: rotated, encoding: .utf8)
        #expect(!old.contains("into the new log"), "\(old)")
        #expect(server.log.contains("]: reopened the log"), "\(server.log)")
        #expect(try await ircLogin(server, nick: "alice").contains(" 372 alice :- Second edition"))

        // A MOTD that cannot be read: the reload says so (exit status 1), the old message
        // stays, and the log is reopened all the same (a log rotation must not depend on it).
        try FileManager.default.removeItem(atPath: motd)
        try FileManager.default.moveItem(atPath: log, toPath: rotated + "2")
        let failed = try await runConsoleCommand(["--control-socket", server.dir + "/control.sock", "-c", "reload"])
        #expect(failed.status == 1, "\(failed.out)")
        #expect(failed.err.contains("error: cannot read the MOTD file \(motd): "), "\(failed.err)")
        #expect(failed.err.contains("hint: the old settings stay (the log was reopened)"), "\(failed.err)")
        try await server.waitForLog("cannot read the MOTD file \(motd)")
        #expect(try await ircLogin(server, nick: "bob").contains(" 372 bob :- Second edition"))
    }

    /// Bytes no terminal should see, and bytes that are not UTF-8, sent as they are: each
    /// line gets one clean error line and its hint, and the server carries on.
    @Test func rawBytesOnTheSocketGetACleanErrorAndTheServerGoesOn() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        let lines: [[UInt8]] = [
            [0xFF, 0xFE, 0xC0, 0xAF] + Array("who".utf8),  // not UTF-8 (0xC0 0xAF: an overlong '/')
            [0xED, 0xA0, 0x80] + Array(" stats".utf8),  // a UTF-16 surrogate
            Array("st\u{0}ats".utf8),
            Array("\u{1B}]0;owned\u{7}\u{1B}[2J".utf8),  // nothing but controls
            Array("\u{9B}2Jhelp".utf8),  // a C1 CSI
            Array("ban 192.0.2.7 5\u{1B}[2J spam".utf8),
            Array("mute gina 4000w\r\u{1B}c".utf8),
            Array("shutdown \u{1B}]0;owned\u{7}".utf8),
            Array("log-level \u{7F}\u{8}loud".utf8),
            Array("kick \u{1B}[31mbob".utf8),
        ]
        for line in lines {
            try FD.writeAll(console.fd, line + [0x0A])
            let raw = try await console.rawReply()
            let text = try #require(String(validating: raw, as: UTF8.self), "not UTF-8: \(raw)")
            let replyLines = text.split(separator: "\n")
            #expect(replyLines.map { $0.prefix(2) } == ["! ", "? ", "."], "\(line): \(text.debugDescription)")
            let clean = text.unicodeScalars.allSatisfy { $0 == "\n" || ($0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value)) }
            #expect(clean, "\(line): \(text.debugDescription)")
        }
        #expect(try await console.ok("stats").contains("uptime"))
        #expect(try await ControlClient(server).ok("who") == "nobody is connected")
        #expect(server.process.isRunning)
    }

    /// Replies pile up for a console that sends commands and never reads: once 1 MiB waits,
    /// it is closed, and that is all the hub ever holds for it.
    /// A script's long batch is run a slice at a time (the hub serves the chat in between):
    /// every command still runs once, in order, with its own reply.
    @Test func aLongBatchRunsInOrderWhileTheChatGoesOn() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        let console = try await ControlClient(server)
        let count = 3000
        // Written at once; the replies are read only afterwards (they fit the 1 MiB cap).
        try FD.writeAll(console.fd, (0..<count).map { $0 % 3 == 2 ? "say #lobby batch line \($0)\n" : "help kick\n" }.joined())
        try alice.line("said during the batch")
        let seenFirst = try await bob.expect("PRIVMSG #lobby :said during the batch")
        for i in 0..<count {
            let r = try await console.reply()
            if i % 3 == 2 {
                #expect(r.text == "told 2 in #lobby", "reply \(i): \(r)")
            } else {
                #expect(r.error == nil && r.text.hasPrefix("usage: kick NICK [REASON]"), "reply \(i): \(r)")
            }
        }
        // The notices arrived in the order they were asked for.
        let notices = seenFirst + (try await bob.expect("batch line \(count - 1)"))
        let numbers = notices.split(whereSeparator: \.isNewline).compactMap { line in
            line.range(of: "batch line ").flatMap { Int(line[$0.upperBound...]) }
        }
        #expect(numbers == Array(stride(from: 2, to: count, by: 3)))
        #expect(try await console.ok("help").contains("Commands"))
    }

    @Test func aConsoleThatNeverReadsIsClosedAndCostsTheHubLittle() async throws {
        let server = try await ServerProcess()
        let console = try await ControlClient(server)
        // Many bans make `bans` a long reply (some 100 KiB).
        let count = 1500
        try FD.writeAll(console.fd, (0..<count).map { "ban 10.0.\($0 / 256).\($0 % 256)\n" }.joined())
        for _ in 0..<count { #expect(try await console.reply().error == nil) }
        let before = peakResident(server.pid)
        // Some 800 listings asked for at once (one read for the hub), none of them read.
        let greedy = try await ControlClient(server)
        try FD.writeAll(greedy.fd, String(repeating: "bans\n", count: 800))
        try await server.waitForLog("warning: console uid \(getuid()) pid \(getpid()) does not read its replies; closing it")
        #expect(await greedy.expectClosed())
        // Not 800 listings (some 80 MiB): about the 1 MiB cap.
        let grown = peakResident(server.pid) - before
        #expect(grown < 16 << 20, "the hub's peak memory grew by \(grown >> 20) MiB")
        // Everyone else carries on.
        #expect(try await console.ok("stats").contains("\(count) bans in force"))
        #expect(try await ControlClient(server).ok("help").contains("Commands"))
    }
}

/// The server with a pseudo-terminal on stdin, stdout and stderr: the test plays the operator.
final class TerminalServer {
    let process = Process()
    let master: Int32
    let slave: Int32
    let dir: String
    private(set) var screen = ""
    private(set) var port = 0

    init(_ extra: [String] = []) async throws {
        (master, slave) = try TTY.openPseudoTerminal()
        dir = NSTemporaryDirectory() + "chat-tty-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: productPath("chat-server"))
        process.arguments = ["--listen", "127.0.0.1:0", "--name", "test.server", "--control-socket", dir + "/control.sock"] + extra
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "interactive=no"
        process.environment = env
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = tty
        process.standardOutput = tty
        process.standardError = tty
        try process.run()
        let line = try await waitFor("listening on 127.0.0.1:")
        port = Int(line.split(separator: ":").last?.prefix { $0.isNumber } ?? "") ?? 0
    }

    deinit {
        // After SIGKILL the exit is a moment away.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        FD.close(master)
        FD.close(slave)
        try? FileManager.default.removeItem(atPath: dir)
    }

    func type(_ text: String) throws { try FD.writeAll(master, text) }

    /// Reads the screen until it shows `text` after `from`; returns the line holding it.
    @discardableResult
    func waitFor(_ text: String, after from: String.Index? = nil, timeout: Double = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let start = from ?? screen.startIndex
            if let r = screen.range(of: text, range: start..<screen.endIndex) {
                let lineStart = screen[..<r.lowerBound].lastIndex(of: "\n").map { screen.index(after: $0) } ?? screen.startIndex
                let lineEnd = screen[r.upperBound...].firstIndex(of: "\n") ?? screen.endIndex
                return String(screen[lineStart..<lineEnd])
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw TestFailure("the terminal never showed '\(text)'; it shows:\n\(screen.debugDescription)") }
            // Polled without holding a thread.
            var p = [pollfd(fd: master, events: Poll.readable, revents: 0)]
            guard try Poll.wait(&p, timeoutMS: 0) > 0 else { await pause(.milliseconds(5)); continue }
            var chunk = [UInt8](repeating: 0, count: 8192)
            let n = chunk.withUnsafeMutableBytes { raw in read(master, raw.baseAddress, raw.count) }
            if n > 0 { screen += String(decoding: chunk[..<n], as: UTF8.self) }
        }
    }

    var end: String.Index { screen.endIndex }

    /// The screen as a terminal would show it: a tiny emulator for what the console writes
    /// (CR, LF, erase to end of line, cursor forward, printable text).
    var rows: [String] {
        var rows: [[Character]] = [[]]
        var row = 0, col = 0
        var chars = Array(screen)[...]
        while let c = chars.popFirst() {
            switch c {
            case "\r": col = 0
            case "\n": row += 1; if row == rows.count { rows.append([]) }
            case "\r\n": col = 0; row += 1; if row == rows.count { rows.append([]) }
            case "\u{1B}":
                guard chars.first == "[" else { _ = chars.popFirst(); continue }
                chars.removeFirst()
                var params = ""
                while let d = chars.first, d.isNumber || d == ";" { params.append(d); chars.removeFirst() }
                switch chars.popFirst() {
                case "K": if col < rows[row].count { rows[row].removeSubrange(col...) }
                case "C": col += Int(params) ?? 1
                default: break
                }
            default:
                while rows[row].count < col { rows[row].append(" ") }
                if col < rows[row].count { rows[row][col] = c } else { rows[row].append(c) }
                col += 1
            }
        }
        return rows.map { String($0) }
    }
}

@Suite(.serialized) struct TerminalConsoleTests {
    @Test func commandsTypedOnTheTerminalWorkAndLogLinesDoNotGarbleThePrompt() async throws {
        let server = try await TerminalServer()
        try await server.waitFor("chat-server> ")
        #expect(!TTY.isCooked(server.slave), "the console puts its terminal in raw mode")
        let users = try UserConnection(port: server.port)
        try await users.expect("nickname")
        try users.line("alice")
        try await users.expect("You joined #lobby")

        // Half a command typed, then a log line arrives (from a control-socket command).
        var mark = server.end
        try server.type("wh")
        try await server.waitFor("chat-server> wh", after: mark)
        mark = server.end
        let socket = try UnixSocket.connect(path: server.dir + "/control.sock")
        defer { FD.close(socket) }
        try FD.writeAll(socket, "say hello from the socket\n")
        try await server.waitFor("say to everyone: hello from the socket", after: mark)
        try await server.waitFor("chat-server> wh", after: server.screen.range(of: "hello from the socket", range: mark..<server.end)?.upperBound)
        // On screen: the log line has its row to itself, the prompt comes back below it with
        // what was typed so far.
        let rows = server.rows
        let at = try #require(rows.lastIndex { $0.contains("say to everyone: hello from the socket") }, "\(rows)")
        #expect(rows[at].hasPrefix("20") && rows[at].contains(" notice: console [uid "), "\(rows[at].debugDescription)")
        #expect(rows[at].hasSuffix("say to everyone: hello from the socket"), "\(rows[at].debugDescription)")
        #expect(at + 1 < rows.count && rows[at + 1] == "chat-server> wh", "\(rows.suffix(3))")
        try await users.expect("*** hello from the socket")

        // Finishing the line runs the command.
        mark = server.end
        try server.type("o\r")
        try await server.waitFor("alice", after: mark)
        try await server.waitFor("1 connection", after: mark)

        // A bad command: an error and a hint; the console carries on.
        mark = server.end
        try server.type("kik alice\r")
        try await server.waitFor("error: unknown command 'kik'", after: mark)
        try await server.waitFor("hint: did you mean 'kick'?", after: mark)

        // History: Up brings back the last command.
        mark = server.end
        try server.type("\u{1B}[A")
        try await server.waitFor("chat-server> kik alice", after: mark)
        try server.type("\u{15}")  // Ctrl-U clears it

        // Shutdown from the terminal: users are told, the server exits 0, the terminal is cooked again.
        try server.type("shutdown\r")
        try await users.expect("Server shutting down")
        _ = await waitUntil(timeout: 10) { !server.process.isRunning }
        #expect(!server.process.isRunning)
        #expect(server.process.terminationStatus == 0)
        #expect(TTY.isCooked(server.slave), "the terminal is restored on exit")
    }

    /// A terminal that stops reading (a stalled ssh session, Ctrl-S) fills up with log lines:
    /// the server drops lines rather than wait for it, and tells how many once it reads again.
    @Test func aTerminalThatStopsReadingDoesNotStopTheServer() async throws {
        let server = try await TerminalServer(["--log-level", "debug", "--max-per-ip", "0"])
        // From here on nobody reads the terminal. Some 600 connections, each a few debug lines:
        // far more than a terminal holds.
        for _ in 0..<600 {
            let c = try UserConnection(port: server.port)
            c.close()
        }
        // The hub still answers people and consoles.
        let alice = try UserConnection(port: server.port)
        try await alice.expect("nickname")
        try alice.line("alice")
        try await alice.expect("You joined #lobby")
        #expect(try await ControlClient(path: server.dir + "/control.sock").ok("stats").contains("uptime"))
        // Reading again: the next log line comes after a count of the ones dropped.
        let mark = server.end
        for _ in 0..<3 { try UserConnection(port: server.port).close() }
        try await server.waitFor("log lines dropped: the terminal was not reading", after: mark, timeout: 10)
        withExtendedLifetime(alice) {}
    }

    @Test func noConsoleLeavesTheTerminalAlone() async throws {
        let server = try await TerminalServer(["--no-console"])
        #expect(TTY.isCooked(server.slave))
        let mark = server.end
        try server.type("shutdown\n")
        // Echoed: the line waits in the terminal's input queue.
        try await server.waitFor("shutdown", after: mark)
        // The hub has been round its loop since (it answered a console), and the line is
        // still waiting: nothing read it.
        #expect(try await ControlClient(path: server.dir + "/control.sock").ok("stats").contains("uptime"))
        #expect(bytesWaiting(server.slave) == 9, "--no-console: nothing is read from the terminal")
        #expect(server.process.isRunning)
        #expect(!server.screen.contains("chat-server> "))
        kill(server.process.processIdentifier, SIGTERM)
        _ = await waitUntil(timeout: 3600) { !server.process.isRunning }
        #expect(server.process.terminationStatus == 0)
    }
}
