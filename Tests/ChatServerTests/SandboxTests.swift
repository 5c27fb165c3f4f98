import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct SandboxTests {
    /// Forks a child that enters the session sandbox, then makes one forbidden call.
    /// Only C-level calls run in the child (the test process has threads).
    func sandboxedChild(_ forbidden: @convention(c) () -> Void) -> Proc.ExitStatus? {
        let pid = fork()
        if pid == 0 {
            if (try? Proc.enterSessionSandbox()) == nil { _exit(90) }
            forbidden()
            _exit(0)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }

    @Test func aSandboxedSessionCannotOpenAFile() {
        #expect(sandboxedChild { _ = open("/etc/hostname", O_RDONLY) } == .signaled(SIGSYS))
    }

    @Test func aSandboxedSessionCannotMakeASocket() {
        #expect(sandboxedChild { _ = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) } == .signaled(SIGSYS))
    }

    @Test func aSandboxedSessionCannotFork() {
        #expect(sandboxedChild { _ = fork() } == .signaled(SIGSYS))
    }

    @Test func aSandboxedSessionCanStillDoItsWork() {
        // read, write, poll, memory, time, exit: the loop's calls.
        #expect(sandboxedChild {
            let p = malloc(1 << 20)
            free(p)
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            var pfd = pollfd(fd: 2, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, 0)
            _ = write(2, "", 0)
        } == .exited(0))
    }

    @Test func realSessionsRunSandboxedWithoutPrivilegesOrCoreDumps() async throws {
        let server = try await ServerProcess()
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.contains("NoNewPrivs:\t1"))
        #expect(status.contains("Seccomp:\t2"))
        // Still chatting under the filter.
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try alice.line("sandboxed hello")
        try await bob.expect("sandboxed hello")
        try alice.line("/whois bob")
        try await alice.expect("bob")
    }
}

@Suite(.serialized) struct PrivilegeTests {
    @Test func startedAsRootItDropsToTheGivenUserBeforeAcceptingAnyone() async throws {
        guard Proc.isRoot else {
            // Not root: the option must refuse clearly instead of pretending.
            let p = try await runToExit(productPath("chat-server"), ["--listen", "127.0.0.1:0", "--user", "nobody"], errorsApart: true)
            #expect(p.status == 1)
            #expect(p.errors.contains("needs the server to be started as root"))
            return
        }
        let server = try await ServerProcess(["--user", "nobody"])
        try await server.waitForLog("running as user nobody")
        let (alice, pid) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        for p in [server.pid, pid] {
            let status = try String(contentsOfFile: "/proc/\(p)/status", encoding: .utf8)
            let uidLine = status.split(separator: "\n").first { $0.hasPrefix("Uid:") } ?? ""
            #expect(uidLine.split(separator: "\t").dropFirst().allSatisfy { $0 == "65534" }, "\(p): \(uidLine)")
        }
    }
}
