/// Which key does what: the defaults (irssi's keys, docs/CLIENT.md) with the user's
/// `[keys]` over them. One dictionary lookup a key; typed text never comes here.
struct KeyTable: Equatable, Sendable {
    private(set) var actions: [Key: KeyAction]

    static let defaults: [Key: KeyAction] = {
        var t: [Key: KeyAction] = [
            .enter: .send, .tab: .complete, .backTab: .completeBackward,
            .backspace: .deleteBackward, .ctrl("h"): .deleteBackward,
            .ctrl("d"): .deleteForwardOrQuit, .delete: .deleteForward,
            .left: .backwardChar, .right: .forwardChar, .ctrl("f"): .forwardChar,
            .ctrl("b"): .insertBold, .ctrl("c"): .insertColor, .ctrl("o"): .insertReset,
            .ctrl("v"): .insertReverse, .ctrl("]"): .insertItalic, .ctrl("_"): .insertUnderline,
            .home: .beginningOfLine, .ctrl("a"): .beginningOfLine, .end: .endOfLine, .ctrl("e"): .endOfLine,
            .alt("b"): .backwardWord, .ctrlLeft: .backwardWord, .alt("f"): .forwardWord, .ctrlRight: .forwardWord,
            .ctrl("k"): .killToEnd, .ctrl("u"): .killLine, .ctrl("w"): .killWordBackward, .altBackspace: .killWordBackward,
            .alt("d"): .killWordForward, .ctrl("y"): .yank, .ctrl("t"): .transpose,
            .up: .historyPrevious, .down: .historyNext,
            .pageUp: .scrollUp, .alt("p"): .scrollUp, .pageDown: .scrollDown, .alt("n"): .scrollDown,
            .wheelUp: .wheelUp, .wheelDown: .wheelDown, .ctrlHome: .scrollTop, .ctrlEnd: .scrollBottom,
            .ctrl("n"): .nextWindow, .ctrl("p"): .previousWindow, .alt("a"): .activeWindow,
            .function(7): .toggleNickList, .alt("N"): .toggleNickList, .alt("B"): .toggleBuflist,
            .ctrl("l"): .repaint, .ctrl("r"): .search,
        ]
        for d in 1...9 { t[.alt(Character(String(d)))] = .window(d) }
        t[.alt("0")] = .window(10)
        return t
    }()

    init() { actions = Self.defaults }

    /// The defaults with the settings' `keys.*` over them (already checked).
    init(_ settings: Settings) {
        self.init()
        for (k, v) in settings.values where k.hasPrefix("keys.") {
            if let key = KeyName.key(String(k.dropFirst(5))), let a = v.string.flatMap(KeyAction.init(name:)) { bind(key, a) }
        }
    }

    subscript(_ key: Key) -> KeyAction? { actions[key] }

    mutating func bind(_ key: Key, _ action: KeyAction) {
        actions[key] = action == .none ? nil : action
    }

    /// Every binding as `name = action`, sorted by name.
    var described: [String] {
        actions.compactMap { k, a in KeyName.name(k).map { "\($0) = \(a.name)" } }.sorted()
    }
}
