import ArgumentParser
import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Where the control socket lives: --control-socket PATH, else $XDG_RUNTIME_DIR/chat-server.sock
/// (when that directory is ours), else /tmp/chat-server-UID/chat-server.sock (a directory only
/// this user can enter). The server resolves it after --user has switched users.
enum ControlSocketPath {
    static let fileName = "chat-server.sock"
    /// Where the fallback directory is made. The functions below take it as a parameter only
    /// so that the tests can check its refusals in a directory of their own, not in /tmp.
    static let temporaryBase = "/tmp"

    /// The socket path to use for user `uid`; nil for `--control-socket none`.
    /// `runtimeDirectory` is $XDG_RUNTIME_DIR.
    static func resolve(_ option: String?, uid: UInt32 = Files.userID,
                        runtimeDirectory: String? = Proc.environment("XDG_RUNTIME_DIR"),
                        base: String = temporaryBase) -> String? {
        if let option {
            if option == "none" || option.isEmpty { return nil }
            return absolute(option)
        }
        // Only a runtime directory that is ours (after `sudo` or --user it may be someone else's).
        if let xdg = runtimeDirectory, xdg.hasPrefix("/"),
           let st = Files.status(xdg), st.isDirectory, st.owner == uid {
            return (xdg.hasSuffix("/") ? xdg : xdg + "/") + fileName
        }
        return fallbackDirectory(uid: uid, base: base) + "/" + fileName
    }

    static func fallbackDirectory(uid: UInt32 = Files.userID, base: String = temporaryBase) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "chat-server-\(uid)"
    }

    /// For the server: the path `resolve` gives, with the fallback directory made private to
    /// the socket's owner (`owner`, else this user) when that is where the socket goes. A
    /// fallback directory that is a symlink or someone else's is a start-up error.
    static func prepare(_ option: String?, owner: (uid: UInt32, gid: UInt32)?,
                        runtimeDirectory: String? = Proc.environment("XDG_RUNTIME_DIR"),
                        base: String = temporaryBase) throws(StartupError) -> String? {
        let uid = owner?.uid ?? Files.userID
        let path = resolve(option, uid: uid, runtimeDirectory: runtimeDirectory, base: base)
        let fallback = fallbackDirectory(uid: uid, base: base)
        if let path, option == nil, path.hasPrefix(fallback + "/") {
            do { try Files.privateDirectory(fallback, owner: owner) } catch {
                throw StartupError("cannot use \(fallback) for the control socket: \(error) (pass --control-socket PATH)")
            }
        }
        return path
    }

    /// A relative path made absolute (a daemon changes directory to /).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = Files.currentDirectory() else { return path }
        return cwd + "/" + path
    }
}

extension OperatorConsole {
    /// The console for `chat-server`: control socket per `option`, terminal console when
    /// `terminal` is allowed and stdin is a terminal we are in the foreground of. With
    /// `runAs` (--user, while still root) the socket and its directory are given to that user,
    /// who owns the console from then on.
    static func setUp(option: String?, terminal allowed: Bool, runAs: String?) throws -> (OperatorConsole, warnings: [String]) {
        var warnings: [String] = []
        var owner: (uid: UInt32, gid: UInt32)?
        if let runAs {
            guard let o = Files.lookupUser(runAs) else { throw StartupError("no user named \(runAs)") }
            owner = o
        }
        let uid = owner?.uid ?? Files.userID
        let path = try ControlSocketPath.prepare(option, owner: owner)
        var terminal = false
        if allowed && TTY.isTerminal(0) && (TTY.isTerminal(1) || TTY.isTerminal(2)) {
            if TTY.isForeground(0) {
                terminal = true
            } else {
                warnings.append("running in the background: no console on this terminal (use chat-server console)")
            }
        }
        let console = OperatorConsole(socketPath: path, terminal: terminal, ownerUID: uid)
        if let w = try console.openSocket() { warnings.append(w) }
        if let path, let owner, console.hasSocket {
            do { try Files.changeOwner(path, to: owner) } catch {
                throw StartupError("cannot give the control socket \(path) to \(runAs ?? "?"): \(error)")
            }
        }
        return (console, warnings)
    }
}

/// `--control-socket PATH`, declared once for the server and `chat-server console`: the
/// parser hands a subcommand the parent's already-parsed group of the same type, whereas two
/// separate options of the same name would leave the subcommand's empty.
struct ControlSocketOption: ParsableArguments {
    @Option(name: .customLong("control-socket"), help: ArgumentHelp("Unix socket of the operator console (default: $XDG_RUNTIME_DIR/chat-server.sock, else /tmp/chat-server-UID/chat-server.sock; 'none': no socket).", valueName: "PATH"))
    var controlSocket: String?
}

/// `chat-server console`: attaches to a running server through its control socket.
struct ConsoleClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Attach to a running chat-server's operator console.",
        discussion: """
            Interactive on a terminal (line editing, history, Tab completes commands, Ctrl-D or \
            'quit' leaves); reads one command per line when stdin is not a terminal; with -c runs \
            one command, prints the result and exits non-zero when the command failed. \
            See docs/CONSOLE.md.
            """
    )

    @OptionGroup var control: ControlSocketOption

    @Option(name: [.customShort("c"), .customLong("command")], help: ArgumentHelp("Run one command and exit.", valueName: "COMMAND"))
    var command: String?

    @Option(help: ArgumentHelp("Seconds to wait for an answer (with -c or piped commands).", valueName: "SECONDS"))
    var timeout = 30

    func run() throws {
        guard let path = ControlSocketPath.resolve(control.controlSocket) else {
            throw ValidationError("--control-socket none: there is nothing to attach to")
        }
        let fd: Int32
        do {
            fd = try UnixSocket.connect(path: path)
        } catch {
            var why = "\(error)"
            if error.errno == ENOENT || error.errno == ECONNREFUSED { why += " (is chat-server running? is this its --control-socket?)" }
            if error.errno == EACCES { why += " (the console is only for the user who runs the server, and root)" }
            FD.writeAllIgnoringErrors(2, "chat-server console: cannot connect to \(path): \(why)\n")
            throw ExitCode(1)
        }
        defer { FD.close(fd) }
        var link = ConsoleLink(fd: fd, timeoutMS: Int32(clamping: timeout * 1000))
        // The greeting: refused (another user, too many consoles) or a welcome.
        let greeting = try link.readReply()
        if let command {
            if greeting.failed { link.print(greeting); throw ExitCode(1) }
            try link.send(command)
            let reply = try link.readReply()
            link.print(reply)
            if reply.failed { throw ExitCode(1) }
            return
        }
        if greeting.failed { link.print(greeting); throw ExitCode(1) }
        if TTY.isTerminal(0) {
            link.print(greeting)
            var console = InteractiveConsole(link: link)
            try console.run()
        } else {
            // Commands from a pipe or a file, one per line.
            var failed = false
            var input = LineReader(fd: 0)
            while let line = input.next() {
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                try link.send(line)
                let reply = try link.readReply()
                link.print(reply)
                failed = failed || reply.failed
                if reply.closed { break }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// One reply in the console protocol, as read by a client.
struct ConsoleWireReply {
    var lines: [String] = []  // `- ` lines, prefix removed
    var errors: [String] = []  // `! `
    var hints: [String] = []  // `? `
    var closed = false  // the server closed before the `.`
    var failed: Bool { !errors.isEmpty || closed }

    /// Reads one protocol line into the reply; true at the closing `.`.
    mutating func take(_ line: String) -> Bool {
        if line == "." { return true }
        let body = String(line.dropFirst(2))
        switch line.first {
        case "-": lines.append(body)
        case "!": errors.append(body)
        case "?": hints.append(body)
        default: lines.append(line)
        }
        return false
    }
}

/// Blocking line I/O with the server over the control socket (the client is its own
/// process: blocking is fine, but never forever).
struct ConsoleLink {
    let fd: Int32
    var timeoutMS: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32, timeoutMS: Int32) {
        self.fd = fd
        self.timeoutMS = timeoutMS
    }

    func send(_ line: String) throws {
        let clean = ConsoleFormat.oneLine(line)
        do { try FD.writeAll(fd, clean + "\n") } catch {
            FD.writeAllIgnoringErrors(2, "chat-server console: the server closed the connection (\(error))\n")
            throw ExitCode(1)
        }
    }

    /// The next complete line, nil at end of stream; waits at most `timeoutMS` (-1: forever).
    mutating func readLine(timeoutMS wait: Int32? = nil) throws -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = TextSafety.repairUTF8(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                return line
            }
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            let n = try Poll.wait(&p, timeoutMS: wait ?? timeoutMS)
            if n == 0 {
                FD.writeAllIgnoringErrors(2, "chat-server console: no answer from the server within \(timeoutMS / 1000) s\n")
                throw ExitCode(1)
            }
            if !fill() { return nil }
        }
    }

    /// Reads what the socket has; false at end of stream.
    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let r = chunk.withUnsafeMutableBytes { raw in try? FD.read(fd, into: raw) }
        switch r {
        case .done(let n)?: buffer.append(contentsOf: chunk[..<n]); return true
        case .wouldBlock?: return true
        default: return false
        }
    }

    /// Complete lines already received.
    mutating func bufferedLines() -> [String] {
        var out: [String] = []
        while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            out.append(TextSafety.repairUTF8(buffer[..<nl]))
            buffer.removeFirst(nl + 1)
        }
        return out
    }

    mutating func readReply() throws -> ConsoleWireReply {
        var reply = ConsoleWireReply()
        while true {
            guard let line = try readLine() else {
                reply.closed = true
                reply.errors.append("the server closed the connection")
                return reply
            }
            if reply.take(line) { return reply }
        }
    }

    func print(_ reply: ConsoleWireReply) {
        var out = ""
        for l in reply.lines { out += TextSafety.sanitize(l) + "\n" }
        FD.writeAllIgnoringErrors(1, out)
        var err = ""
        for e in reply.errors { err += "error: " + TextSafety.sanitize(e) + "\n" }
        for h in reply.hints { err += "hint: " + TextSafety.sanitize(h) + "\n" }
        if !err.isEmpty { FD.writeAllIgnoringErrors(2, err) }
    }
}

/// Lines from a blocking descriptor (stdin when it is a pipe or a file).
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var eof = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = Array(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return TextSafety.repairUTF8(bytes)
            }
            if eof {
                if buffer.isEmpty { return nil }
                defer { buffer.removeAll() }
                return TextSafety.repairUTF8(buffer)
            }
            // Input is a blocking pipe or file; should it be non-blocking, "nothing now" ends it too
            // rather than spinning.
            if let chunk = FD.readSome(fd, max: 4096), !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { eof = true }
        }
    }
}

/// `chat-server console` on a terminal: a prompt with line editing and history; whatever the
/// server sends is printed above the prompt as it arrives.
struct InteractiveConsole {
    var link: ConsoleLink
    var editor = LineEditor(prompt: "console> ")
    private var promptShown = false

    init(link: ConsoleLink) {
        self.link = link
        editor.complete = ConsoleHelp.completions
    }

    private func write(_ s: String) { FD.writeAllIgnoringErrors(1, s) }

    private mutating func show() {
        write(editor.render(columns: TTY.columns(1)))
        promptShown = true
    }

    private mutating func print(_ lines: [String]) {
        if promptShown { write(LineEditor.clearLine) }
        promptShown = false
        write(lines.map { $0 + "\n" }.joined())
    }

    mutating func run() throws {
        // Signals as input: the terminal is put back however we leave.
        let signals = try SignalQueue([SIGTERM, SIGHUP, SIGINT])
        try TTY.enterRawMode(0)
        defer {
            if promptShown { write(LineEditor.clearLine) }
            TTY.restore()
        }
        show()
        var reply = ConsoleWireReply()
        // Replies still to come: the prompt returns once the last one has arrived, so output
        // never lands between a command and the next prompt.
        var awaiting = 0
        while true {
            var fds = [pollfd(fd: 0, events: Poll.readable, revents: 0),
                       pollfd(fd: link.fd, events: Poll.readable, revents: 0),
                       pollfd(fd: signals.fd, events: Poll.readable, revents: 0)]
            _ = try Poll.wait(&fds, timeoutMS: -1)
            if fds[2].revents != 0, !signals.drain().isEmpty { return }
            if fds[1].revents != 0 {
                let open = link.fill()
                var out: [String] = []
                for line in link.bufferedLines() {
                    if reply.take(line) {
                        out += reply.lines.map { TextSafety.sanitize($0) }
                        out += reply.errors.map { "error: " + TextSafety.sanitize($0) }
                        out += reply.hints.map { "hint: " + TextSafety.sanitize($0) }
                        reply = ConsoleWireReply()
                        awaiting = max(0, awaiting - 1)
                    }
                }
                if !out.isEmpty { print(out) }
                if awaiting == 0 && !promptShown { show() }
                if !open {
                    print(["(the server closed the connection)"])
                    return
                }
            }
            if fds[0].revents != 0 {
                guard let chunk = FD.readSome(0, max: 1024) else { return }
                for action in editor.feed(chunk) {
                    switch action {
                    case .redraw: if awaiting == 0 { show() }
                    case .submit(let line):
                        write("\r" + editor.prompt + TextSafety.sanitize(line) + "\u{1B}[K\n")
                        promptShown = false
                        let verb = Words(line).peek()?.lowercased()
                        if verb == "quit" || verb == "exit" { return }
                        if verb != nil {
                            try link.send(line)
                            awaiting += 1
                        }
                        if awaiting == 0 { show() }
                    case .interrupt(let hadText):
                        if !hadText { print(["(Ctrl-D or 'quit' leaves the console; the server keeps running)"]) }
                        show()
                    case .endOfInput:
                        return
                    case .candidates(let options):
                        print([options.joined(separator: "  ")])
                        show()
                    }
                }
            }
        }
    }
}
