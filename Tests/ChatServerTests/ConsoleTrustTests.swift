@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Another local user against the operator's console: a directory or a socket of theirs
/// where `chat-server console` looks, or a server that never stops talking. The console
/// sends nothing to what it cannot trust, and says why.
@Suite(.serialized) struct ConsoleTrustTests {
    /// A uid nobody uses whose /tmp/chat-server-UID does not exist: the test's alone.
    func unusedUID() throws -> UInt32 {
        try #require((61000 + UInt32(getpid() % 3000)..<65000).first {
            getpwuid($0) == nil && Files.status("/tmp/chat-server-\($0)") == nil
        })
    }

    /// `chat-server ARGS` as user `uid`, without $XDG_RUNTIME_DIR (so the default socket is
    /// /tmp/chat-server-UID/chat-server.sock); its stderr apart.
    func chatServer(as uid: UInt32, _ args: [String]) throws -> LoggedProcess {
        try LoggedProcess("/usr/bin/env", name: "chat-test", errorsApart: true) { _ in
            ["-u", "XDG_RUNTIME_DIR", "/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups",
             productPath("chat-server")] + args
        }
    }

    /// A fake console server at `path`, run as `uid` (nil: as this process), answering with
    /// `reply` `repeats` times; the pid, for `stopForked`.
    func fakeServer(at path: String, as uid: UInt32?, reply: String, repeats: Int = 1) throws -> pid_t {
        let fd = try UnixSocket.listen(path: path)
        defer { FD.close(fd) }
        chmod(path, 0o666)
        return Proc.forkListener(fd, asUser: uid, reply: Array(reply.utf8), repeats: repeats)
    }

    func stopForked(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Someone made /tmp/chat-server-UID first, and runs a server of their own in it: the
    /// server will not start there, and the console will not talk to theirs.
    @Test func aSquattedFallbackDirectoryIsRefusedByServerAndConsole() async throws {
        guard getuid() == 0 else { return }  // becoming other users needs root; CI runs as root
        let uid = try unusedUID()
        let dir = "/tmp/chat-server-\(uid)", path = dir + "/chat-server.sock"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkdir(dir, 0o755) == 0)
        #expect(chown(dir, 65534, 65534) == 0)
        let squatter = try fakeServer(at: path, as: 65534, reply: "- chat-server 0.1.0, at your service\n.\n", repeats: 1000)
        defer { stopForked(squatter) }

        let server = try chatServer(as: uid, ["--listen", "127.0.0.1:0"])
        #expect(await server.waitForExit() == 1)
        #expect(server.errors.contains("error: cannot use \(dir) for the control socket: \(dir) belongs to another user (uid 65534)"), "\(server.errors)")
        #expect(server.errors.contains("someone may have made it to catch the console: remove it as root (rm -r \(dir))"), "\(server.errors)")

        let console = try chatServer(as: uid, ["console", "-c", "kick alice"])
        #expect(await console.waitForExit() == 1)
        #expect(!console.log.contains("at your service"), "the console talked to the squatter: \(console.log)")
        #expect(console.errors.contains("chat-server console: will not use \(path): \(dir) belongs to another user (uid 65534), not to you (uid \(uid)); someone may have made it to catch the console"), "\(console.errors)")
    }

    /// A socket in a place the console trusts, answered by a process of another user (here:
    /// root made the socket, the process serving it switched to nobody): refused before a
    /// word is sent.
    @Test func aServerRunByAnotherUserIsRefused() async throws {
        guard getuid() == 0 else { return }  // switching users needs root; CI runs as root
        let dir = try temporaryDirectory("chat-fake")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/control.sock"
        let fake = try fakeServer(at: path, as: 65534, reply: "- chat-server 0.1.0, at your service\n.\n- kicked alice\n.\n")
        defer { stopForked(fake) }
        let r = try await runConsoleCommand(["--control-socket", path, "-c", "kick alice"])
        #expect(r.status == 1)
        #expect(!r.out.contains("kicked alice"), "the console talked to another user's server: \(r.out)")
        #expect(r.err.contains("will not use \(path): the process answering on \(path) (pid \(fake)) runs as uid 65534, not as you (uid 0) or root"), "\(r.err)")
    }

    /// A server that never stops talking: a line without an end, or a reply without an end.
    /// The console stops reading at its bound with an error, rather than fill its memory.
    @Test(arguments: ["line", "reply"])
    func anEndlessReplyIsCutWithAnError(_ kind: String) async throws {
        let chunk = kind == "line" ? String(repeating: "x", count: 1 << 20) : "- " + String(repeating: "y", count: 1000) + "\n"
        let dir = try temporaryDirectory("chat-endless")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/control.sock"
        // Some 64 MiB at most (so that a console without a bound ends too), far past the bounds.
        let fake = try fakeServer(at: path, as: nil, reply: chunk, repeats: (64 << 20) / chunk.utf8.count)
        defer { stopForked(fake) }
        let r = try await runConsoleCommand(["--control-socket", path, "-c", "stats"], timeout: 60)
        #expect(r.status == 1)
        let expected = kind == "line" ? "the server sent a line longer than 64 KiB" : "the server's reply grew past 16 MiB"
        #expect(r.err.contains("chat-server console: \(expected); stopped reading"), "\(r.err.prefix(500))")
    }

    /// `-c stats` says which server answered, as the greeting does.
    @Test func statsAndTheGreetingNameTheServer() async throws {
        let server = try await ServerProcess()
        let path = server.dir + "/control.sock"
        let identity = "chat-server 0.1.0 on test.server, pid \(server.pid), listening on 127.0.0.1:\(server.port)"
        #expect(try await ControlClient(server).greeting.text == identity + "; 'help' lists the commands")
        let r = try await runConsoleCommand(["--control-socket", path, "-c", "stats"])
        #expect(r.status == 0, "\(r.err)")
        let row = r.out.split(separator: "\n").dropFirst().first ?? ""
        #expect(row.hasPrefix("server ") && row.hasSuffix(identity), "\(r.out)")
    }

    /// A second server on a control socket that another one answers on does not start: it
    /// would have no console, and the other's would answer for it.
    @Test func aSecondServerOnTheSameControlSocketIsRefusedWithTheOthersPid() async throws {
        let first = try await ServerProcess()
        let path = first.dir + "/control.sock"
        let second = try LoggedProcess(productPath("chat-server"), name: "chat-test") { _ in
            ["--listen", "127.0.0.1:0", "--control-socket", path]
        }
        #expect(await second.waitForExit() == 1)
        #expect(second.log.contains("error: another chat-server (pid \(first.pid)) answers on the control socket \(path): stop it first, or give this one a socket of its own (--control-socket PATH, or none)"), "\(second.log)")
        // The first one is untouched.
        #expect(try await ControlClient(first).ok("stats").contains("pid \(first.pid)"))
    }

    /// Someone else got to the socket's path first (a shared directory such as /tmp): the
    /// server does not start, and does not take them for a chat-server of its own.
    @Test func aSocketAnsweredByAnotherUserKeepsTheServerFromStartingAndSaysWho() async throws {
        guard getuid() == 0 else { return }  // switching users needs root; CI runs as root
        let dir = try temporaryDirectory("chat-squat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/control.sock"
        let squatter = try fakeServer(at: path, as: 65534, reply: "- hello\n.\n", repeats: 1)
        defer { stopForked(squatter) }
        let server = try LoggedProcess(productPath("chat-server"), name: "chat-test") { _ in
            ["--listen", "127.0.0.1:0", "--control-socket", path]
        }
        #expect(await server.waitForExit() == 1)
        #expect(server.log.contains("error: a process of another user (uid 65534, pid \(squatter)) answers on the control socket \(path), perhaps to catch the console"), "\(server.log)")
    }
}

/// Which directories `chat-server console` trusts to hold the socket, checked for a given uid.
@Suite(.serialized, .compute) struct ControlSocketTrustTests {
    @Test func theDirectoryMustBeTheUsersOrRootsAndNotOpenToOthers() throws {
        guard getuid() == 0 else { return }  // giving directories away needs root; CI runs as root
        let base = try temporaryDirectory("chat-trust", sharedWithServerUser: false)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let mine = base + "/mine", theirs = base + "/theirs", open = base + "/open", sticky = base + "/sticky"
        for d in [mine, theirs, open, sticky] { #expect(mkdir(d, 0o700) == 0) }
        #expect(chown(mine, 1234, 1234) == 0 && chown(theirs, 65534, 65534) == 0)
        #expect(chmod(open, 0o777) == 0 && chmod(sticky, 0o1777) == 0)
        func problem(_ dir: String, uid: UInt32, chosen: Bool = true) -> String? {
            ControlSocketPath.directoryProblem(dir + "/c.sock", chosen: chosen, uid: uid, base: base)
        }
        #expect(problem(mine, uid: 1234) == nil)
        #expect(problem(base, uid: 1234) == nil, "root's")
        #expect(problem(sticky, uid: 1234) == nil, "like /tmp: others cannot replace what is ours")
        #expect(problem(theirs, uid: 1234) == "\(theirs) belongs to another user (uid 65534), not to you (uid 1234); your chat-server's socket is not there (pass the --control-socket it was started with)")
        #expect(problem(theirs, uid: 0) == nil, "root chose the place; the answering process must still be root")
        #expect(problem(open, uid: 0)?.hasPrefix("\(open) can be written by other users (mode 777)") == true)
        #expect(ControlSocketPath.directoryProblem(base + "/missing/c.sock", chosen: true, uid: 1234) == nil, "connecting says it is missing")
        // The fallback directory must be the user's own, even for root, and no symlink.
        let fallback = base + "/chat-server-0"
        #expect(symlink(mine, fallback) == 0)
        #expect(problem(fallback, uid: 0, chosen: false)?.hasPrefix("\(fallback) is not a directory; someone may have made it") == true)
        #expect(unlink(fallback) == 0 && mkdir(fallback, 0o700) == 0 && chown(fallback, 65534, 65534) == 0)
        #expect(problem(fallback, uid: 0, chosen: false)?.hasPrefix("\(fallback) belongs to another user (uid 65534), not to you (uid 0); someone may have made it") == true)
    }

    @Test func theAnsweringProcessMustRunAsTheUserOrRoot() {
        #expect(ControlSocketPath.peerProblem((1000, 42), path: "/s", uid: 1000) == nil)
        #expect(ControlSocketPath.peerProblem((0, 42), path: "/s", uid: 1000) == nil)
        #expect(ControlSocketPath.peerProblem((1001, 42), path: "/s", uid: 1000)
            == "the process answering on /s (pid 42) runs as uid 1001, not as you (uid 1000) or root: it is not your chat-server, and nothing was sent to it")
        #expect(ControlSocketPath.peerProblem((1000, 42), path: "/s", uid: 0) != nil)
    }

    @Test func theParentDirectory() {
        #expect(ControlSocketPath.parent(of: "/run/user/1000/chat-server.sock") == "/run/user/1000")
        #expect(ControlSocketPath.parent(of: "/c.sock") == "/")
    }
}
