import ChatPOSIX
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The unit's `MemoryDenyWriteExecute=yes` refuses memory that is writable and executable, and
/// any `mprotect` to executable: a server's whole life under strace (hub, spawner, sessions,
/// password worker; telnet and IRC users, a wrong OPER, a reload, a shutdown) makes neither.
@Suite(.serialized) struct WriteExecuteTests {
    @Test(.enabled(if: findExecutable("strace") != nil, "strace is not installed: the server's mappings cannot be traced"))
    func noProcessOfTheServerMakesWritableExecutableMemory() async throws {
        let hash = "$argon2id$v=19$m=65536,t=2,p=1$XM5177U+ZczUban8NDgUVQ$ypmJO1GjNiH5J1IZf+sPmQRTMM3zi+fBpF1xe7poPBo"
        let process = try LoggedProcess(findExecutable("strace")!, name: "chat-wx", sharedWithServerUser: true) { dir in
            try? "oper = alice \(hash)\n".write(toFile: dir + "/chat.conf", atomically: true, encoding: .utf8)
            return ["-f", "-qq", "-e", "trace=mmap,mprotect,pkey_mprotect,shmat", "-o", dir + "/trace.txt",
                    productPath("chat-server"), "--listen", "127.0.0.1:0", "--name", "test.server", "--no-console",
                    "--control-socket", "none", "--config", dir + "/chat.conf"]
        }
        let port = try await process.waitForListeningPort(timeout: 60)
        let started = try await process.waitForLog(", pid ")
        guard let hub = started.firstMatch(of: /starting as \S+, pid (\d+)/).flatMap({ pid_t($0.1) }) else {
            throw TestFailure("no hub pid in \(started)")
        }
        let alice = try UserConnection(port: port)
        try await alice.expect("nickname")
        try alice.line("alice")
        try await alice.expect("You joined #lobby", timeout: 30)
        let bob = try UserConnection(port: port)
        try bob.line("NICK bob")
        try bob.line("USER bob 0 * :Bob")
        try await bob.expect(" 001 bob ", timeout: 30)
        try bob.line("JOIN #lobby")
        try bob.line("OPER alice wrong")
        try await bob.expect(" 464 bob ", timeout: 30)
        try bob.line("PRIVMSG #lobby :hello")
        try await alice.expect("<bob> hello", timeout: 30)
        kill(hub, SIGHUP)
        try await process.waitForLog("reload:", timeout: 30)
        kill(hub, SIGTERM)
        #expect(await process.waitForExit(timeout: 60) != nil)
        let trace = (try? String(contentsOfFile: process.dir + "/trace.txt", encoding: .utf8)) ?? ""
        #expect(trace.contains("mmap("), "no trace: \(process.log)")
        let offending = trace.split(separator: "\n").filter { line in
            (line.contains("PROT_WRITE|PROT_EXEC") || line.contains("PROT_EXEC|PROT_WRITE"))
                || (line.contains("protect(") && line.contains("PROT_EXEC")) || line.contains("shmat(")
        }
        #expect(offending.isEmpty, "\(offending.prefix(10))")
        alice.close()
        bob.close()
    }
}
