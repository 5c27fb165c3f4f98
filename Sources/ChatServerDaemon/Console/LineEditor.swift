import ChatProtocol

/// A small line editor for a raw-mode terminal, pure: bytes from the keyboard in, actions
/// and the text that draws the line out. Used by the server's terminal console and by
/// `chat-server console`.
///
/// Keys: printable text inserts; Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E), Backspace,
/// Delete, Ctrl-U (erase to start), Ctrl-K (erase to end), Ctrl-W (erase word), Up/Down
/// (Ctrl-P/N) through history, Tab completes a command name, Ctrl-L redraws, Enter submits,
/// Ctrl-C interrupts, Ctrl-D deletes or, on an empty line, ends input.
struct LineEditor {
    enum Action: Equatable {
        case submit(String)
        /// Ctrl-C; the line it cleared was empty or not.
        case interrupt(hadText: Bool)
        case endOfInput
        /// The line changed (or needs drawing again): call `render`.
        case redraw
        /// A Tab with several candidates: show them.
        case candidates([String])
    }

    var prompt: String
    private(set) var line: [Character] = []
    private(set) var cursor = 0
    private(set) var history: [String] = []
    private var historyIndex: Int?  // nil: editing the draft
    private var draft: [Character] = []
    private var pending: [UInt8] = []  // an incomplete UTF-8 sequence or escape sequence
    var historyLimit = 500
    /// Completes the first word (Tab); empty: no completion.
    var complete: (String) -> [String] = { _ in [] }

    init(prompt: String) { self.prompt = prompt }

    var text: String { String(line) }

    mutating func feed(_ bytes: [UInt8]) -> [Action] {
        var actions: [Action] = []
        var input = pending + bytes
        pending = []
        var i = 0
        while i < input.count {
            let b = input[i]
            if b == 0x1B {
                guard let (key, used) = TerminalKey.escape(input, at: i) else {
                    pending = Array(input[i...])  // wait for the rest of the sequence
                    break
                }
                i += used
                if apply(key) { actions.append(.redraw) }
                continue
            }
            if b < 0x20 || b == 0x7F {
                i += 1
                switch b {
                case 0x0D, 0x0A:
                    // CR LF from a paste is one line end.
                    if b == 0x0D, i < input.count, input[i] == 0x0A { i += 1 }
                    actions.append(.submit(submit()))
                case 0x03:
                    let hadText = !line.isEmpty
                    line = []
                    cursor = 0
                    historyIndex = nil
                    actions.append(.interrupt(hadText: hadText))
                case 0x04:
                    if line.isEmpty { actions.append(.endOfInput) } else if apply(.delete) { actions.append(.redraw) }
                case 0x09:
                    if let a = tab() { actions.append(a) }
                default:
                    if let key = TerminalKey.control(b), apply(key) { actions.append(.redraw) }
                }
                continue
            }
            // UTF-8: take a whole scalar, or wait for its remaining bytes.
            let need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            if i + need > input.count {
                pending = Array(input[i...])
                break
            }
            let s = String(decoding: input[i..<i + need], as: UTF8.self)
            i += need
            insert(s)
            actions.append(.redraw)
        }
        if pending.count > 16 { pending = [] }  // never hold on to garbage
        input = []
        return Self.coalesce(actions)
    }

    /// Consecutive redraws are one.
    private static func coalesce(_ actions: [Action]) -> [Action] {
        var out: [Action] = []
        for a in actions where !(a == .redraw && out.last == .redraw) { out.append(a) }
        return out
    }

    typealias Key = TerminalKey

    /// Applies an editing key; true when the line (or the cursor) changed.
    mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .left: guard cursor > 0 else { return false }; cursor -= 1
        case .right: guard cursor < line.count else { return false }; cursor += 1
        case .home: cursor = 0
        case .end: cursor = line.count
        case .backspace:
            guard cursor > 0 else { return false }
            line.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < line.count else { return false }
            line.remove(at: cursor)
        case .killStart:
            line.removeSubrange(0..<cursor)
            cursor = 0
        case .killEnd:
            line.removeSubrange(cursor...)
        case .killWord:
            let start = line.startOfSpaceSeparatedWord(before: cursor)
            line.removeSubrange(start..<cursor)
            cursor = start
        case .wordLeft: cursor = line.startOfSpaceSeparatedWord(before: cursor)
        case .wordRight:
            var j = cursor
            while j < line.count && line[j] == " " { j += 1 }
            while j < line.count && line[j] != " " { j += 1 }
            cursor = j
        case .up: return recall(older: true)
        case .down: return recall(older: false)
        case .redraw: return true
        case .backTab, .ignore: return false
        }
        return true
    }

    mutating func insert(_ s: String) {
        let chars = Array(s)
        guard line.count + chars.count <= 4096 else { return }
        line.insert(contentsOf: chars, at: cursor)
        cursor += chars.count
    }

    private mutating func recall(older: Bool) -> Bool {
        guard !history.isEmpty else { return false }
        let index: Int?
        switch (historyIndex, older) {
        case (nil, true): draft = line; index = history.count - 1
        case (nil, false): return false
        case (let i?, true): guard i > 0 else { return false }; index = i - 1
        case (let i?, false): index = i + 1 < history.count ? i + 1 : nil
        }
        historyIndex = index
        line = index.map { Array(history[$0]) } ?? draft
        cursor = line.count
        return true
    }

    private mutating func submit() -> String {
        let s = String(line)
        let trimmed = s.drop { $0 == " " }
        if !trimmed.isEmpty && history.last != s {
            history.append(s)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        line = []
        cursor = 0
        historyIndex = nil
        draft = []
        return s
    }

    private mutating func tab() -> Action? {
        // Only the first word, and only with the cursor at its end.
        guard !line[..<cursor].contains(" ") else { return nil }
        let word = String(line[..<cursor])
        let options = complete(word)
        if options.count == 1 {
            let rest = options[0].dropFirst(word.count)
            insert(String(rest) + (cursor == line.count ? " " : ""))
            return .redraw
        }
        if options.count > 1 {
            // Extend to the longest common prefix, then show the choices.
            var common = options[0]
            for o in options.dropFirst() { while !o.hasPrefix(common) { common.removeLast() } }
            if common.count > word.count { insert(String(common.dropFirst(word.count))); return .redraw }
            return .candidates(options)
        }
        return nil
    }

    // MARK: Drawing

    /// Columns a character takes on a terminal (0, 1 or 2; a fair approximation of wcwidth).
    static func width(_ c: Character) -> Int {
        guard let s = c.unicodeScalars.first else { return 0 }
        let v = s.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if (0x300..<0x370).contains(v) || v == 0x200D || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Draws prompt and line on the current terminal row and puts the cursor in place. When
    /// the line is wider than the terminal, shows the part around the cursor.
    func render(columns: Int) -> String {
        let promptWidth = prompt.reduce(0) { $0 + Self.width($1) }
        let room = max(columns - promptWidth - 1, 8)
        var start = 0
        var before = line[..<cursor].reduce(0) { $0 + Self.width($1) }
        while before > room - 1 && start < cursor {
            before -= Self.width(line[start])
            start += 1
        }
        var shown = ""
        var used = 0
        for c in line[start...] {
            let w = Self.width(c)
            if used + w > room { break }
            shown.append(c)
            used += w
        }
        let column = promptWidth + before
        return "\r" + prompt + shown + "\u{1B}[K\r" + (column > 0 ? "\u{1B}[\(column)C" : "")
    }

    /// Erases the prompt line (before printing something else in its place).
    static let clearLine = "\r\u{1B}[K"
}
