import ChatProtocol

/// One channel, private conversation, or the server window.
struct Window: Sendable {
    enum Kind: Equatable, Sendable { case server, channel, query }

    var name: String
    let kind: Kind
    var scrollback: Scrollback
    var nicks = NickList()
    var topic = ""
    /// A channel the user is in (or wants to be in again after a reconnect).
    var joined = false
    /// The channel key the user joined with, sent again when rejoining after a reconnect.
    var key: String?
    /// NAMES replies are arriving (353 until 366): the next 353 starts a fresh list.
    var namesInProgress = false
    var activity: Activity = .none
    var unread = 0
    /// First line the user has not seen: the marker line is drawn above it.
    var markerSeq: Int?
    var scroll: ScrollPosition?
    /// Nicks that spoke here, most recent first (tab completion tries them first).
    var recentSpeakers: [String] = []

    init(name: String, kind: Kind, capacity: Int) {
        self.name = name
        self.kind = kind
        self.scrollback = Scrollback(capacity: capacity)
    }

    var isChannel: Bool { kind == .channel }

    mutating func noteSpeaker(_ nick: String) {
        if let i = recentSpeakers.firstIndex(of: nick) { recentSpeakers.remove(at: i) }
        recentSpeakers.insert(nick, at: 0)
        if recentSpeakers.count > 50 { recentSpeakers.removeLast() }
    }

    /// Lines below the scroll position (the "more below" count); 0 when following.
    var linesBelow: Int {
        guard let s = scroll, let last = scrollback.lastSeq else { return 0 }
        return max(0, last - s.seq)
    }

    /// Whether the marker line should be drawn: it has new lines after it.
    var showsMarker: Bool {
        guard let m = markerSeq else { return false }
        return m > scrollback.firstSeq && m < scrollback.endSeq
    }
}
