// fuzz-sources: Sources/ChatTUI/Model
//
// chat-tui's own reducer, fed by a hostile IRC server: the input is the byte stream from the
// server, framed as the client frames it (`LineFramer(maxLineLength: 16_384)`, cut into reads
// as the data decides), and every line goes to `ClientState.apply(.received(_))` — the model
// the terminal client runs (`Sources/ChatTUI/Model`, compiled into this binary with run.sh's
// `fuzz-sources` line; it needs no ncurses). Between lines, as the data decides, the clock
// advances (lag probes, timeouts), the terminal is resized, and the connection drops and comes
// back (the client then registers and rejoins its channels). Half of the runs start already
// registered and in #c, so short inputs reach the chat states.
//
// Oracles:
// - `IRCSource` splits every source and joins it back to the same text;
// - nothing crashes or traps (array bounds, force unwraps, integer overflow);
// - every line the client sends is one IRC line: no NUL, CR or LF; it parses; its command is
//   one the client sends unprompted or in answer (NICK, USER, CAP, JOIN, PING, PONG, NOTICE
//   for CTCP replies) with the parameters that command takes — nothing the server says can
//   split it, add a parameter, or make it address someone else. CTCP replies go to one nick
//   (not empty, no ':' first, no channel, no comma), are \1-framed and fit in 510 bytes;
// - nothing on the screen holds a control character, an escape or a bidi override: every
//   window's rendered frame (chat, nick list, title, status bar, prompt; window names and
//   nicks keep the server's spelling in the model, to address it with), its scrollback lines
//   (which may keep IRC formatting codes for the view, and nothing else) and their nicks, and
//   its topic;
// - the state stays consistent: the active window exists and window 0 is the server window;
//   window names are unique under the casemapping and each one word (the user's lines in a
//   window are sent to its name) and each is found by its name (`windowIndex`); at most
//   `maxQueryWindows` private windows are open; each nick list has no two nicks equal under the casemapping and
//   uses the client's casemapping; the client's own nick is one IRC word.

import ChatProtocol

func unsafeScalar(_ v: UInt32) -> Bool {
    v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
}

func shownSafe(_ s: String, _ what: @autoclosure () -> String) {
    for u in s.unicodeScalars where unsafeScalar(u.value) {
        violation("\(what()) shows U+\(String(u.value, radix: 16)): \(hex(s.utf8))")
    }
}

/// One IRC middle parameter naming one nick or channel: not empty, no ':' first, no space or
/// comma (nor NUL, CR, LF).
func isOneTarget(_ s: String) -> Bool {
    guard let f = s.utf8.first, f != UInt8(ascii: ":") else { return false }
    return !s.utf8.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == UInt8(ascii: ",") }
}

func checkSent(_ line: String) {
    let bytes = Array(line.utf8)
    require(!bytes.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D }, "sent line holds NUL/CR/LF: \(hex(bytes))")
    let m: IRCMessage
    do {
        m = try IRCMessage(parsing: bytes, limits: IRCLimits(maxTagBytes: .max, maxBodyBytes: .max))
    } catch {
        violation("sent line does not parse (\(error)): \(hex(bytes))")
    }
    require(m.source == nil && m.tags.isEmpty, "sent line with a source or tags: \(hex(bytes))")
    let p = m.params
    switch m.verb {
    case "NICK":
        require(p.count == 1 && isOneTarget(p[0]), "NICK with \(p): \(hex(bytes))")
    case "USER":
        require(p.count == 4, "USER with \(p.count) params: \(hex(bytes))")
    case "CAP":
        require(p.count >= 1 && ["LS", "REQ", "END"].contains(p[0]), "CAP \(p): \(hex(bytes))")
        if p[0] == "REQ" {
            require(p.count == 2 && p[1].split(separator: " ").allSatisfy { ["server-time", "multi-prefix"].contains($0) },
                    "CAP REQ asks for what it does not know: \(hex(bytes))")
        }
    case "JOIN":
        // Keys (the user's, remembered from /join) may follow the channels.
        require(p.count == 1 || (p.count == 2 && isOneTarget(p[1])), "JOIN with \(p.count) params: \(hex(bytes))")
        for c in p[0].split(separator: ",", omittingEmptySubsequences: false) {
            require(isOneTarget(String(c)), "JOIN of a channel that is not one word: \(hex(bytes))")
        }
    case "PING":
        require(p.count == 1, "PING with \(p.count) params: \(hex(bytes))")
    case "PONG":
        require(p.count == 1, "PONG with \(p.count) params: \(hex(bytes))")
    case "NOTICE":
        require(p.count == 2, "NOTICE with \(p.count) params: \(hex(bytes))")
        require(isOneTarget(p[0]) && p[0].first != "#" && p[0].first != "&", "CTCP reply to \(p[0].debugDescription): \(hex(bytes))")
        let body = p[1].utf8
        require(body.count >= 2 && body.first == 1 && body.last == 1 && !body.dropFirst().dropLast().contains(1),
                "CTCP reply not \\1-framed: \(hex(bytes))")
        require(bytes.count <= 510, "CTCP reply of \(bytes.count) bytes")
    default:
        violation("the server made the client send \(m.verb): \(hex(bytes))")
    }
}

func drain(_ s: inout ClientState) {
    for e in s.takeEffects() {
        switch e {
        case .send(let l): checkSent(l)
        case .log, .repaint, .discardPartialLine, .reconnect, .dropConnection: break
        case .quit: violation("the server made the client quit")
        case .saveSetting(let key, _): violation("the server made the client save the setting \(key)")
        case .window(let request): violation("the server made the client move between windows: \(request)")
        case .connectNetwork(let name): violation("the server made the client connect to \(name)")
        case .disconnectNetwork: violation("the server made the client disconnect")
        }
    }
}

func checkState(_ s: inout ClientState) {
    require(s.windows.indices.contains(s.activeIndex), "active window \(s.activeIndex) of \(s.windows.count)")
    require(s.windows[0].kind == .server, "window 0 is \(s.windows[0].kind)")
    require(isOneTarget(s.nick), "own nick \(s.nick.debugDescription)")
    require(s.queryWindowCount <= ClientState.maxQueryWindows, "\(s.queryWindowCount) private windows")
    var channelNames = Set<String>()
    for w in s.windows.indices {
        let win = s.windows[w]
        // Names keep the server's spelling (they address the server); the screen check below
        // covers how they are shown.
        shownSafe(win.topic, "topic of \(w)")
        for l in win.scrollback.lines {
            // A line keeps the IRC formatting codes (and CTCP's 0x01) for the view to turn into
            // attributes or leave out: nothing else; the screen check below covers the rest.
            shownSafe(TextSafety.stripIRCFormatting(l.text), "line in window \(w)")
            if let n = l.nick { shownSafe(n, "nick of a line in window \(w)") }
        }
        if w > 0 {
            require(channelNames.insert(s.caseMapping.fold(win.name)).inserted, "two windows named \(win.name.debugDescription)")
            // What the user types there is sent to this name.
            require(isOneTarget(win.name), "window named \(win.name.debugDescription)")
            // The name index agrees with the windows.
            require(s.windowIndex(win.name) == w, "windowIndex(\(win.name.debugDescription)) is \(String(describing: s.windowIndex(win.name))), not \(w)")
        }
        require(win.nicks.mapping == s.caseMapping, "nick list of \(w) keeps another casemapping")
        let members = win.nicks.displayOrder()
        require(members.count == win.nicks.count, "nick list count")
        var folded = Set<String>()
        for m in members {
            require(!m.nick.isEmpty, "empty nick in the nick list of \(w)")
            require(folded.insert(s.caseMapping.fold(m.nick)).inserted, "\(m.nick.debugDescription) twice in the nick list of \(w)")
        }
    }
}

/// Every window as the screen would show it.
func checkScreens(_ s: inout ClientState) {
    let back = s.activeIndex
    for w in s.windows.indices {
        s.switchTo(w)
        for (y, row) in s.frame().lines().enumerated() { shownSafe(row, "screen row \(y) of window \(w)") }
    }
    s.switchTo(back)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input, salt: 0xC11E)
    var config = ClientConfig(nick: "me", userName: "me", server: "irc.test:6667")
    config.channels = rng.below(2) == 0 ? ["#c"] : []
    var s = ClientState(config: config)
    var now: Int64 = 1_700_000_000_000
    s.apply(.resize(cols: 10 + rng.below(150), rows: 3 + rng.below(50)), now: now)
    s.apply(.connecting("irc.test:6667"), now: now)
    s.apply(.connected, now: now)
    drain(&s)
    if rng.below(2) == 0 {
        for l in [":srv 001 me :Welcome", ":srv 005 me CASEMAPPING=rfc1459 CHANTYPES=#& PREFIX=(ov)@+ :are supported",
                  ":me!me@h JOIN #c", ":srv 353 me = #c :@me +bob carol", ":srv 366 me #c :End of /NAMES list."] {
            s.apply(.received(Array(l.utf8)), now: now)
        }
        drain(&s)
    }
    let sizes = chunkings(count: input.count, &rng)
    var framer = LineFramer(maxLineLength: 16_384)
    var lines = 0
    func feed(_ event: LineFramer.Event) {
        switch event {
        case .line(let l):
            // The client reads the source's parts with IRCSource: they must join back to it.
            if let m = try? IRCMessage(parsing: l), let src = m.source {
                require(IRCSource(parsing: src).description == src, "IRCSource round trip: \(hex(src.utf8))")
            }
            s.apply(.received(l), now: now)
        case .overlong: s.apply(.receivedOverlong, now: now)
        }
        drain(&s)
        lines += 1
        // What else happens between two lines, as the data decides.
        switch rng.below(16) {
        case 0:
            now += Int64(rng.below(200_000))
            s.apply(.tick, now: now)
        case 1:
            s.apply(.resize(cols: 1 + rng.below(200), rows: 1 + rng.below(60)), now: now)
        case 2 where rng.below(4) == 0:
            s.apply(.disconnected(reason: "fuzz", retryAt: now + 1000), now: now)
            now += 1000
            s.apply(.connecting("irc.test:6667"), now: now)
            s.apply(.connected, now: now)
        case 3 where rng.below(8) == 0:
            checkScreens(&s)
        default:
            now += Int64(rng.below(50))
        }
        drain(&s)
    }
    for piece in pieces(input, sizes[rng.below(sizes.count)]) {
        framer.push(Array(piece), feed)
    }
    framer.finish(feed)
    checkState(&s)
    checkScreens(&s)
    drain(&s)
    return 0
}
