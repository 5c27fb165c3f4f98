import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

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
                let open = try link.fill()
                var out: [String] = []
                for line in link.bufferedLines() {
                    if reply.take(line) {
                        out += reply.lines.map { TextSafety.sanitize($0) }
                        out += reply.errors.map { "error: " + TextSafety.sanitize($0) }
                        out += reply.hints.map { "hint: " + TextSafety.sanitize($0) }
                        reply = ConsoleWireReply()
                        awaiting = max(0, awaiting - 1)
                    }
                    try link.checkSize(reply)
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
