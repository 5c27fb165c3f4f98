@testable import ChatServerDaemon
import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// `make install` with the debug build's binaries (`INSTALL_BIN_DIR`), and the systemd unit as
/// installed, checked with `systemd-analyze verify` (systemd does not run here).
@Suite(.serialized) struct ServiceInstallTests {
    static let repository = ManualPageTests.repository
    static let hasMake = findExecutable("make") != nil
    static let analyze = findExecutable("systemd-analyze")

    var binaries: String { URL(fileURLWithPath: productPath("chat-server")).deletingLastPathComponent().path }

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "chat-install-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        return dir
    }

    func make(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let run = try await runToExit(findExecutable("make")!, ["-s", "-C", Self.repository.path] + arguments, timeout: 120)
        return (run.status, run.output)
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test(.enabled(if: hasMake, "make is not installed"))
    func installPutsEveryFileUnderDestdirAndUninstallTakesThemAway() async throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let install = try await make(["install", "DESTDIR=\(root)", "INSTALL_BIN_DIR=\(binaries)"])
        #expect(install.status == 0, "\(install.output)")
        let files = ["usr/local/bin/chat-server", "usr/local/bin/chat-tui", "usr/local/share/man/man8/chat-server.8",
                     "usr/local/share/man/man1/chat-tui.1", "usr/local/lib/systemd/system/chat-server.service",
                     "usr/local/lib/sysusers.d/chat-server.conf", "etc/chat-server/chat-server.conf"]
        for f in files { #expect(FileManager.default.fileExists(atPath: "\(root)/\(f)"), "\(f) was not installed") }
        let unit = read("\(root)/usr/local/lib/systemd/system/chat-server.service")
        #expect(unit.contains("\nExecStart=/usr/local/bin/chat-server --no-console "), "\(unit)")
        #expect(!unit.contains("@BINDIR@"))
        let version = try await runToExit("\(root)/usr/local/bin/chat-server", ["--version"])
        #expect(version.output == ServerConfig.version + "\n", "\(version.output)")
        // The installed sample config is one the server accepts (comments only).
        let config = read("\(root)/etc/chat-server/chat-server.conf")
        #expect(config.split(separator: "\n").allSatisfy { $0.hasPrefix("#") }, "\(config)")

        // An operator's settings survive a second install and an uninstall.
        try "history = 7\n".write(toFile: "\(root)/etc/chat-server/chat-server.conf", atomically: true, encoding: .utf8)
        #expect(try await make(["install", "DESTDIR=\(root)", "INSTALL_BIN_DIR=\(binaries)"]).status == 0)
        #expect(read("\(root)/etc/chat-server/chat-server.conf") == "history = 7\n")
        let uninstall = try await make(["uninstall", "DESTDIR=\(root)"])
        #expect(uninstall.status == 0, "\(uninstall.output)")
        for f in files.dropLast() { #expect(!FileManager.default.fileExists(atPath: "\(root)/\(f)"), "\(f) was left behind") }
        #expect(read("\(root)/etc/chat-server/chat-server.conf") == "history = 7\n")
    }

    @Test(.enabled(if: hasMake && analyze != nil, "systemd-analyze (systemd) or make is not installed: the unit cannot be checked"))
    func theInstalledUnitPassesSystemdAnalyzeVerify() async throws {
        // Installed under a prefix of its own, so that the binary the unit names exists; no
        // user is made and systemd is not told (SYSTEM_SETUP=no).
        let prefix = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let install = try await make(["install", "PREFIX=\(prefix)/usr", "SYSCONFDIR=\(prefix)/etc", "SYSTEM_SETUP=no",
                                      "INSTALL_BIN_DIR=\(binaries)"])
        #expect(install.status == 0, "\(install.output)")
        let unit = "\(prefix)/usr/lib/systemd/system/chat-server.service"
        #expect(read(unit).contains("\nExecStart=\(prefix)/usr/bin/chat-server "))
        // verify runs `man chat-server(8)` for Documentation=: the page just installed.
        let manPath = ["MANPATH": "\(prefix)/usr/share/man"]
        let verify = try await runToExit(Self.analyze!, ["verify", unit], environment: manPath)
        // It exits 0 after some warnings (a directive it could not parse): any output fails.
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")

        // The check itself sees a broken directive.
        let broken = "\(prefix)/chat-server.service"
        try read(unit).replacingOccurrences(of: "MemoryDenyWriteExecute=yes", with: "MemoryDenyWriteExecute=perhaps")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try await runToExit(Self.analyze!, ["verify", broken], environment: manPath)
        #expect(refused.output.contains("ignoring: perhaps"), "\(refused.output)")
    }

    /// Every system call the server makes (hub, spawner, password worker) and every one its
    /// sessions' own seccomp filter allows is allowed by the unit's SystemCallFilter: the unit's
    /// filter sits under the server's and must never be the one that kills a session.
    @Test(.enabled(if: analyze != nil, "systemd-analyze (systemd) is not installed: the unit's filter cannot be expanded"))
    func theUnitsSystemCallFilterAllowsWhatTheServerAndItsSandboxUse() async throws {
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("contrib/chat-server.service"), encoding: .utf8)
        let filter = unit.split(separator: "\n").filter { $0.hasPrefix("SystemCallFilter=") }
            .flatMap { $0.dropFirst("SystemCallFilter=".count).split(separator: " ").map(String.init) }
        #expect(!filter.isEmpty && !filter.contains { $0.hasPrefix("~") }, "an allow list is expected: \(filter)")
        let groups = try await runToExit(Self.analyze!, ["syscall-filter"], errorsApart: true)
        let allowed = Self.expand(filter, groups: Self.parseGroups(groups.output))
        #expect(allowed.count > 100, "\(groups.output.prefix(400))")

        let sandbox = try String(contentsOf: Self.repository.appendingPathComponent("Sources/CLinux/sandbox.h"), encoding: .utf8)
        var needed = Set(sandbox.matches(of: /SYS_([a-z0-9_]+)/).map { String($0.1) })
        #expect(needed.isSuperset(of: ["read", "write", "epoll_pwait", "prctl", "seccomp", "capset"]), "\(needed)")
        // The server's own: fork (clone), exec of itself, children reaped and signalled, privileges
        // dropped, limits, sockets, signals, descriptors.
        needed.formUnion(["clone", "clone3", "execve", "wait4", "waitid", "kill", "setresuid", "setresgid", "setgroups",
                          "prlimit64", "setrlimit", "close_range", "signalfd4", "rt_sigprocmask", "epoll_create1",
                          "socket", "socketpair", "bind", "listen", "accept4", "connect", "sendmsg", "recvmsg",
                          "sendto", "setsockopt", "getsockopt", "getsockname", "getpeername", "setsid", "setpgid",
                          "setpriority", "pipe2", "dup3", "fcntl", "openat", "unlink", "fchown", "getrandom"])
        needed.remove("restart_syscall")  // always allowed by systemd, and in no group
        let missing = needed.subtracting(allowed)
        #expect(missing.isEmpty, "the unit's SystemCallFilter refuses \(missing.sorted())")
    }

    /// Started as root the way the unit starts it (its `CapabilityBoundingSet`, no new
    /// privileges; setpriv stands in for systemd), the server binds, makes its control socket,
    /// drops to its user, sandboxes its sessions, and root's console still talks to it.
    @Test(.enabled(if: Proc.isRoot && findExecutable("setpriv") != nil, "needs root and setpriv (util-linux)"))
    func theUnitsCapabilitiesAreEnoughToStartAsRootAndDrop() async throws {
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("contrib/chat-server.service"), encoding: .utf8)
        guard let line = unit.split(separator: "\n").first(where: { $0.hasPrefix("CapabilityBoundingSet=") }) else {
            throw TestFailure("the unit has no CapabilityBoundingSet")
        }
        let caps = line.dropFirst("CapabilityBoundingSet=".count).split(separator: " ")
            .map { "+" + $0.dropFirst("CAP_".count).lowercased() }
        #expect(caps.contains("+setuid") && caps.contains("+setgid"), "\(caps)")
        // The socket's directory is root's, as the unit's RuntimeDirectory is: without
        // CAP_DAC_OVERRIDE, root may write only where root's permissions allow.
        let process = try LoggedProcess(findExecutable("setpriv")!, name: "chat-unit-caps", sharedWithServerUser: true) { dir in
            try? FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: false,
                                                     attributes: [.posixPermissions: 0o755])
            return ["--bounding-set", (["-all"] + caps).joined(separator: ","), "--no-new-privs", productPath("chat-server"),
             "--listen", "127.0.0.1:0", "--name", "test.server", "--no-console", "--control-socket", dir + "/run/chat-server.sock"]
        }
        let port = try await process.waitForListeningPort()
        try await process.waitForLog("running as user \(serverUserWhenRoot) (")
        let alice = try UserConnection(port: port)
        try await alice.expect("nickname")
        try alice.line("alice")
        try await alice.expect("You joined #lobby")
        let stats = try await runToExit(productPath("chat-server"), ["console", "--control-socket", process.dir + "/run/chat-server.sock",
                                                                    "-c", "stats"])
        #expect(stats.status == 0 && stats.output.contains("1 connected, 1 registered"), "\(stats.output)")
        alice.close()
        await process.stop()
    }

    /// `systemd-analyze syscall-filter`'s listing: each group's members (calls and groups).
    static func parseGroups(_ text: String) -> [String: [String]] {
        var groups: [String: [String]] = [:]
        var current: String?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("@") { current = String(line.split(separator: " ").first ?? ""); groups[current!] = []; continue }
            guard let current, !line.isEmpty, !line.hasPrefix("#") else { continue }
            groups[current, default: []].append(String(line.split(separator: " ").first!))
        }
        return groups
    }

    static func expand(_ names: [String], groups: [String: [String]]) -> Set<String> {
        var out = Set<String>()
        for name in names {
            if name.hasPrefix("@") { out.formUnion(expand(groups[name] ?? [], groups: groups)) } else { out.insert(name) }
        }
        return out
    }
}
