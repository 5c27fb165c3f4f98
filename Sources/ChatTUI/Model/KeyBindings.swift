import ChatProtocol

/// What each key does: paste and search first, then the key table (`KeyTable`: irssi's
/// emacs-style bindings, window switching, scrolling, with the user's `[keys]` over them).
extension ClientState {
    mutating func handleKey(_ key: Key) {
        switch paste {
        case .collecting(var text, _):
            switch key {
            case .text(let t): text += pasteEscape.strip(t)
            case .enter: text += "\n"
            case .tab: text += " "
            case .pasteEnd:
                paste = .none
                pasteEscape = .none
                finishPaste(text)
                return
            // An escape sequence in the pasted text reaches us as ESC plus its first
            // character (an Alt key) and then the rest as text: all of it is dropped, not
            // left behind as "31m".
            case .alt("["): pasteEscape = .csi
            case .alt("]"), .alt("P"), .alt("_"), .alt("^"), .alt("X"): pasteEscape = .string
            case .alt("\\"), .ctrl("g"): pasteEscape = .none   // ST or BEL ends a string
            default: break
            }
            paste = .collecting(text, since: now)
            return
        case .confirm(let lines):
            switch key {
            case .text("y"), .text("Y"), .enter:
                paste = .none
                for l in lines { sendText(l) }
            case .text("n"), .text("N"):
                paste = .none
                info("Paste of \(lines.count) lines discarded.")
            case .escape, .ctrl("c"), .ctrl("g"):
                paste = .none
                info("Paste of \(lines.count) lines discarded.")
            default: break
            }
            return
        case .none: break
        }
        if search != nil {
            handleSearchKey(key)
            return
        }
        if quitConfirm {
            // Ctrl-D on an empty line asked: y (or Ctrl-D again) leaves, any other key stays.
            quitConfirm = false
            if key == .text("y") || key == .text("Y") || key == .ctrl("d") { runCommand("quit", "") }
            return
        }

        // Typed text is never bound (the hot path stays a single check); other keys go
        // through the table (`KeyTable`: the defaults with the user's [keys] over them).
        let action: KeyAction?
        if case .text = key { action = nil } else { action = keyTable[key] }
        if action != .complete && action != .completeBackward { completion = nil }
        if action != .historyPrevious && action != .historyNext { history.stopBrowsing() }

        switch key {
        case .text(let t): editor.insert(t)
        case .pasteStart:
            paste = .collecting("", since: now)
            pasteEscape = .none
        default:
            if let action { perform(action) }
        }
        updateInputScroll()
    }

    /// Does what a bound key asks.
    mutating func perform(_ action: KeyAction) {
        switch action {
        case .send: submit()
        case .complete: complete(backwards: false)
        case .completeBackward: complete(backwards: true)
        case .deleteBackward: editor.apply(.deleteBackward)
        case .deleteForwardOrQuit where editor.isEmpty: quitConfirm = true
        case .deleteForward, .deleteForwardOrQuit: editor.apply(.deleteForward)
        case .backwardChar: editor.apply(.left)
        case .forwardChar: editor.apply(.right)
        // irssi's formatting keys insert the mIRC codes: bold, colour, reset, reverse, italic, underline.
        case .insertBold: editor.insert(String(TextFormat.boldCode))
        case .insertColor: editor.insert(String(TextFormat.colorCode))
        case .insertReset: editor.insert(String(TextFormat.resetCode))
        case .insertReverse: editor.insert(String(TextFormat.reverseCode))
        case .insertItalic: editor.insert(String(TextFormat.italicCode))
        case .insertUnderline: editor.insert(String(TextFormat.underlineCode))
        case .beginningOfLine: editor.apply(.home)
        case .endOfLine: editor.apply(.end)
        case .backwardWord: editor.apply(.wordLeft)
        case .forwardWord: editor.apply(.wordRight)
        case .killToEnd: editor.apply(.killToEnd)
        case .killLine: editor.apply(.killLine)     // irssi's erase_line: the whole line
        case .killWordBackward: editor.apply(.killWordBackward)
        case .killWordForward: editor.apply(.killWordForward)
        case .yank: editor.apply(.yank)
        case .transpose: editor.apply(.transpose)
        case .historyPrevious:
            if let older = history.older(current: editor.text) { editor.setText(older) }
        case .historyNext:
            if let newer = history.newer() { editor.setText(newer) }
        case .scrollUp: scroll(by: geometry.pageRows)
        case .scrollDown: scroll(by: -geometry.pageRows)
        case .wheelUp: scroll(by: 3)
        case .wheelDown: scroll(by: -3)
        case .scrollTop: scroll(by: Int.max / 4)
        case .scrollBottom: windows[active].scroll = nil
        case .nextWindow where context.delegatesWindows: emit(.window(.next))
        case .previousWindow where context.delegatesWindows: emit(.window(.previous))
        case .window(let n) where context.delegatesWindows: emit(.window(.number(n, quiet: true)))
        case .activeWindow where context.delegatesWindows: emit(.window(.mostActive))
        case .nextWindow: switchTo((active + 1) % windows.count)
        case .previousWindow: switchTo((active + windows.count - 1) % windows.count)
        case .window(let n): switchTo(n - 1)
        case .activeWindow:
            if let i = nextActiveWindow() { switchTo(i) }
        case .toggleNickList: nickListEnabled.toggle()
        case .toggleBuflist: buflistEnabled.toggle()
        case .repaint: emit(.repaint)
        case .search: startSearch()
        case .command(let line): run(line)
        case .none: break
        }
    }

    /// Enter: a command, or text for the window.
    private mutating func submit() {
        let line = editor.text
        editor.clear()
        guard !line.isEmpty else { return }
        history.add(line)
        run(line)
    }

    /// A line typed (or bound to a key): a command, or text for the window.
    private mutating func run(_ line: String) {
        if config.mode == .raw && line.hasPrefix("//") {
            sendText(line)   // the plain server undoubles it itself (our telnet dialect does)
        } else if line.hasPrefix("/") && !line.hasPrefix("//") {
            let body = line.dropFirst()
            let name = body.prefix { $0 != " " }
            let args = body.dropFirst(name.count).drop { $0 == " " }
            runCommand(name.lowercased(), String(args))
        } else {
            sendText(line.hasPrefix("//") ? String(line.dropFirst()) : line)
        }
    }

    private mutating func complete(backwards: Bool) {
        if completion == nil, let keys = settingCompletion() {
            completion = keys
        } else if completion == nil {
            let w = activeWindow
            var nicks = w.recentSpeakers
            if w.kind == .query { nicks.append(w.name) }
            var list = w.nicks
            nicks += list.nicks()
            // Your own nick last (as irssi does): you rarely address yourself.
            let own = nicks.filter { caseMapping.equal($0, nick) }
            nicks = nicks.filter { !caseMapping.equal($0, nick) } + own.prefix(1)
            // Open channels first, then those seen in /list.
            var channels = windows.filter(\.isChannel).map(\.name)
            let open = Set(channels.map(caseMapping.fold))
            channels += irc.listedChannels.filter { !open.contains(caseMapping.fold($0)) }
            completion = Completion.begin(editor: editor, commands: Self.commandNames, nicks: nicks, channels: channels)
            if completion == nil { return }
        } else if backwards {
            completion!.previous()
        } else {
            completion!.next()
        }
        completion!.apply(to: &editor)
    }

    /// The end marker of a bracketed paste arrived (or it timed out).
    mutating func finishPaste(_ text: String) {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }.map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines = lines.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return }
        if lines.count == 1 {
            editor.insert(lines[0])
            updateInputScroll()
            return
        }
        // What was typed before the paste starts its first line.
        if !editor.isEmpty {
            lines[0] = editor.text + lines[0]
            editor.clear()
        }
        if lines.count > config.pasteConfirmLines {
            paste = .confirm(lines)
        } else {
            for l in lines { sendText(l) }
        }
    }

    /// Keeps the cursor inside the visible part of a long input line.
    mutating func updateInputScroll() {
        editor.keepCursorVisible(width: max(1, cols - DisplayWidth.of(prompt)), widthOf: Self.inputWidth)
    }
}
