import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Server operators on the real server over TCP, in both dialects: the config file's operator
/// block, OPER checked by the password worker, KILL, WALLOPS, user modes, and the worker
/// itself (sandboxed, started again when it dies); `chat-server hash-password`.
@Suite(.serialized) struct OperatorDialectTests {
    /// A server with the operator block `boss`, password `sesame`, and its log at `info`.
    static func server(_ extra: [String] = []) async throws -> ServerProcess {
        #expect(PasswordHash.prepare())
        let hash = try #require(PasswordHash.make(Array("sesame".utf8)))
        let dir = NSTemporaryDirectory() + "chat-opers-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "# operators\noper = boss \(hash)\noper = faraway \(hash) *@192.0.2.*\n"
            .write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        return try await ServerProcess(["--config", dir + "/chat.conf", "--log-level", "info"] + extra)
    }

    @Test func ircOperatorsOperKillAndWallopInOrder() async throws {
        let server = try await Self.server()
        let alice = try await ircUser(server, nick: "alice", join: "#ops")
        let bob = try await ircUser(server, nick: "bob", join: "#ops")
        let carol = try await ircUser(server, nick: "carol")
        // Not an operator yet: 481.
        try alice.line("KILL bob :spam")
        try await alice.expect(" 481 alice :Permission Denied")
        try alice.line("WALLOPS :hi")
        try await alice.expect(" 481 alice :Permission Denied")
        // Wrong password, a block for another address, no such block: each refused, then the
        // right one; each answer before the PING sent after it.
        try alice.send("OPER boss wrong\r\nPING :one\r\n")
        try await alice.expect(" 464 alice :Password incorrect")
        try await alice.expect("PONG test.server one")
        try await Task.sleep(nanoseconds: 1_100_000_000)  // the wait after a failure
        try alice.send("OPER faraway sesame\r\nPING :two\r\n")
        try await alice.expect(" 491 alice :")
        try await alice.expect("PONG test.server two")
        try await Task.sleep(nanoseconds: 2_100_000_000)
        try alice.send("OPER boss sesame\r\nPING :three\r\n")
        let granted = try await alice.expect("PONG test.server three")
        #expect(granted.contains(" 381 alice :You are now an IRC operator\r\n:alice MODE alice :+o\r\n"), "\(granted)")
        try await server.waitForLog("alice (127.0.0.1:")
        try await server.waitForLog("is now a server operator (operator block boss)")
        try await server.waitForLog("failed to become a server operator as boss: wrong password")
        // Others see it: WHOIS 313, WHO's `*`.
        try bob.line("WHOIS alice")
        try await bob.expect(" 313 bob alice :is an IRC operator")
        try bob.line("WHO alice")
        try await bob.expect(" 352 bob * alice 127.0.0.1 test.server alice H* :0 Test User")
        try bob.line("USERHOST alice bob")
        try await bob.expect(" 302 bob :alice*=+alice@127.0.0.1 bob=+bob@127.0.0.1")
        // WALLOPS: carol asked for them (+w), bob did not.
        try carol.line("MODE carol +w")
        try await carol.expect(":carol MODE carol :+w")
        try alice.line("WALLOPS :maintenance at noon")
        try await carol.expect(":alice!alice@127.0.0.1 WALLOPS :maintenance at noon")
        try await alice.expect(":alice!alice@127.0.0.1 WALLOPS :maintenance at noon")
        #expect(await bob.expectNothing("WALLOPS"))
        // KILL: the victim is told and closed, its channel sees the quit.
        try alice.line("KILL bob :flooding")
        try await bob.expect("ERROR :Closing Link: 127.0.0.1 (Killed (alice (flooding)))")
        #expect(await bob.expectClosed())
        try await alice.expect(":bob!bob@127.0.0.1 QUIT :Killed (alice (flooding))")
        try await server.waitForLog("killed bob (127.0.0.1:")
        try alice.line("KILL nobody")
        try await alice.expect(" 401 alice nobody :No such nick")
        // Dropping +o: no more KILL.
        try alice.line("MODE alice -o")
        try await alice.expect(":alice MODE alice :-o")
        try alice.line("KILL carol")
        try await alice.expect(" 481 alice :Permission Denied")
    }

    @Test func userModesAndInvisibilityOverTCP() async throws {
        let server = try await Self.server()
        let evan = try await ircUser(server, nick: "evan")
        let shiv = try await ircUser(server, nick: "shiv")
        try evan.line("MODE evan +i")
        try await evan.expect(":evan MODE evan :+i")
        try evan.line("MODE evan +Zw")
        try await evan.expect(" 501 evan :Unknown MODE flag")
        try await evan.expect(":evan MODE evan :+w")
        try evan.line("MODE evan")
        try await evan.expect(" 221 evan :+iw")
        try evan.line("MODE shiv +i")
        try await evan.expect(" 502 evan :")
        try shiv.line("WHO eva*")
        let hidden = try await shiv.expect(" 315 shiv eva* ")
        #expect(!hidden.contains(" 352 "))
        try shiv.line("WHO evan")
        try await shiv.expect(" 352 shiv * evan ")
    }

    @Test func telnetOperatorsHaveTheSamePowersInTheirWords() async throws {
        let server = try await Self.server()
        let tom = try await humanUser(server, nick: "tom")
        let irc = try await ircUser(server, nick: "wally")
        try irc.line("MODE wally +w")
        try await irc.expect(":wally MODE wally :+w")
        try tom.line("/wallops hello")
        try await tom.expect("!! Only server operators can do that (see /oper).")
        try tom.line("/oper boss nope")
        try await tom.expect("!! Password incorrect")
        try await Task.sleep(nanoseconds: 1_100_000_000)
        // Without the password on the line: asked for, with the client's echo turned off
        // (IAC WILL ECHO) and on again (IAC WONT ECHO) once it is typed.
        tom.transcript = []
        try tom.line("/oper boss")
        try await tom.expect("Password for boss (not shown): ")
        try tom.send(bytes: [255, 253, 1])  // DO ECHO, as a telnet client answers
        try tom.line("sesame")
        try await tom.expect("-- You are now a server operator (as boss)")
        let raw = tom.transcript ?? []
        func has(_ needle: [UInt8]) -> Bool { raw.indices.contains { raw[$0...].starts(with: needle) } }
        #expect(has([255, 251, 1]) && has([255, 252, 1]), "WILL ECHO then WONT ECHO: \(raw)")
        #expect(!String(decoding: raw, as: UTF8.self).contains("sesame"))
        try await tom.expect("-- you are now server operator")
        try tom.line("/wallops hello from telnet")
        try await irc.expect(":tom!tom@127.0.0.1 WALLOPS :hello from telnet")
        try await tom.expect("*** Wallops from tom: hello from telnet")
        try tom.line("/kill wally bye")
        try await irc.expect("ERROR :Closing Link: 127.0.0.1 (Killed (tom (bye)))")
        try await tom.expect("*** Killed wally: bye")
        try tom.line("/help")
        try await tom.expect("/wallops TEXT")
    }

    /// The worker checks passwords in its sandbox; killed, it is started again at the next
    /// check, and the check waiting for it is refused with a reason.
    @Test func thePasswordWorkerIsSandboxedAndReplaced() async throws {
        let server = try await Self.server()
        // The worker is exec'd after the fork, names itself, then enters its sandbox: wait
        // for the name, then for the filter (a worker that never enters it fails here).
        var found: Int32?
        _ = await waitUntil(timeout: 10) {
            found = server.sessionPIDs().first { Proc.name(of: $0) == "chat-passwords" }
            return found != nil
        }
        let worker = try #require(found)
        var status = ""
        _ = await waitUntil(timeout: 10) {
            status = (try? String(contentsOfFile: "/proc/\(worker)/status", encoding: .utf8)) ?? ""
            return status.contains("Seccomp:\t2")
        }
        #expect(status.contains("Seccomp:\t2"), "\(status)")
        #expect(status.contains("CapEff:\t0000000000000000"))
        Proc.signal(worker, SIGKILL)
        try await server.waitForLog("the password worker (pid \(worker)) stopped")
        let alice = try await ircUser(server, nick: "alice")
        // At most a second later (the last start was about then), a new one.
        #expect(await waitUntil(timeout: 10) { server.sessionPIDs().contains { $0 != worker && Proc.name(of: $0) == "chat-passwords" } })
        try alice.send("OPER boss sesame\r\nPING :x\r\n")
        let answer = try await alice.expect("PONG test.server x")
        #expect(answer.contains(" 381 alice "), "\(answer)")
    }

    /// The worker runs from the start, operator blocks or not (accounts need it, issue 16); a
    /// reload that adds the first operator block makes OPER work.
    @Test func theWorkerRunsWithoutOperatorsAndAReloadAddsTheFirst() async throws {
        let dir = NSTemporaryDirectory() + "chat-opers-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try shareWithServerUser(dir)
        try "history = 10\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        let server = try await ServerProcess(["--config", dir + "/chat.conf", "--log-level", "info"])
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("OPER boss sesame")
        try await alice.expect(" 491 alice :")
        #expect(await waitUntil(timeout: 10) { server.sessionPIDs().contains { Proc.name(of: $0) == "chat-passwords" } })
        #expect(PasswordHash.prepare())
        let hash = try #require(PasswordHash.make(Array("sesame".utf8)))
        try "oper = boss \(hash)\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
        try shareWithServerUser(dir + "/chat.conf")
        Proc.signal(server.pid, SIGHUP)
        try await server.waitForLog("operators none -> boss")
        #expect(await waitUntil(timeout: 10) { server.sessionPIDs().contains { Proc.name(of: $0) == "chat-passwords" } })
        try alice.send("OPER boss sesame\r\nPING :x\r\n")
        let answer = try await alice.expect("PONG test.server x")
        #expect(answer.contains(" 381 alice "), "\(answer)")
    }

    @Test func hashPasswordPrintsAnArgon2idHashTheServerAccepts() async throws {
        let r = try await runToExit("/bin/sh", ["-c", "printf 'sesame\\n' | \"$0\" hash-password", productPath("chat-server")])
        #expect(r.status == 0)
        let hash = r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.hasPrefix("$argon2id$v=19$"), "\(r.output)")
        #expect(PasswordHash.prepare())
        #expect(PasswordWorker.answer(PasswordCheck(ticket: 7, hash: hash, password: "sesame")) == .init(ticket: 7, answer: .match))
        #expect(PasswordWorker.answer(PasswordCheck(ticket: 8, hash: hash, password: "Sesame")) == .init(ticket: 8, answer: .mismatch))
        #expect(PasswordWorker.answer(PasswordCheck(ticket: 9, hash: "plain", password: "x")) == .init(ticket: 9, answer: .unreadableHash))
        let empty = try await runToExit("/bin/sh", ["-c", "printf '' | \"$0\" hash-password", productPath("chat-server")])
        #expect(empty.status == 1 && empty.output.contains("no password on stdin"))
    }

    @Test func operatorBlocksAreCheckedWhenTheConfigIsRead() throws {
        let dir = NSTemporaryDirectory() + "chat-opers-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hash = ChatState.decoyHash
        var limits = Limits(maxClients: 10, maxPerIP: 2, history: 5, floodRate: 5, floodBurst: 20, motdFile: nil)
        try "oper = alice \(hash)\noper = bob \(hash) *@10.0.0.*\n".write(toFile: dir + "/ok.conf", atomically: true, encoding: .utf8)
        try limits.apply(configFile: dir + "/ok.conf")
        #expect(limits.operators == [OperatorBlock(name: "alice", hash: hash), OperatorBlock(name: "bob", hash: hash, mask: "*@10.0.0.*")])
        #expect(limits.operators[1].admits(user: "b", host: "10.0.0.7") && !limits.operators[1].admits(user: "b", host: "10.0.1.7"))
        try expectConfigRefused([
            ("oper = alice", "oper takes a name, a password hash and an optional user@host mask"),
            ("oper = alice sesame", "the password of operator alice is not an argon2id hash"),
            ("oper = 9lives \(hash)", "an operator's name is a word"),
            ("oper = alice \(hash)\noper = alice \(hash)", "line 2: operator alice is defined twice"),
        ], in: dir)
    }
}
