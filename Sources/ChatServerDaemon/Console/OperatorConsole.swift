import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The operator console as one hub hook: the control socket (its listener and a handful of
/// connections) and, when the server runs in the foreground on a terminal, a line editor on
/// stdin. Both feed the same `ConsoleActions`. Everything is non-blocking in the hub's epoll,
/// with bounded buffers; nothing here can stall the hub for long.
final class OperatorConsole: HubHook {
    let actions = ConsoleActions()
    let socketPath: String?
    private var listenFD: Int32 = -1
    private var connections: [ControlConnection?] = Array(repeating: nil, count: OperatorConsole.maxConnections)
    private var terminal: TerminalConsole?
    private var wantsTerminal: Bool
    private var hookIndex = 0
    /// The hub, for answers that come after the command's turn.
    private weak var host: ConsoleHost?
    /// Each connection's number (`awaiting`), by slot.
    private var serials: [Int: Int] = [:]
    /// Who may attach besides root: the user the server runs as.
    private let ownerUID: UInt32

    static let maxConnections = 8
    static let maxLine = 8192
    static let maxOutput = 1 << 20
    static let listenerSub = 0
    static let terminalSub = 1
    static let firstConnectionSub = 2

    /// `socketPath` nil: no control socket. `terminal`: read commands from stdin.
    init(socketPath: String?, terminal: Bool, ownerUID: UInt32 = Files.userID) {
        self.socketPath = socketPath
        self.wantsTerminal = terminal
        self.ownerUID = ownerUID
    }

    var hasSocket: Bool { listenFD >= 0 }

    /// Opens the control socket (before the hub runs, so problems are start-up errors).
    /// A socket another server answers on is one: were this one to start without a console,
    /// `chat-server console` would reach the other one, and this one's once the other stopped.
    func openSocket() throws {
        guard let path = socketPath else { return }
        do {
            listenFD = try UnixSocket.listen(path: path)
        } catch where error.errno == EADDRINUSE {
            let other = UnixSocket.listener(at: path)
            if let other, other.uid != ownerUID, other.uid != 0, other.uid != Files.userID {
                throw StartupError("a process of another user (uid \(other.uid), pid \(other.pid)) answers on the control socket \(path), "
                    + "perhaps to catch the console: remove it as root, or choose another place (--control-socket PATH)")
            }
            let who = other.map { "another chat-server (pid \($0.pid))" } ?? "another chat-server"
            throw StartupError("\(who) answers on the control socket \(path): stop it first, or give this one a socket of its own (--control-socket PATH, or none)")
        } catch {
            throw StartupError("cannot open the control socket \(path): \(error)")
        }
    }

    func register(in host: ConsoleHost, index: Int) throws {
        hookIndex = index
        self.host = host
        actions.watchEndings(host)
        if listenFD >= 0 {
            try host.watch(listenFD, events: Epoll.readable, hook: index, sub: Self.listenerSub)
            host.log.notice("operator console on \(socketPath ?? "?") (chat-server console)")
        }
        if wantsTerminal {
            let t = TerminalConsole(actions: actions)
            do {
                try t.start()
                try host.watch(t.inFD, events: Epoll.readable, hook: index, sub: Self.terminalSub)
                terminal = t
            } catch {
                t.stop()
                host.log.warning("no console on this terminal: \(error)")
            }
        }
    }

    func handle(events: UInt32, data: UInt64, host: ConsoleHost) {
        switch Int(data) {
        case Self.listenerSub: acceptAll(host: host)
        case Self.terminalSub:
            guard let t = terminal else { return }
            if !t.readable(host: host) {
                host.unwatch(t.inFD)
                t.stop()
                terminal = nil
            }
        case let sub:
            let i = sub - Self.firstConnectionSub
            guard i >= 0, i < connections.count, connections[i] != nil else { return }
            serve(i, events: events, host: host)
        }
    }

    /// Connections with commands read but not yet run (a script's batch), served a slice at a
    /// time so that the hub goes back to the chat in between.
    private var backlog: Set<Int> = []
    /// Connections waiting for the answer of a command that takes more than a turn (a
    /// `backup`), by slot, with the number that tells this connection from a later one in
    /// the same slot. Their next commands wait too: answers come in the order of the commands.
    private var awaiting: [Int: Int] = [:]
    private var connectionSerial = 0
    /// How long one wake-up may spend running one connection's commands.
    static let commandSliceNanos: UInt64 = 5_000_000

    func nextDeadline() -> UInt64? { backlog.isEmpty ? actions.nextDeadline() : 0 }
    func tick(now: UInt64, host: ConsoleHost) {
        actions.tick(now: now, host: host)
        if !backlog.isEmpty {
            let waiting = backlog
            backlog = []
            for i in waiting where i < connections.count && connections[i] != nil { runLines(i, host: host) }
        }
    }
    func banReason(host: String) -> String? { actions.banReason(host: host) }

    /// The server failed to start after the socket was opened: close it and remove its file,
    /// so that the next start finds the path free.
    func abandonSocket() {
        guard listenFD >= 0 else { return }
        FD.close(listenFD)
        listenFD = -1
        if let socketPath { FD.unlink(socketPath) }
    }

    /// The hub is going down: say so on every connection, close the socket and remove its
    /// file, and give the terminal back.
    func shutdown(host: ConsoleHost) {
        actions.abandonBackup(host: host)
        for i in connections.indices where connections[i] != nil {
            connections[i]!.queue("- the server is shutting down\n.\n")
            close(i, host: host, flushFirst: true)
        }
        if listenFD >= 0 {
            host.unwatch(listenFD)
            FD.close(listenFD)
            listenFD = -1
            if let socketPath { FD.unlink(socketPath) }
        }
        if let t = terminal {
            host.unwatch(t.inFD)
            t.stop()
            terminal = nil
        }
    }

    // MARK: Control socket

    private func acceptAll(host: ConsoleHost) {
        for _ in 0..<16 {
            let accepted: (Int32, SocketAddress)?
            do { accepted = try Socket.accept(listenFD) } catch {
                host.log.warning("control socket accept: \(error)")
                return
            }
            guard let (fd, _) = accepted else { return }
            admit(fd, host: host)
        }
    }

    /// A one-shot answer for a connection we do not keep (best effort, never blocks).
    private func refuse(_ fd: Int32, _ message: String, hint: String) {
        let text = ConsoleReply.failed(message, hint: hint).wire
        _ = try? Array(text.utf8).withUnsafeBytes { raw throws(SystemError) in try FD.write(fd, raw) }
        FD.close(fd)
    }

    private func admit(_ fd: Int32, host: ConsoleHost) {
        guard let cred = try? Socket.peerCredentials(fd) else {
            host.log.warning("control socket: cannot read the peer's credentials; refused")
            return refuse(fd, "permission denied: cannot tell who you are", hint: "connect through a Unix socket")
        }
        // The socket file's mode already keeps others out; this is the check that counts.
        guard cred.uid == ownerUID || cred.uid == 0 else {
            host.log.warning("control socket: refused uid \(cred.uid) (pid \(cred.pid)): \(ownerUID == 0 ? "only root may use the console" : "only uid \(ownerUID) and root may use the console")")
            return refuse(fd, "permission denied: this console belongs to uid \(ownerUID); you are uid \(cred.uid)",
                          hint: "run 'chat-server console' as the user who runs the server (or as root)")
        }
        guard let slot = connections.firstIndex(where: { $0 == nil }) else {
            host.log.warning("control socket: refused pid \(cred.pid): \(Self.maxConnections) consoles already attached")
            return refuse(fd, "too many consoles attached (\(Self.maxConnections))", hint: "close one and try again")
        }
        let who = cred.uid == 0 && ownerUID != 0 ? "root pid \(cred.pid)" : "uid \(cred.uid) pid \(cred.pid)"
        var c = ControlConnection(fd: fd, who: who)
        do {
            try host.watch(fd, events: Epoll.readable | Epoll.hangup, hook: hookIndex, sub: Self.firstConnectionSub + slot)
        } catch {
            FD.close(fd)
            return
        }
        c.queue(ConsoleReply.ok("\(host.identity); 'help' lists the commands").wire)
        connections[slot] = c
        connectionSerial += 1
        serials[slot] = connectionSerial
        host.log.debug("console attached: \(who)")
        flush(slot, host: host)
    }

    private func serve(_ i: Int, events: UInt32, host: ConsoleHost) {
        if events & Epoll.writable != 0 { flush(i, host: host) }
        guard connections[i] != nil else { return }
        if awaiting[i] != nil {
            // Not reading while an answer is awaited; a hangup now is a console that left.
            if events & (Epoll.hangup | Epoll.error) != 0 { close(i, host: host, flushFirst: false) }
            return
        }
        if events & (Epoll.readable | Epoll.hangup | Epoll.error) != 0 {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let fd = connections[i]!.fd
            // A few reads per wake-up; level-triggered epoll brings us back for the rest.
            for _ in 0..<4 {
                let r = chunk.withUnsafeMutableBytes { raw in Result { () throws(SystemError) in try FD.read(fd, into: raw) } }
                switch r {
                case .success(.done(let n)):
                    connections[i]!.input.append(contentsOf: chunk[..<n])
                    runLines(i, host: host)
                    // Commands still waiting: read no more until they have run.
                    guard connections[i] != nil, !connections[i]!.closing, !backlog.contains(i), awaiting[i] == nil else { return }
                case .success(.wouldBlock):
                    return
                case .success(.eof), .failure:
                    return close(i, host: host, flushFirst: true)
                }
            }
        }
    }

    private func runLines(_ i: Int, host: ConsoleHost) {
        let started = Proc.monotonicNanos()
        while connections[i] != nil, !connections[i]!.closing, awaiting[i] == nil,
              let nl = connections[i]!.input.firstIndex(of: UInt8(ascii: "\n")) {
            if Proc.monotonicNanos() - started > Self.commandSliceNanos {
                // The rest on the next turn, after whatever else is waiting (`tick`).
                backlog.insert(i)
                break
            }
            if connections[i]!.pending > Self.maxOutput {
                // One read can hold hundreds of commands: write what waits before running the
                // rest, rather than build every reply for a console that may never read them.
                // flush either gets below the cap or closes the connection.
                flush(i, host: host)
                continue
            }
            var bytes = Array(connections[i]!.input[..<nl])
            connections[i]!.input.removeFirst(nl + 1)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.count > Self.maxLine {
                connections[i]!.queue(ConsoleReply.failed("line too long (more than \(Self.maxLine) bytes)", hint: "one command per line").wire)
                continue
            }
            let line = TextSafety.repairUTF8(bytes)
            if line.isBlank {
                connections[i]!.queue(".\n")
                continue
            }
            let who = connections[i]!.who
            if case .success(.detach) = ConsoleCommand.parse(line) {
                connections[i]!.queue(ConsoleReply.ok("bye").wire)
                connections[i]!.closing = true
                break
            }
            let reply = actions.run(line, by: who, host: host, later: answerLater(i))
            if reply.isPending {
                awaiting[i] = serials[i]
            } else {
                connections[i]!.queue(reply.wire)
            }
        }
        // A line still without its end: only that part is checked (complete lines may wait).
        if let c = connections[i], c.input.count - ((c.input.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1) > Self.maxLine {
            connections[i]!.input.removeAll()
            connections[i]!.queue(ConsoleReply.failed("line too long (more than \(Self.maxLine) bytes)", hint: "one command per line").wire)
            connections[i]!.closing = true
        }
        flush(i, host: host)
    }

    /// Where the late answer of a command run for connection `i` goes: to that connection if
    /// it is still there, whose next commands then run.
    private func answerLater(_ i: Int) -> (ConsoleReply) -> Void {
        let serial = serials[i]
        return { [weak self] reply in
            guard let self, let host = self.host, serial != nil, self.serials[i] == serial, self.awaiting[i] == serial,
                  self.connections[i] != nil else { return }
            self.awaiting[i] = nil
            self.connections[i]!.queue(reply.wire)
            self.runLines(i, host: host)
        }
    }

    private func flush(_ i: Int, host: ConsoleHost) {
        guard var c = connections[i] else { return }
        while c.outStart < c.output.count {
            let r = c.output.withUnsafeBytes { raw in
                Result { () throws(SystemError) in try FD.write(c.fd, UnsafeRawBufferPointer(rebasing: raw[c.outStart...])) }
            }
            switch r {
            case .success(.done(let n)): c.outStart += n
            case .success(.wouldBlock), .success(.eof): break
            case .failure:
                connections[i] = c
                return close(i, host: host, flushFirst: false)
            }
            if case .success(.done) = r { continue }
            break
        }
        if c.outStart == c.output.count {
            c.output.removeAll(keepingCapacity: c.output.capacity <= 65536)
            c.outStart = 0
        }
        connections[i] = c
        if c.pending == 0 && c.closing { return close(i, host: host, flushFirst: false) }
        if c.pending > Self.maxOutput {
            host.log.warning("console \(c.who) does not read its replies; closing it")
            return close(i, host: host, flushFirst: false)
        }
        // Writable while replies wait; readable unless commands already read are waiting to
        // run (level-triggered epoll would otherwise wake the hub for input it will not take).
        let mask = (backlog.contains(i) || awaiting[i] != nil ? 0 : Epoll.readable) | Epoll.hangup | (c.pending > 0 ? Epoll.writable : 0)
        if mask != c.interest {
            connections[i]!.interest = mask
            host.rewatch(c.fd, events: mask, hook: hookIndex, sub: Self.firstConnectionSub + i)
        }
    }

    private func close(_ i: Int, host: ConsoleHost, flushFirst: Bool) {
        guard let c = connections[i] else { return }
        if flushFirst && c.pending > 0 {
            _ = c.output.withUnsafeBytes { raw in try? FD.write(c.fd, UnsafeRawBufferPointer(rebasing: raw[c.outStart...])) }
        }
        backlog.remove(i)
        awaiting[i] = nil
        serials[i] = nil
        host.unwatch(c.fd)
        FD.close(c.fd)
        connections[i] = nil
        host.log.debug("console detached: \(c.who)")
    }
}
