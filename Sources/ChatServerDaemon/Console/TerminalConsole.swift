import ChatPOSIX
import ChatProtocol
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The console on the server's own terminal: a line editor in raw mode on stdin, with log
/// lines printed above the prompt (LogOutput's `around` hides the prompt, lets the line
/// through, and draws the prompt again with what was being typed).
final class TerminalConsole {
    let inFD: Int32 = 0
    let outFD: Int32
    private var editor = LineEditor(prompt: "chat-server> ")
    private let actions: ConsoleActions
    private var promptShown = false
    private var running = false

    init(actions: ConsoleActions) {
        self.actions = actions
        outFD = TTY.isTerminal(1) ? 1 : 2
        editor.complete = ConsoleHelp.completions
    }

    func start() throws {
        try TTY.enterRawMode(inFD)
        running = true
        // Log lines that go to a file need no room made for them on the screen.
        let logToScreen = LogOutput.shared.path == nil && TTY.isTerminal(LogOutput.shared.fd)
        LogOutput.shared.around = { [weak self] emit in
            guard logToScreen, let self, self.running, self.promptShown else { return emit() }
            self.write(LineEditor.clearLine)
            emit()
            self.write(self.editor.render(columns: TTY.columns(self.outFD)))
        }
        write("Operator console: type 'help' for the commands, 'shutdown' to stop the server.\n")
        showPrompt()
    }

    func stop() {
        if promptShown { write(LineEditor.clearLine) }
        promptShown = false
        running = false
        LogOutput.shared.around = nil
        TTY.restore()
    }

    /// What the terminal takes now (its descriptor is non-blocking: a terminal that stopped
    /// reading must not stop the hub).
    private func write(_ s: String) { FD.writeWithoutWaiting(outFD, s) }

    private func showPrompt() {
        write(editor.render(columns: TTY.columns(outFD)))
        promptShown = true
    }

    /// Output lines in the prompt's place; the prompt comes back below them.
    private func print(_ lines: [String]) {
        if promptShown { write(LineEditor.clearLine) }
        promptShown = false
        write(lines.map { ConsoleFormat.oneLine($0) + "\n" }.joined())
    }

    /// Reads what was typed; false when the terminal is gone (the console then stops).
    func readable(host: ConsoleHost) -> Bool {
        // One read: the descriptor stays blocking (it is shared with the shell), and epoll
        // said there is something to read.
        guard let chunk = FD.readSome(inFD, max: 1024) else {
            host.log.notice("the console's terminal went away; the control socket still works")
            return false
        }
        for action in editor.feed(chunk) {
            switch action {
            case .redraw:
                showPrompt()
            case .submit(let line):
                // Leave the command on screen, as a shell does.
                write(editor.prompt.isEmpty ? "" : "\r" + editor.prompt + ConsoleFormat.clean(line) + "\u{1B}[K\n")
                promptShown = false
                if !line.isBlank {
                    let reply = actions.run(line, by: "terminal", host: host) { [weak self] late in
                        guard let self, self.running else { return }
                        self.print(late.text)
                        self.showPrompt()
                    }
                    // A backup answers when it is done; meanwhile the prompt takes other commands.
                    print(reply.isPending ? ["(writing the backup; the answer comes when it is done)"] : reply.text)
                }
                if running { showPrompt() }
            case .interrupt(let hadText):
                if hadText {
                    showPrompt()
                } else {
                    // Ctrl-C on an empty line does what it did before there was a console.
                    print(["^C (shutting down; press Ctrl-C again to stop at once)"])
                    Proc.signal(Proc.pid, SIGINT)
                    showPrompt()
                }
            case .endOfInput:
                print(["(this is the server's own console: 'shutdown' stops the server)"])
                showPrompt()
            case .candidates(let options):
                print([options.joined(separator: "  ")])
                showPrompt()
            }
            if !running { break }
        }
        return true
    }
}
