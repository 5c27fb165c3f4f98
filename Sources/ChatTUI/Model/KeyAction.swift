/// What a bound key does (`[keys]`, `/bind`): an editing or window action by name, or a
/// command line to run, as WeeChat's key table holds them.
enum KeyAction: Hashable, Sendable {
    case beginningOfLine, endOfLine, backwardChar, forwardChar, backwardWord, forwardWord
    case deleteBackward, deleteForward, deleteForwardOrQuit
    case killToEnd, killLine, killWordBackward, killWordForward, yank, transpose
    case historyPrevious, historyNext, complete, completeBackward, send
    case insertBold, insertColor, insertReset, insertReverse, insertItalic, insertUnderline
    case scrollUp, scrollDown, wheelUp, wheelDown, scrollTop, scrollBottom
    case nextWindow, previousWindow, activeWindow, window(Int)
    case toggleNickList, toggleBuflist, repaint, search
    /// Run this line as if typed (`/join #swift`).
    case command(String)
    /// Nothing (a default unbound with `/unbind`).
    case none

    /// The named actions, as the file and `/bind` write them.
    static let named: [(String, KeyAction)] = [
        ("beginning-of-line", .beginningOfLine), ("end-of-line", .endOfLine),
        ("backward-char", .backwardChar), ("forward-char", .forwardChar),
        ("backward-word", .backwardWord), ("forward-word", .forwardWord),
        ("delete-backward", .deleteBackward), ("delete-forward", .deleteForward),
        ("delete-forward-or-quit", .deleteForwardOrQuit),
        ("kill-to-end", .killToEnd), ("kill-line", .killLine),
        ("kill-word-backward", .killWordBackward), ("kill-word-forward", .killWordForward),
        ("yank", .yank), ("transpose", .transpose),
        ("history-previous", .historyPrevious), ("history-next", .historyNext),
        ("complete", .complete), ("complete-backward", .completeBackward), ("send", .send),
        ("insert-bold", .insertBold), ("insert-color", .insertColor), ("insert-reset", .insertReset),
        ("insert-reverse", .insertReverse), ("insert-italic", .insertItalic), ("insert-underline", .insertUnderline),
        ("scroll-up", .scrollUp), ("scroll-down", .scrollDown), ("wheel-up", .wheelUp), ("wheel-down", .wheelDown),
        ("scroll-top", .scrollTop), ("scroll-bottom", .scrollBottom),
        ("next-window", .nextWindow), ("previous-window", .previousWindow), ("active-window", .activeWindow),
        ("toggle-nick-list", .toggleNickList), ("toggle-buflist", .toggleBuflist), ("repaint", .repaint), ("search", .search), ("none", .none),
    ] + (1...10).map { ("window-\($0)", .window($0)) }

    /// Reads `kill-line`, `window-3` or `/command args`; nil when it is none of them.
    init?(name: String) {
        if name.hasPrefix("/") {
            guard name.count > 1, name.utf8.count <= 400,
                  !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return nil }
            self = .command(name)
            return
        }
        guard let a = Self.named.first(where: { $0.0 == name })?.1 else { return nil }
        self = a
    }

    var name: String {
        if case .command(let line) = self { return line }
        return Self.named.first { $0.1 == self }!.0
    }
}
