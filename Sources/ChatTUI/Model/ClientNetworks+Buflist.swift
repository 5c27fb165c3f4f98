/// The list of windows at the left, as WeeChat's buflist shows it: each window's number, a
/// server window under its network's name with its channels and queries indented below, in
/// its activity's colour; the window on the screen highlighted.
extension ClientNetworks {
    /// The list's rows for a side bar `width` columns wide and `height` rows high; a list
    /// longer than that shows the part around the current window.
    func buflistRows(width: Int, height: Int) -> [Row] {
        let total = windowCount
        guard height > 0, total > 0 else { return [] }
        let current = activeNumber
        let start = total <= height ? 1 : max(1, min(current - height / 2, total - height + 1))
        let digits = String(total).count
        var rows: [Row] = []
        for n in start..<min(total + 1, start + height) {
            guard let (j, k) = locate(n) else { break }
            let w = networks[j].windows[k]
            let number = String(repeating: " ", count: digits - String(n).count) + String(n)
            var label = w.kind == .server ? names[j] : "  " + w.name
            if w.kind == .server, case .disconnected = networks[j].connection { label += " (off)" }
            let style: Style
            if n == current {
                style = .buflistActive
            } else {
                switch w.activity {
                case .none: style = .buflist
                case .events: style = .buflistEvents
                case .messages: style = .buflistMessages
                case .mention: style = .buflistMention
                }
            }
            rows.append(Row(spans: [Span(Layout.fit(ClientState.shown(number + " " + label), width: width), style)]))
        }
        return rows
    }
}
