import ChatPOSIX
import ChatProtocol
import Glibc

/// The process that checks passwords for the hub, so that the hub's loop never runs a
/// password hash (about a tenth of a second each) and no session's word decides who is an
/// operator or who owns an account: the hub asks, this process answers, the hub acts on the
/// answer. It also makes the hashes of new account passwords.
///
/// Forked from the hub when it starts (after it dropped root) and started again as a fresh
/// image of this program, so that nothing of the hub's memory (its TLS private key, the
/// accounts' hashes) is carried into it, it keeps one descriptor, its end of a
/// sequenced-packet pair (fd 3), and enters the sessions' sandbox: it may read and
/// write only that descriptor, map no executable memory, and is killed on any other system
/// call (no file, no socket, no fork). It holds no secret of its own: each check brings the
/// stored hash with the password (`PasswordCheck`), one at a time, and the answer is a ticket
/// and yes or no. A worker that dies is started again by the hub (`PasswordService`).
enum PasswordWorker {
    static let channelFD: Int32 = 3
    /// Its name in ps and /proc (the console leaves it out of the sessions it counts).
    static let processName = "chat-passwords"

    /// The argument that starts this program as the worker: `chat-server --password-worker
    /// HUBPID`, with its channel to the hub on descriptor 3.
    static let argument = "--password-worker"

    /// Forks the worker, which starts this program again. Returns its pid and the hub's end
    /// of its channel (non-blocking).
    static func start() throws(SystemError) -> (pid: pid_t, channel: Int32) {
        let hubPID = Proc.pid
        return try Proc.forkHelper(channelFD: channelFD) {
            let error = Proc.restartSelf([Proc.programName, argument, String(hubPID)])
            // Served as forked, it would hold a copy of the hub's memory: no worker rather
            // than that (the hub says passwords cannot be checked, and tries again).
            FD.writeAllIgnoringErrors(2, "chat-server: the password worker could not restart itself (\(error)); it will not check passwords\n")
            Proc.exitImmediately(5)
        }
    }

    /// In `main`, before the command line is parsed: when this process is the worker the hub
    /// started, serve (never returns); when someone typed the argument, say it is not theirs.
    static func serveIfStarted(arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == argument else { return }
        guard arguments.count == 3, let hubPID = pid_t(arguments[2]), hubPID == Proc.parentPID,
              Socket.isSequencedPacket(channelFD) else {
            FD.writeAllIgnoringErrors(2, "chat-server: \(argument) is for chat-server's own use (it starts the process that checks passwords)\n")
            Proc.exitImmediately(64)
        }
        Proc.dieWithParent(SIGKILL)
        if Proc.parentPID != hubPID { Proc.exitImmediately(1) }
        serve()
    }

    /// The worker's loop: a check in, a verdict out, until the hub closes its end.
    private static func serve() -> Never {
        Proc.setName(processName)
        // Ctrl-C on the server's terminal is for the hub.
        Proc.startOwnProcessGroup()
        guard PasswordHash.prepare() else {
            FD.writeAllIgnoringErrors(2, "chat-server: the password worker cannot start libsodium\n")
            Proc.exitImmediately(3)
        }
        do {
            try Proc.enterSessionSandbox(readable: [channelFD], writable: [channelFD])
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-server: the password worker cannot enter its sandbox (\(error)); it will not check passwords\n")
            Proc.exitImmediately(4)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        while true {
            let received = Result { () throws(SystemError) in try FD.read(channelFD, into: buffer) }
            guard case .success(.done(let n)) = received else { Proc.exitImmediately(0) }
            let raw = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            let check = PasswordCheck(raw)
            let hashRequest = check == nil ? PasswordHashRequest(raw) : nil
            // The password is not left in the buffer for the next packet's bytes to sit beside.
            UnsafeMutableRawBufferPointer(rebasing: buffer[..<n]).initializeMemory(as: UInt8.self, repeating: 0)
            let bytes: [UInt8]
            if let check {
                bytes = answer(check).bytes
            } else if let hashRequest {
                bytes = answer(hashRequest).bytes
            } else {
                continue
            }
            _ = bytes.withUnsafeBytes { raw in try? FD.write(channelFD, raw) }
        }
    }

    /// A new hash for an account's password (also what the tests run in process).
    static func answer(_ request: PasswordHashRequest) -> PasswordHashResult {
        var password = Array(request.password.utf8)
        defer { PasswordHash.wipe(&password) }
        return PasswordHashResult(ticket: request.ticket, hash: PasswordHash.make(password) ?? "")
    }

    /// The verdict on one check (also what the tests run in process).
    static func answer(_ check: PasswordCheck) -> PasswordCheck.Verdict {
        var password = Array(check.password.utf8)
        defer { PasswordHash.wipe(&password) }
        switch PasswordHash.verify(password, against: check.hash) {
        case true?: return .init(ticket: check.ticket, answer: .match)
        case false?: return .init(ticket: check.ticket, answer: .mismatch)
        case nil: return .init(ticket: check.ticket, answer: .unreadableHash)
        }
    }
}
