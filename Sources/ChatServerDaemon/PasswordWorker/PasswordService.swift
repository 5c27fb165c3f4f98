import ChatPOSIX
import ChatProtocol
import Glibc

/// The hub's side of the password worker, as a hook of its loop: it starts the worker, sends
/// it the chat state's checks, reads its verdicts and hands them to the chat state. The worker
/// runs from start-up, since every server has accounts (NickServ, SASL). A worker that goes away fails the checks under way ("cannot be checked now") and is started
/// again, at most once a second (a worker that cannot start is not forked in a loop).
final class PasswordService: HubHook, PasswordChecker {
    private var pid: pid_t?
    private var channel: Int32 = -1
    private var hookIndex = 0
    private var lastStart: UInt64 = 0
    /// When to start a worker again (monotonic ns), after one was lost.
    private var restartAt: UInt64?
    private weak var host: ConsoleHost?
    private var buffer = [UInt8](repeating: 0, count: 4096)

    func register(in host: ConsoleHost, index: Int) throws {
        self.host = host
        hookIndex = index
        host.chat.passwords = self
        if needed(host) { try start(host) }
    }

    /// Whether a worker should run: always, for accounts (and OPER).
    private func needed(_ host: ConsoleHost) -> Bool { true }

    private func start(_ host: ConsoleHost) throws(SystemError) {
        lastStart = Proc.monotonicNanos()
        restartAt = nil
        let (pid, channel) = try PasswordWorker.start()
        self.pid = pid
        self.channel = channel
        try host.watch(channel, events: Epoll.readable, hook: hookIndex, sub: 0)
        host.log.debug("password worker pid \(pid)")
    }

    func check(ticket: UInt64, hash: String, password: String) -> Bool {
        guard channel >= 0 else { return false }
        let bytes = PasswordCheck(ticket: ticket, hash: hash, password: password).bytes
        let sent = bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try FD.write(channel, raw) } }
        if case .success(.done) = sent { return true }
        return false
    }

    func hash(ticket: UInt64, password: String) -> Bool {
        guard channel >= 0 else { return false }
        let bytes = PasswordHashRequest(ticket: ticket, password: password).bytes
        let sent = bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try FD.write(channel, raw) } }
        if case .success(.done) = sent { return true }
        return false
    }

    func handle(events: UInt32, data: UInt64, host: ConsoleHost) {
        while channel >= 0 {
            let r: Result<IOResult, SystemError> = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try FD.read(channel, into: raw) }
            }
            switch r {
            case .success(.done(let n)):
                let raw = buffer.withUnsafeBytes { Array($0[..<n]) }
                let verdict = raw.withUnsafeBytes { PasswordCheck.Verdict($0) }
                if verdict == nil, let made = raw.withUnsafeBytes({ PasswordHashResult($0) }) {
                    if made.hash.isEmpty { host.log.error("the password worker could not hash a password (out of memory?)") }
                    host.chat.passwordHashed(ticket: made.ticket, hash: made.hash.isEmpty ? nil : made.hash)
                    continue
                }
                guard let verdict else { continue }
                if verdict.answer == .unreadableHash {
                    host.log.error("an operator block's password hash is not an argon2id hash this server can read (see chat-server hash-password)")
                }
                host.chat.passwordChecked(ticket: verdict.ticket, verdict: verdict.answer == .unreadableHash ? nil : verdict.answer == .match)
            case .success(.wouldBlock): return
            case .success(.eof), .failure: return lost(host)
            }
        }
    }

    /// The worker closed its end (died, or could not enter its sandbox).
    private func lost(_ host: ConsoleHost) {
        host.log.error("the password worker (pid \(pid ?? 0)) stopped; passwords cannot be checked until it is started again")
        host.unwatch(channel)
        FD.close(channel)
        channel = -1
        if let pid { Proc.signal(pid, SIGKILL) }
        pid = nil
        restartAt = lastStart + 1_000_000_000
        for ticket in host.chat.operChecks.tickets { host.chat.passwordChecked(ticket: ticket, verdict: nil) }
    }

    func nextDeadline() -> UInt64? { restartAt }

    /// Starts a worker that was lost (its second is over), or that a reload made needed.
    func tick(now: UInt64, host: ConsoleHost) {
        guard channel < 0, now >= restartAt ?? 0, needed(host), !host.isShuttingDown else { return }
        do { try start(host) } catch {
            host.log.error("cannot start the password worker: \(error); trying again in a second")
            lastStart = now
            restartAt = now + 1_000_000_000
        }
    }

    func shutdown(host: ConsoleHost) {
        restartAt = nil
        guard channel >= 0 else { return }
        host.unwatch(channel)
        FD.close(channel)
        channel = -1
    }
}
