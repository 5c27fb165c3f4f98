/// The options a telnet client is offered so that the server can edit its input line
/// (`HumanLineEditor`), and what the client answered: we echo (`WILL ECHO`) and suppress
/// go-ahead (`WILL SGA`), so the client sends every key as it is typed and shows only what we
/// send; it tells us its window size (`DO NAWS`) and terminal type (`DO TTYPE`).
///
/// Each option keeps the part of RFC 1143's Q method it needs: we ask once, at the start
/// (`wantYes`), so an agreement or a refusal is an answer and gets no reply; a request for an
/// option already in the state asked for is not answered either (no loops). Character mode
/// is on when the client agreed to both ECHO and SGA; when it refuses one of them, the other
/// is withdrawn, and the client keeps its own line editing and echo (line mode).
public struct TelnetCharacterMode: Sendable, Equatable {
    enum State: UInt8, Sendable { case no, wantYes, yes }

    var echo = State.wantYes
    var sga = State.wantYes
    var naws = State.wantYes
    var ttype = State.wantYes
    /// The client suppresses its go-aheads (its own SGA, which we accept when offered).
    var peerSGA = false
    /// The window's width and height from NAWS; nil until told (or told 0, "unknown").
    public private(set) var columns: Int?
    public private(set) var rows: Int?
    /// The first terminal type the client names (`TTYPE IS`), as sent (often upper case).
    public private(set) var terminalType: String?
    /// Grows whenever the window size or terminal type changes, so the session can tell.
    public private(set) var changes = 0

    /// What we send first: WILL ECHO, WILL SGA, DO NAWS, DO TTYPE.
    public static let offer: [UInt8] = [
        TelnetCode.iac, TelnetCode.will, TelnetCode.echo,
        TelnetCode.iac, TelnetCode.will, TelnetCode.suppressGoAhead,
        TelnetCode.iac, TelnetCode.do, TelnetCode.naws,
        TelnetCode.iac, TelnetCode.do, TelnetCode.terminalType,
    ]
    /// `IAC SB TTYPE SEND IAC SE` (RFC 1091): asks for the terminal type.
    public static let sendTerminalType: [UInt8] = [TelnetCode.iac, TelnetCode.sb, TelnetCode.terminalType, 1,
                                                   TelnetCode.iac, TelnetCode.se]
    /// Terminal type names longer than this are cut (RFC 1091 allows 40 characters).
    static let maxTerminalType = 40

    public init() {}

    /// The client agreed to both: it sends each key and leaves echoing to us.
    public var isOn: Bool { echo == .yes && sga == .yes }

    /// The client refused (or later withdrew) one of the two: line mode.
    public var isRefused: Bool { echo == .no || sga == .no }

    /// Handles WILL/WONT/DO/DONT (`command`) for one of our four options, appending any reply;
    /// false for any other option, which the filter refuses as before.
    mutating func negotiate(_ command: UInt8, option: UInt8, replies: inout [UInt8]) -> Bool {
        switch option {
        case TelnetCode.echo, TelnetCode.suppressGoAhead:
            guard command == TelnetCode.do || command == TelnetCode.dont else {
                // The client's own ECHO or SGA: its SGA is welcome (no go-aheads from it
                // either), answered once; it echoing to us makes no sense (refused as before).
                guard option == TelnetCode.suppressGoAhead else { return false }
                let wanted = command == TelnetCode.will
                if wanted != peerSGA {
                    peerSGA = wanted
                    replies += [TelnetCode.iac, wanted ? TelnetCode.do : TelnetCode.dont, option]
                }
                return true
            }
            var state = option == TelnetCode.echo ? echo : sga
            let agreed = command == TelnetCode.do
            switch (state, agreed) {
            case (.wantYes, true): state = .yes
            case (.wantYes, false): state = .no
            case (.yes, false):
                state = .no
                replies += [TelnetCode.iac, TelnetCode.wont, option]
            case (.no, true):
                // Asked again after a refusal: we would still like it.
                state = .yes
                replies += [TelnetCode.iac, TelnetCode.will, option]
            default: break  // already in the state asked for
            }
            if option == TelnetCode.echo { echo = state } else { sga = state }
            withdrawHalf(replies: &replies)
            return true
        case TelnetCode.naws, TelnetCode.terminalType:
            guard command == TelnetCode.will || command == TelnetCode.wont else { return false }
            var state = option == TelnetCode.naws ? naws : ttype
            let agreed = command == TelnetCode.will
            var askType = false
            switch (state, agreed) {
            case (.wantYes, true):
                state = .yes
                askType = true
            case (.wantYes, false): state = .no
            case (.yes, false):
                state = .no
                replies += [TelnetCode.iac, TelnetCode.dont, option]
            case (.no, true):
                state = .yes
                askType = true
                replies += [TelnetCode.iac, TelnetCode.do, option]
            default: break
            }
            if option == TelnetCode.naws {
                naws = state
            } else {
                ttype = state
                if askType { replies += Self.sendTerminalType }
            }
            return true
        default:
            return false
        }
    }

    /// With one of ECHO and SGA refused, the other is given back: a client that suppresses
    /// go-aheads but echoes nothing, or the reverse, would leave its user typing blind.
    private mutating func withdrawHalf(replies: inout [UInt8]) {
        if echo == .no && sga == .yes {
            sga = .no
            replies += [TelnetCode.iac, TelnetCode.wont, TelnetCode.suppressGoAhead]
        } else if sga == .no && echo == .yes {
            echo = .no
            replies += [TelnetCode.iac, TelnetCode.wont, TelnetCode.echo]
        }
    }

    /// A whole subnegotiation (option byte first, `IAC IAC` already made one 0xFF): NAWS's
    /// window size, TTYPE's `IS name`. Anything else, or one for an option not agreed, is
    /// ignored.
    mutating func subnegotiation(_ bytes: [UInt8]) {
        guard let option = bytes.first else { return }
        if option == TelnetCode.naws, naws == .yes, bytes.count == 5 {
            let w = Int(bytes[1]) << 8 | Int(bytes[2])
            let h = Int(bytes[3]) << 8 | Int(bytes[4])
            let (c, r) = (w == 0 ? nil : w, h == 0 ? nil : h)
            if c != columns || r != rows {
                columns = c
                rows = r
                changes += 1
            }
        } else if option == TelnetCode.terminalType, ttype == .yes, terminalType == nil, bytes.count >= 3, bytes[1] == 0 {
            // Printable ASCII only: the name decides escapes and colour, and is never shown.
            let name = bytes[2...].prefix(Self.maxTerminalType).filter { $0 > 0x20 && $0 < 0x7F }
            guard !name.isEmpty else { return }
            terminalType = String(decoding: name, as: UTF8.self)
            changes += 1
        }
    }

    /// Whether the terminal type names a colour terminal: xterm, screen, tmux, rxvt, linux,
    /// PuTTY and their variants (`xterm-256color`); a vt100 has none.
    public var hasColour: Bool {
        guard let t = terminalType?.lowercased() else { return false }
        return ["xterm", "screen", "tmux", "rxvt", "linux", "putty", "ansi", "konsole", "gnome", "alacritty", "kitty"]
            .contains { t.hasPrefix($0) }
    }

    /// Whether the terminal type names a terminal that takes ANSI escape sequences: any named
    /// type but the ones that say they do not ("dumb", "unknown", "network").
    public var understandsEscapes: Bool {
        guard let t = terminalType?.lowercased() else { return false }
        return !(t == "dumb" || t == "unknown" || t == "network")
    }
}
