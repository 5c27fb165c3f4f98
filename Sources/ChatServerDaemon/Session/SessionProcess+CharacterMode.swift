import ChatProtocol

/// Character mode for a telnet client that agreed to it (`TelnetCharacterMode`): the session
/// edits the input line itself (`HumanLineEditor`) and prints everything else above it. Line
/// mode (nc, scripts, a client that refused) never comes here: it costs a nil check.
extension SessionProcess {
    /// After the telnet filter: starts character mode once the client agreed, follows its
    /// window size and terminal type, and goes back to line mode if it withdraws.
    func followCharacterMode() {
        guard let mode = telnet.characterMode, let conversation, conversation.usesTelnet else { return }
        if screen == nil {
            guard mode.isOn else { return }
            var s = TelnetScreen(editor: HumanLineEditor(prompt: conversation.inputPrompt, columns: mode.columns ?? 80,
                                                         usesEscapes: mode.understandsEscapes,
                                                         maxBytes: config.maxLineLength))
            s.appliedChanges = mode.changes
            s.editor.draw(screen: &s.echo)
            // Half a line typed before is dropped: from here on keys go to the editor.
            framer = LineFramer(maxLineLength: config.maxLineLength, editing: true)
            screen = s
            conversation.terminalChanged(characterMode: true, colour: mode.hasColour, output: &output)
            return
        }
        var s = screen!
        guard !mode.isOn else {
            if mode.changes != s.appliedChanges {
                s.appliedChanges = mode.changes
                s.editor.usesEscapes = mode.understandsEscapes
                s.editor.resize(columns: mode.columns ?? 80, screen: &s.echo)
                screen = s
                conversation.terminalChanged(characterMode: true, colour: mode.hasColour, output: &output)
            }
            return
        }
        // The client took its echo or SGA back: its own line editing again.
        s.editor.clear(screen: &s.echo)
        output.toClient.append(s.replies)
        output.toClient.append(s.echo)
        screen = nil
        conversation.terminalChanged(characterMode: false, colour: false, output: &output)
    }

    /// The keys the client typed, through the editor: each line it sends joins the lines
    /// framed in line mode, shown above the input row as line mode's local echo shows it.
    func typeInCharacterMode(_ data: [UInt8]) {
        var events: [HumanLineEditor.Event] = []
        var s = screen!
        if data.contains(0x09) || data.contains(0x1B), let names = conversation?.completionNames {
            // Tab (or Shift-Tab) completes from what the conversation knows now.
            (s.editor.nicks, s.editor.channels, s.editor.commands) = names
        }
        s.editor.feed(data, screen: &s.echo, events: &events)
        screen = s
        for event in events {
            switch event {
            case .line(let line):
                // What was typed stays in view, as the client's own echo leaves it in line
                // mode (a password does not), unless the conversation shows it itself.
                if conversation?.showsTypedLine(line) ?? true {
                    output.toClient.append(s.editor.prompt)
                    if !s.editor.isMasked { output.toClient.append(line) }
                    output.toClient.append("\r\n")
                }
                pendingLines.append(line)
            case .quit:
                if conversation?.isRegistered == true {
                    pendingLines.append(Array("/quit".utf8))
                } else {
                    output.sendLine("*** Goodbye!")
                    output.close(reason: "Quit")
                }
            }
        }
    }

    /// The conversation wants what is typed hidden (a password) or shown again.
    func maskInput(_ hide: Bool) {
        var s = screen!
        s.editor.setMasked(hide, screen: &s.echo)
        screen = s
    }

    /// The end of a turn in character mode: what the editor drew for the keys goes first,
    /// then whatever else this turn produced (`mark` on) is printed above the input row, which
    /// is drawn again with the prompt the conversation now wants. A session on its way out
    /// leaves no input row behind.
    func finishCharacterModeTurn(from mark: Int) {
        guard var s = screen else { return }
        var tail = output.toClient.removeTail(from: mark)
        output.toClient.append(s.replies)
        output.toClient.append(s.echo)
        s.replies.removeAll()
        s.echo.removeAll(keepingCapacity: true)
        var out: [UInt8] = []
        if !tail.isEmpty {
            // Whole lines only: a prompt without a line end (the nickname question) is what
            // the input row shows instead.
            if let lf = tail.lastIndex(of: 0x0A) { tail.removeSubrange((lf + 1)...) } else { tail.removeAll() }
        }
        let prompt = conversation?.inputPrompt ?? ""
        if output.isClosing {
            s.editor.clear(screen: &out)
            out += tail
        } else if tail.isEmpty {
            s.editor.setPrompt(prompt, screen: &out)
        } else {
            s.editor.clear(screen: &out)
            s.editor.setPrompt(prompt, screen: &out)
            out += tail
            s.editor.draw(screen: &out)
        }
        output.toClient.append(out)
        screen = s
    }
}
