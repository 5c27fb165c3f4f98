import ChatProtocol

/// What the client knows about its link to an IRC server: registration, capabilities, ISUPPORT,
/// the lag probe. Reset when the connection drops.
struct IRCLinkState: Sendable {
    var wantedNick = ""
    var nickAttempts = 0
    var registered = false
    var serverTime = false
    /// The SASL login's progress on this connection (`ClientState+SASL`).
    var sasl = SASLStage.idle
    var prefixModes: [Character] = ["o", "v"]
    var prefixSymbols: [Character] = ["@", "+"]
    var chanTypes: Set<Character> = ["#", "&"]
    /// CHANMODES groups A (lists), B (always a parameter), C (parameter when set), D (none).
    var chanModes: [Set<Character>] = [["b", "e", "I"], ["k"], ["l"], ["i", "m", "n", "p", "s", "t"]]
    var caseMapping: CaseMapping = .rfc1459
    var network: String?
    /// ISUPPORT `MODES`: mode changes with a parameter in one MODE line.
    var modesPerLine = 3
    /// Channels seen in /list replies, for Tab completion (at most `listedLimit`).
    var listedChannels: [String] = []
    var listedFolded: Set<String> = []
    static let listedLimit = 5000
    /// Nicks' hosts, for `/ban nick` (`NickHosts`).
    var hosts = NickHosts()
    /// ISUPPORT `DEFCHAN`: the channel the server puts users in who name none (ours: #lobby).
    var defaultChannel: String?
    /// Folded channel names whose NAMES the user asked for: list them when 366 comes.
    var namesRequested: Set<String> = []
    var namesBuffer: [String: [String]] = [:]
    /// Our lag probe: when the PING went out, and when to act next.
    var pingSentAt: Int64?
    var nextPingAt: Int64?
    /// A server that takes the connection but never welcomes us (001) is given up on then.
    var registrationDeadline: Int64?

    static let pingInterval: Int64 = 30_000
    static let pingTimeout: Int64 = 90_000
    static let registrationTimeout: Int64 = 30_000
    static let pingTokenPrefix = "chat-tui-"
    static func pingToken(_ sentAt: Int64) -> String { pingTokenPrefix + String(sentAt) }

    /// Whether a status symbol is operator level or higher (@, and & ~ where they exist).
    func isOperatorSymbol(_ c: Character?) -> Bool {
        guard let c, let i = prefixSymbols.firstIndex(of: c) else { return false }
        return i <= (prefixModes.firstIndex(of: "o") ?? 0)
    }

    /// Keeps a channel name from a /list reply for completion (the first `listedLimit`).
    mutating func noteListed(_ name: String) {
        guard listedChannels.count < Self.listedLimit, Self.isOneWord(name), isChannelName(name),
              listedFolded.insert(caseMapping.fold(name)).inserted else { return }
        listedChannels.append(name)
    }

    func isChannelName(_ s: String) -> Bool { s.first.map { chanTypes.contains($0) } ?? false }

    /// Whether a nick or channel name from the server can be sent back as one parameter (we
    /// send our nick again when we reconnect, and rejoin our channels): not empty, no ':'
    /// first, no space or comma (nor NUL, CR, LF, which the parser already keeps out). A
    /// trailing parameter such as `JOIN :#a b` or `NICK :a b` is no name.
    static func isOneWord(_ s: String) -> Bool {
        guard let first = s.utf8.first, first != UInt8(ascii: ":") else { return false }
        return !s.utf8.contains { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == 0 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Where a CTCP reply to `source` may go: its nick, when that is one user's nick that fits
    /// in one IRC parameter — not empty, at most 64 bytes, no space, comma or control
    /// character, not starting with ':' or a channel prefix (the server's CHANTYPES, and the
    /// standard # & + ! whatever the server says) — and the source is a user, not a server. nil: do not answer (`NOTICE  :…` with an empty nick would be malformed, and a
    /// "nick" such as `#chan` would send the answer to a channel).
    func ctcpReplyTarget(_ source: IRCSource?) -> String? {
        guard let source, !source.isServer else { return nil }
        let nick = source.nick
        let u = nick.utf8
        guard let first = u.first, u.count <= 64, !Array(":#&+!".utf8).contains(first), !isChannelName(nick),
              !u.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ",") }) else { return nil }
        return nick
    }

    /// The longest CTCP reply line we send (without CR LF): the IRC limit is 512 with them.
    static let maxReplyBytes = 510

    /// Bytes the server may prepend as our source (":nick!user@host ").
    func sourceAllowance(nick: String) -> Int { nick.utf8.count + 80 }

    mutating func connectionLost() {
        registered = false
        serverTime = false
        pingSentAt = nil
        nextPingAt = nil
        registrationDeadline = nil
        namesRequested = []
        namesBuffer = [:]
        nickAttempts = 0
    }

    func nextTimer(connection: ConnectionStatus) -> Int64? {
        switch connection {
        case .connected: nextPingAt
        case .registering: registrationDeadline
        default: nil
        }
    }
}
