/// An editing key decoded from what a terminal sends: a control byte or an escape sequence.
/// Shared by the server console's line editor and the telnet user's (`HumanLineEditor`).
public enum TerminalKey: Equatable, Sendable {
    case left, right, home, end, backspace, delete, killStart, killEnd, killWord
    case up, down, redraw, wordLeft, wordRight, backTab, ignore

    /// The editing key of a control byte (Ctrl-A/B/E/F/K/L/N/P/U/W, both Backspaces), or nil
    /// for the ones the editor handles itself (Enter, Tab, Ctrl-C, Ctrl-D, Esc) or ignores.
    public static func control(_ b: UInt8) -> TerminalKey? {
        switch b {
        case 0x01: return .home
        case 0x02: return .left
        case 0x05: return .end
        case 0x06: return .right
        case 0x08, 0x7F: return .backspace
        case 0x0B: return .killEnd
        case 0x0C: return .redraw
        case 0x0E: return .down
        case 0x10: return .up
        case 0x15: return .killStart
        case 0x17: return .killWord
        default: return nil
        }
    }

    /// Decodes the escape sequence at `i` (an ESC): the key and the bytes it used, or nil when
    /// the sequence is not complete yet. CSI and SS3 forms of the arrows, Home and End
    /// (`ESC [ H`, `ESC O H`, `ESC [ 1 ~`, `ESC [ 7 ~`), Delete (`ESC [ 3 ~`), Ctrl-arrows for
    /// words, Alt-b/f/Backspace; anything else is consumed as `.ignore`.
    public static func escape(_ input: [UInt8], at i: Int) -> (TerminalKey, Int)? {
        guard i + 1 < input.count else { return nil }
        let b1 = input[i + 1]
        if b1 == UInt8(ascii: "[") || b1 == UInt8(ascii: "O") {
            // CSI: parameters (digits, ;) then a final byte 0x40..0x7E.
            var j = i + 2
            while j < input.count, (0x30...0x3F).contains(input[j]) { j += 1 }
            guard j < input.count else { return j - i > 12 ? (.ignore, j - i) : nil }
            let final = input[j]
            let params = input[(i + 2)..<j]
            let ctrl = params.count >= 2 && params.suffix(2).elementsEqual([UInt8(ascii: ";"), UInt8(ascii: "5")])
            let used = j - i + 1
            switch final {
            case UInt8(ascii: "A"): return (.up, used)
            case UInt8(ascii: "B"): return (.down, used)
            case UInt8(ascii: "C"): return (ctrl ? .wordRight : .right, used)
            case UInt8(ascii: "D"): return (ctrl ? .wordLeft : .left, used)
            case UInt8(ascii: "H"): return (.home, used)
            case UInt8(ascii: "F"): return (.end, used)
            case UInt8(ascii: "Z"): return (.backTab, used)
            case UInt8(ascii: "~"):
                switch params.count == 1 ? params.first! : 0 {
                case UInt8(ascii: "1"), UInt8(ascii: "7"): return (.home, used)
                case UInt8(ascii: "4"), UInt8(ascii: "8"): return (.end, used)
                case UInt8(ascii: "3"): return (.delete, used)
                default: return (.ignore, used)
                }
            default: return (.ignore, used)
            }
        }
        // Alt-b / Alt-f move by words; any other Alt-key is ignored.
        if b1 == UInt8(ascii: "b") { return (.wordLeft, 2) }
        if b1 == UInt8(ascii: "f") { return (.wordRight, 2) }
        if b1 == 0x7F { return (.killWord, 2) }
        return (.ignore, b1 == 0x1B ? 1 : 2)
    }
}
