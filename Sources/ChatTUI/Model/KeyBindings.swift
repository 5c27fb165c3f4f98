import ChatProtocol

/// What each key does: irssi's emacs-style bindings, window switching, scrolling, paste.
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

        if key != .tab && key != .backTab { completion = nil }
        if key != .up && key != .down { history.stopBrowsing() }

        switch key {
        case .text(let t): editor.insert(t)
        case .enter: submit()
        case .tab, .backTab: complete(backwards: key == .backTab)
        case .backspace, .ctrl("h"): editor.apply(.deleteBackward)
        case .ctrl("d") where editor.isEmpty: quitConfirm = true
        case .delete, .ctrl("d"): editor.apply(.deleteForward)
        case .left: editor.apply(.left)
        // irssi's formatting keys insert the mIRC codes: bold, colour, reset, reverse, italic, underline.
        case .ctrl("b"): editor.insert(String(TextFormat.boldCode))
        case .ctrl("c"): editor.insert(String(TextFormat.colorCode))
        case .ctrl("o"): editor.insert(String(TextFormat.resetCode))
        case .ctrl("v"): editor.insert(String(TextFormat.reverseCode))
        case .ctrl("]"): editor.insert(String(TextFormat.italicCode))
        case .ctrl("_"): editor.insert(String(TextFormat.underlineCode))
        case .right, .ctrl("f"): editor.apply(.right)
        case .home, .ctrl("a"): editor.apply(.home)
        case .end, .ctrl("e"): editor.apply(.end)
        case .alt("b"), .ctrlLeft: editor.apply(.wordLeft)
        case .alt("f"), .ctrlRight: editor.apply(.wordRight)
        case .ctrl("k"): editor.apply(.killToEnd)
        case .ctrl("u"): editor.apply(.killLine)     // irssi's erase_line: the whole line
        case .ctrl("w"), .altBackspace: editor.apply(.killWordBackward)
        case .alt("d"): editor.apply(.killWordForward)
        case .ctrl("y"): editor.apply(.yank)
        case .ctrl("t"): editor.apply(.transpose)
        case .up:
            if let older = history.older(current: editor.text) { editor.setText(older) }
        case .down:
            if let newer = history.newer() { editor.setText(newer) }
        case .pageUp, .alt("p"): scroll(by: geometry.pageRows)
        case .pageDown, .alt("n"): scroll(by: -geometry.pageRows)
        case .wheelUp: scroll(by: 3)
        case .wheelDown: scroll(by: -3)
        case .ctrlHome: scroll(by: Int.max / 4)
        case .ctrlEnd: windows[active].scroll = nil
        case .ctrl("n"): switchTo((active + 1) % windows.count)
        case .ctrl("p"): switchTo((active + windows.count - 1) % windows.count)
        case .alt(let c) where c.isNumber:
            if let d = c.wholeNumberValue { switchTo(d == 0 ? 9 : d - 1) }
        case .alt("a"):
            if let i = nextActiveWindow() { switchTo(i) }
        case .function(7), .alt("N"):
            nickListEnabled.toggle()
        case .ctrl("l"): emit(.repaint)
        case .ctrl("r"): startSearch()
        case .pasteStart:
            paste = .collecting("", since: now)
            pasteEscape = .none
        default: break
        }
        updateInputScroll()
    }

    /// Enter: a command, or text for the window.
    private mutating func submit() {
        let line = editor.text
        editor.clear()
        guard !line.isEmpty else { return }
        history.add(line)
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
