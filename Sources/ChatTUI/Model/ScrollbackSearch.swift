/// Ctrl-R: an incremental search back through the active window's scrollback.
struct ScrollbackSearch: Equatable, Sendable {
    var query = ""
    /// The line found (its sequence number), nil before a match.
    var matchSeq: Int?
    /// The query matches nothing at or before where the search stands.
    var failed = false
}
