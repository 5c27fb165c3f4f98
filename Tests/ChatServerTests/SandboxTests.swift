@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct SandboxTests {
    /// Forks a child that enters the session sandbox, then makes one forbidden call. Its own
    /// descriptor, the only one it may read and write, is 200 (one end of a socket pair).
    /// Only C-level calls run in the child (the test process has threads).
    func sandboxedChild(_ forbidden: @convention(c) () -> Void) -> Proc.ExitStatus? {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { return nil }
        let own: [Int32] = [200]
        let pid = fork()
        if pid == 0 {
            dup2(pair[0], 200)
            if (try? Proc.enterSessionSandbox(readable: own, writable: own)) == nil { _exit(90) }
            forbidden()
            _exit(0)
        }
        close(pair[0])
        close(pair[1])
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

    /// Its own descriptor, yes; stderr (the server's terminal or log) and stdin, no: EPERM,
    /// and it lives on (see `CLinux/sandbox.h` for why not SIGSYS).
    @Test func aSandboxedSessionReadsAndWritesOnlyItsOwnDescriptors() {
        #expect(sandboxedChild {
            if write(200, "x", 1) != 1 { _exit(1) }
            if write(2, "escaped the sandbox\n", 20) != -1 || errno != EPERM { _exit(2) }
            var byte: UInt8 = 0
            var iov = iovec(iov_base: &byte, iov_len: 1)
            if writev(2, &iov, 1) != -1 || errno != EPERM { _exit(3) }
            if read(0, &byte, 1) != -1 || errno != EPERM { _exit(4) }
            if shutdown(2, Int32(SHUT_WR)) != -1 || errno != EPERM { _exit(5) }
        } == .exited(0))
    }

    @Test func aSandboxedSessionCannotMapExecutableMemory() {
        #expect(sandboxedChild { _ = mmap(nil, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) } == .signaled(SIGSYS))
    }

    @Test func aSandboxedSessionCannotMakeItsMemoryExecutable() {
        #expect(sandboxedChild {
            let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            _ = mprotect(page, 4096, PROT_READ | PROT_EXEC)
        } == .signaled(SIGSYS))
    }

    @Test func aSandboxedSessionCannotMapADescriptor() {
        #expect(sandboxedChild { _ = mmap(nil, 4096, PROT_READ, MAP_SHARED, 200, 0) } == .signaled(SIGSYS))
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
        // No capability left, even where the hub runs as root (--user root).
        #expect(status.contains("CapEff:\t0000000000000000"))
        #expect(status.contains("CapPrm:\t0000000000000000"))
    }

    /// Fails closed: a session whose filter cannot be installed (here the kernel refuses it,
    /// as one without seccomp filters would) serves no one, and says so in the log.
    @Test func aSessionThatCannotEnterItsSandboxClosesTheConnection() async throws {
        let server = try await ServerProcess(environment: [SandboxProbe.variable: "refuse-filter"])
        let mallory = try server.connect()
        #expect(await mallory.expectClosed())
        #expect(!mallory.text.contains("nickname"), "\(mallory.text)")
        try await server.waitForLog("could not enter the sandbox")
        #expect(server.process.isRunning)
    }

    /// The server's terminal or log is out of reach: the write fails (EPERM), nothing of it
    /// reaches the log, and the session goes on chatting.
    @Test func aSessionCannotWriteToTheServersTerminalOrLog() async throws {
        let server = try await ServerProcess(environment: [SandboxProbe.variable: "write-stderr"])
        let alice = try server.connect()
        try await alice.expect("sandbox probe: stderr refused")
        try await alice.expect("nickname")
        try alice.line("alice")
        try await alice.expect("You joined #lobby")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try alice.line("still chatting")
        try await bob.expect("still chatting")
        // Once the server has exited, its log is complete.
        await server.stop()
        #expect(!server.log.contains(SandboxProbe.stderrMarker), "\(server.log)")
    }

    /// A session that maps executable memory is killed (SIGSYS); the hub ends it like any
    /// crash, and everyone else goes on.
    @Test func aSessionThatMapsExecutableMemoryIsKilledAndTheOthersGoOn() async throws {
        let server = try await ServerProcess(environment: [SandboxProbe.variable: "map-executable@2"])
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        let mallory = try server.connect()
        #expect(await mallory.expectClosed())
        #expect(!mallory.text.contains("executable memory mapped"), "\(mallory.text)")
        try await server.waitForLog("SIGSYS")
        let alice = try await humanUser(server, nick: "alice")
        try alice.line("after the crash")
        try await bob.expect("after the crash")
    }
}

/// The fields of /proc/PID/status, by name.
func processStatus(_ pid: pid_t) throws -> [String: String] {
    let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
}

@Suite(.serialized) struct PrivilegeTests {
    /// Started as root without --user (as `swift run chat-server` as root is): the hub, the
    /// spawner and every session run as nobody, with no capability at all.
    @Test func startedAsRootItDropsToAnUnprivilegedUserByDefault() async throws {
        guard Proc.isRoot else { return }  // Not root: nothing to drop (and nothing said).
        let server = try await ServerProcess()
        try await server.waitForLog("running as user nobody (uid 65534")
        let (alice, session) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        let spawner = try #require(server.sessionPIDs().first { (try? processStatus($0)["Name"]) == "chat-spawner" })
        for pid in [server.pid, spawner, session] {
            let status = try processStatus(pid)
            #expect(status["Uid"] == "65534\t65534\t65534\t65534", "\(pid)")
            #expect(status["Gid"] == "65534\t65534\t65534\t65534", "\(pid)")
            #expect(status["Groups"] == "65534", "\(pid)")
            for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                #expect(status[set] == "0000000000000000", "\(pid) \(set)")
            }
            // Not dumpable (its /proc entries then belong to root): another process running as
            // nobody may not trace it or read its memory.
            #expect(Files.status("/proc/\(pid)/environ")?.owner == 0, "\(pid)")
        }
        // Still serving.
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        try alice.line("hello as nobody")
        try await bob.expect("hello as nobody")
    }

    /// `--user root` keeps root, says so, and the sessions give up every capability anyway.
    @Test func userRootKeepsRootAndSaysSo() async throws {
        guard Proc.isRoot else { return }
        let server = try await ServerProcess(["--user", "root"])
        try await server.waitForLog("running as root (--user root)")
        let (alice, session) = try await newSession(server) { try await humanUser(server, nick: "alice") }
        defer { withExtendedLifetime(alice) {} }
        #expect(try processStatus(server.pid)["Uid"] == "0\t0\t0\t0")
        #expect(try processStatus(server.pid)["CapEff"] != "0000000000000000")
        let status = try processStatus(session)
        for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            #expect(status[set] == "0000000000000000", "\(set)")
        }
        #expect(status["NoNewPrivs"] == "1")
    }

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

@Suite(.serialized, .compute) struct ServerUserTests {
    let users: [String: UInt32] = ["root": 0, "nobody": 65534, "alice": 1000]

    @Test func startedAsRootWithoutUserItPicksTheDefault() throws {
        #expect(try ServerUser.choose(option: nil, isRoot: true, uid: { users[$0] }) == .drop(to: "nobody", byDefault: true))
        var withDedicated = users
        withDedicated["chat-server"] = 120
        #expect(try ServerUser.choose(option: nil, isRoot: true, uid: { withDedicated[$0] }) == .drop(to: "chat-server", byDefault: true))
    }

    @Test func userRootKeepsRootAndAnyOtherUserIsTaken() throws {
        #expect(try ServerUser.choose(option: "root", isRoot: true, uid: { users[$0] }) == .keepRoot)
        #expect(try ServerUser.choose(option: "alice", isRoot: true, uid: { users[$0] }) == .drop(to: "alice", byDefault: false))
        #expect(ServerUser.drop(to: "alice", byDefault: false).consoleOwner == "alice")
        #expect(ServerUser.drop(to: "nobody", byDefault: true).consoleOwner == nil)
    }

    @Test func withNoUserToRunAsItRefusesToStartAsRoot() {
        #expect(throws: StartupError.self) { try ServerUser.choose(option: nil, isRoot: true, uid: { $0 == "root" ? 0 : nil }) }
        #expect(throws: StartupError.self) { try ServerUser.choose(option: "ghost", isRoot: true, uid: { users[$0] }) }
    }

    @Test func notRootItStaysWhoItIs() throws {
        #expect(try ServerUser.choose(option: nil, isRoot: false, uid: { users[$0] }) == .unchanged)
        #expect(throws: StartupError.self) { try ServerUser.choose(option: "nobody", isRoot: false, uid: { users[$0] }) }
    }
}
