import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Accounts on the real server over TCP: NickServ in both dialects, a restart on the same
/// --state-dir, SASL PLAIN from a raw IRC connection, hostile SASL input, and a hub killed
/// with SIGKILL during a stream of registrations.
@Suite(.serialized) struct AccountDialectTests {
    /// A directory the server's user may create its state directory in.
    static func stateParent() throws -> String {
        let dir = NSTemporaryDirectory() + "chat-accounts-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try shareWithServerUser(dir)
        return dir
    }

    static func server(state: String) async throws -> ServerProcess {
        try await ServerProcess(["--state-dir", state, "--log-level", "info"])
    }

    /// An IRC client logged in by SASL PLAIN during registration, 900 and 903 before 001.
    static func saslUser(_ server: ServerProcess, nick: String, account: String, password: String) async throws -> UserConnection {
        let c = try server.connect()
        try c.line("CAP LS 302")
        try await c.expect("sasl=PLAIN")
        try c.line("CAP REQ :sasl")
        try await c.expect("CAP * ACK")
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect("AUTHENTICATE +")
        try c.line("AUTHENTICATE " + Base64.encode(Array("\0\(account)\0\(password)".utf8)))
        // CAP END and registration at once: the hub holds them until the check is done.
        try c.send("CAP END\r\nNICK \(nick)\r\nUSER \(nick) 0 * :Test\r\n")
        return c
    }

    @Test func registeredAccountsSurviveARestartForBothDialects() async throws {
        let parent = try Self.stateParent()
        let state = parent + "/state"
        do {
            let server = try await Self.server(state: state)
            try await server.waitForLog("state in \(state)/state.db: 0 accounts")
            let alice = try await ircUser(server, nick: "alice")
            try alice.line("PRIVMSG NickServ :REGISTER sesame1")
            try await alice.expect(":NickServ!NickServ@services. NOTICE alice :The account alice is registered.")
            try await alice.expect(" 900 alice alice!alice@127.0.0.1 alice :You are now logged in as alice")
            let bob = try await humanUser(server, nick: "bob")
            try bob.line("/register sesame2")
            try await bob.expect("-NickServ- The account bob is registered.")
            try await bob.expect("-- You are now logged in as bob")
            try bob.line("/whois alice")
            try await bob.expect("-- alice is logged in as alice")
            // The password is nowhere in the log.
            #expect(!server.log.contains("sesame"))
            await server.stop()
        }
        let server = try await Self.server(state: state)
        try await server.waitForLog("state in \(state)/state.db: 2 accounts")
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("NS IDENTIFY wrong-one")
        try await alice.expect("NOTICE alice :Invalid account or password.")
        try await Task.sleep(nanoseconds: 1_100_000_000)  // the wait after a failure
        try alice.line("NICKSERV identify sesame1")
        try await alice.expect(" 900 alice alice!alice@127.0.0.1 alice :You are now logged in as alice")
        let bob = try await humanUser(server, nick: "bobby")
        try bob.line("/identify bob sesame2")
        try await bob.expect("-- You are now logged in as bob")
        try bob.line("/msg NickServ INFO alice")
        try await bob.expect("-NickServ- alice is registered since ")
        try alice.line("WHOIS bobby")
        try await alice.expect(" 330 alice bobby bob :is logged in as")
        try bob.line("/logout")
        try await bob.expect("-- You are now logged out")
        // SASL from a raw connection, into an account made before the restart.
        let carol = try await Self.saslUser(server, nick: "carol", account: "alice", password: "sesame1")
        try await carol.expect(" 900 * ")
        try await carol.expect(" 903 * :SASL authentication successful")
        try await carol.expect(" 001 carol ")
        await server.stop()
        try? FileManager.default.removeItem(atPath: parent)
    }

    /// `/register` alone: the password is asked for with the telnet client's echo off (IAC
    /// WILL ECHO, then WONT ECHO), and never comes back to the screen.
    @Test func aTelnetUserTypesTheAccountPasswordUnseen() async throws {
        let server = try await ServerProcess()
        let tess = try await humanUser(server, nick: "tess")
        tess.transcript = []
        try tess.line("/register")
        try await tess.expect("Password for your account (not shown): ")
        try tess.send(bytes: [255, 253, 1])  // DO ECHO, as a telnet client answers
        try tess.line("sesame9")
        try await tess.expect("-- You are now logged in as tess")
        try tess.line("/logout")
        try await tess.expect("-- You are now logged out")
        try tess.line("/identify")
        try await tess.expect("Password for your account (not shown): ")
        try tess.line("")
        try await tess.expect("!! No password given; nothing was sent.")
        try tess.line("/identify")
        try await tess.expect("Password for your account (not shown): ")
        try tess.line("sesame9")
        try await tess.expect("-- You are now logged in as tess")
        let raw = tess.transcript ?? []
        func has(_ needle: [UInt8]) -> Bool { raw.indices.contains { raw[$0...].starts(with: needle) } }
        #expect(has([255, 251, 1]) && has([255, 252, 1]), "WILL ECHO then WONT ECHO: \(raw)")
        #expect(!String(decoding: raw, as: UTF8.self).contains("sesame9"))
        await server.stop()
    }

    @Test func saslRefusesWrongPasswordsAndHostileInput() async throws {
        let parent = try Self.stateParent()
        let server = try await Self.server(state: parent + "/state")
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("NS REGISTER sesame1")
        try await alice.expect(" 900 alice ")
        let c = try server.connect()
        try c.line("CAP LS 302")
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect(" 904 * :SASL authentication failed: the sasl capability is not enabled")
        try c.line("CAP REQ :sasl")
        try await c.expect("CAP * ACK")
        try c.line("AUTHENTICATE FOO")
        try await c.expect(" 908 * PLAIN,EXTERNAL :are available SASL mechanisms")
        try await c.expect(" 904 * :SASL authentication failed")
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect("AUTHENTICATE +")
        try c.line("AUTHENTICATE " + String(repeating: "A", count: 401))
        try await c.expect(" 905 * :SASL message too long")
        for bad in ["not*base64", Base64.encode(Array("bob\0alice\0sesame1".utf8)), Base64.encode(Array("\0alice\0ses\0ame1".utf8))] {
            try c.line("AUTHENTICATE PLAIN")
            try await c.expect("AUTHENTICATE +")
            try c.line("AUTHENTICATE " + bad)
            try await c.expect(" 904 * :SASL authentication failed")
        }
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect("AUTHENTICATE +")
        try c.line("AUTHENTICATE *")
        try await c.expect(" 906 * :SASL authentication aborted")
        // A wrong password (checked by the worker), then registration goes on without an account.
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect("AUTHENTICATE +")
        try c.line("AUTHENTICATE " + Base64.encode(Array("\0alice\0wrong-one".utf8)))
        try c.send("CAP END\r\nNICK dave\r\nUSER dave 0 * :Test\r\n")
        try await c.expect(" 904 * :SASL authentication failed")
        try await c.expect(" 001 dave ")
        // NickServ refuses over-long passwords and control bytes, and the connection goes on.
        try c.line("NS REGISTER " + String(repeating: "p", count: 301))
        try await c.expect("NOTICE dave :A password is 5 to 300 bytes long.")
        try c.line("PRIVMSG NickServ :REGISTER abc\u{7}defg")
        try await c.expect("NOTICE dave :A password may not contain control characters.")
        try c.line("PING :still")
        try await c.expect("PONG test.server still")
        // After registration SASL still works, and a second login is 907.
        try await Task.sleep(nanoseconds: 1_100_000_000)  // the wait after the failure
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect("AUTHENTICATE +")
        try c.line("AUTHENTICATE " + Base64.encode(Array("alice\0alice\0sesame1".utf8)))
        try await c.expect(" 900 dave dave!dave@127.0.0.1 alice :")
        try await c.expect(" 903 dave :")
        try c.line("AUTHENTICATE PLAIN")
        try await c.expect(" 907 dave :You have already authenticated using SASL")
        try c.line("PING :alive")
        try await c.expect("PONG test.server alive")
        await server.stop()
        try? FileManager.default.removeItem(atPath: parent)
    }

    /// Registrations from three connections at once; the hub is killed with SIGKILL after a
    /// few were acknowledged. Every acknowledged one is in the database, which is sound, and
    /// a restarted server logs them in.
    @Test func everyAcknowledgedRegistrationSurvivesSIGKILL() async throws {
        let parent = try Self.stateParent()
        let state = parent + "/state"
        let server = try await Self.server(state: state)
        let clients = try await (0..<3).asyncMap { i in try await ircUser(server, nick: "w\(i)n0") }
        var acknowledged: [String] = []
        var round = 0
        let killAfter = 4 + Int.random(in: 0..<5)
        while acknowledged.count < killAfter {
            for (i, c) in clients.enumerated() {
                try c.line("NS REGISTER sesame\(round)")
                try await c.expect(" 900 ")
                acknowledged.append("w\(i)n\(round)")
                try c.line("NS LOGOUT")
                try c.line("NICK w\(i)n\(round + 1)")
            }
            round += 1
        }
        // More under way as the hub dies: these may or may not be kept.
        for c in clients { try c.line("NS REGISTER sesame\(round)") }
        kill(server.pid, SIGKILL)
        _ = await server.waitForExit()
        let store = try StateStore(directory: state)
        #expect(try store.integrityCheck() == "ok")
        let kept = try store.loadAccounts()
        for nick in acknowledged { #expect(kept[nick] != nil, "\(nick) was acknowledged and lost") }
        let again = try await Self.server(state: state)
        let check = try await ircUser(again, nick: "checker")
        try check.line("NS IDENTIFY \(acknowledged.last!) sesame\(round - 1)")
        try await check.expect(" 900 checker ")
        await again.stop()
        try? FileManager.default.removeItem(atPath: parent)
    }
}

private extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
