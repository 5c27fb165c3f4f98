import ChatProtocol

/// Ctrl-R incremental scrollback search: typed text narrows, Ctrl-R again goes to the next
/// older match, Enter stays there, Esc or Ctrl-G goes back to the end. The view is scrolled
/// so the matching line is the bottom one.
extension ClientState {
    mutating func startSearch() {
        search = ScrollbackSearch()
    }

    mutating func handleSearchKey(_ key: Key) {
        guard var s = search else { return }
        switch key {
        case .text(let t):
            s.query += t
            find(&s, before: s.matchSeq.map { $0 + 1 })
        case .backspace, .ctrl("h"):
            guard !s.query.isEmpty else { return }
            s.query.removeLast()
            s.matchSeq = nil
            find(&s, before: nil)
        case .ctrl("r"):
            find(&s, before: s.matchSeq)
        case .enter:
            search = nil
            return
        case .escape, .ctrl("g"):
            search = nil
            windows[active].scroll = nil
            return
        default:
            return
        }
        search = s
    }

    /// The newest line before `seq` (the newest of all when nil) that holds the query, any
    /// case, formatting ignored; the view goes there. Nothing found: `failed`, the view stays.
    private mutating func find(_ s: inout ScrollbackSearch, before seq: Int?) {
        let back = windows[active].scrollback
        guard !s.query.isEmpty else { s.failed = false; return }
        let needle = s.query.lowercased()
        var i = min(seq ?? back.endSeq, back.endSeq) - 1
        while i >= back.firstSeq {
            if let l = back[seq: i] {
                let text = l.formatted ? TextSafety.stripIRCFormatting(l.text) : l.text
                if text.lowercased().contains(needle) || (l.nick?.lowercased().contains(needle) ?? false) {
                    s.matchSeq = i
                    s.failed = false
                    windows[active].scroll = i == back.lastSeq ? nil : ScrollPosition(seq: i, rowsBelow: 0)
                    anchorScroll()
                    return
                }
            }
            i -= 1
        }
        s.failed = true
    }
}
