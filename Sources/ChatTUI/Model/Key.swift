/// A key press as the model sees it; the view decodes terminal input into these.
enum Key: Hashable, Sendable {
    case text(String)          // printable text (one key, or a run typed between two reads)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    case ctrl(Character)       // Ctrl plus a letter, lower case: .ctrl("a")
    case alt(Character)        // Alt (or Esc) plus a key: .alt("b"), .alt("1")
    case altBackspace
    case function(Int)         // F1...F12
    case wheelUp, wheelDown
    case pasteStart, pasteEnd  // bracketed paste markers
    case unknown
}
