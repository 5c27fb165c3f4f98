@preconcurrency import CNcurses

/// Turns what ncurses reads from the terminal into `Key`s and resizes.
///
/// Called when poll() says standard input is readable; reads until ncurses has nothing
/// more (the window is in nodelay mode), so no key waits in ncurses' buffer.
enum KeyReader {
    enum Input: Equatable {
        case key(Key)
        case resize(cols: Int, rows: Int)
    }

    // Key codes for sequences terminfo does not name; above KEY_MAX (0777).
    private static let pasteStartCode: Int32 = 0x1001
    private static let pasteEndCode: Int32 = 0x1002
    private static let ctrlLeftCode: Int32 = 0x1003
    private static let ctrlRightCode: Int32 = 0x1004
    private static let ctrlHomeCode: Int32 = 0x1005
    private static let ctrlEndCode: Int32 = 0x1006
    private static let altLeftCode: Int32 = 0x1007
    private static let altRightCode: Int32 = 0x1008

    static func defineKeys() {
        define_key("\u{1b}[200~", pasteStartCode)
        define_key("\u{1b}[201~", pasteEndCode)
        for (seq, code) in [("\u{1b}[1;5D", ctrlLeftCode), ("\u{1b}[1;5C", ctrlRightCode),
                            ("\u{1b}[1;5H", ctrlHomeCode), ("\u{1b}[1;5F", ctrlEndCode),
                            ("\u{1b}[1;3D", altLeftCode), ("\u{1b}[1;3C", altRightCode)] {
            define_key(seq, code)
        }
    }

    /// Everything waiting, in order. Printable characters in a row become one `.text`.
    static func drain(limit: Int = 100_000) -> [Input] {
        var out: [Input] = []
        var text = ""
        func flushText() {
            if !text.isEmpty { out.append(.key(.text(text))); text = "" }
        }
        func emit(_ k: Key) { flushText(); out.append(.key(k)) }

        var count = 0
        while count < limit, let (code, isKey) = read() {
            count += 1
            if isKey {
                switch code {
                case CN_KEY_RESIZE:
                    flushText()
                    out.append(.resize(cols: Int(cn_cols()), rows: Int(cn_lines())))
                case CN_KEY_MOUSE:
                    var ev = MEVENT()
                    if getmouse(&ev) == OK {
                        if cn_is_wheel_up(ev.bstate) != 0 { emit(.wheelUp) } else if cn_is_wheel_down(ev.bstate) != 0 { emit(.wheelDown) }
                    }
                default:
                    emit(functionKey(code))
                }
                continue
            }
            switch code {
            case 27:
                // Alt-x arrives as ESC x; ncurses waited ESCDELAY for the rest already.
                if let (next, nextIsKey) = read() {
                    if nextIsKey {
                        // Where terminfo's kbs is DEL, ncurses reads ESC DEL as ESC, KEY_BACKSPACE.
                        emit(next == KEY_BACKSPACE ? .altBackspace : functionKey(next))
                    } else if next == 127 || next == 8 {
                        emit(.altBackspace)
                    } else if let s = Unicode.Scalar(UInt32(next)), next >= 32 {
                        emit(.alt(Character(s)))
                    } else {
                        emit(.escape)
                    }
                } else {
                    emit(.escape)
                }
            case 13, 10: emit(.enter)
            case 9: emit(.tab)
            case 127, 8: emit(.backspace)
            case 1...26: emit(.ctrl(Character(Unicode.Scalar(UInt8(code) + 96))))
            case 29: emit(.ctrl("]"))      // irssi's italic
            case 31: emit(.ctrl("_"))      // irssi's underline
            case 0..<32: emit(.unknown)
            default:
                if let s = Unicode.Scalar(UInt32(code)) { text.unicodeScalars.append(s) }
            }
        }
        flushText()
        return out
    }

    /// One wide character or key code, nil when nothing is waiting.
    private static func read() -> (Int32, Bool)? {
        var ch: wint_t = 0
        let r = wget_wch(cn_stdscr(), &ch)
        if r == ERR { return nil }
        return (Int32(bitPattern: ch), r == KEY_CODE_YES)
    }

    private static func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case CN_KEY_BTAB: return .backTab
        case pasteStartCode: return .pasteStart
        case pasteEndCode: return .pasteEnd
        case ctrlLeftCode, altLeftCode: return .ctrlLeft
        case ctrlRightCode, altRightCode: return .ctrlRight
        case ctrlHomeCode: return .ctrlHome
        case ctrlEndCode: return .ctrlEnd
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .function(n) }
            return .unknown
        }
    }
}
