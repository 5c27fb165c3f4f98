import ArgumentParser
import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

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
        if let problem = ControlSocketPath.directoryProblem(path, chosen: control.controlSocket != nil) {
            FD.writeAllIgnoringErrors(2, "chat-server console: will not use \(path): \(problem)\n")
            throw ExitCode(1)
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
        // Who answers, before a word is sent: a server of this user or root, nobody else.
        let peer: (uid: UInt32, pid: Int32)
        do { peer = try Socket.peerCredentials(fd) } catch {
            FD.writeAllIgnoringErrors(2, "chat-server console: cannot tell who answers on \(path): \(error)\n")
            throw ExitCode(1)
        }
        if let problem = ControlSocketPath.peerProblem(peer, path: path) {
            FD.writeAllIgnoringErrors(2, "chat-server console: will not use \(path): \(problem)\n")
            throw ExitCode(1)
        }
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
                if line.isBlank { continue }
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
