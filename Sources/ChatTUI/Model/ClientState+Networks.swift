/// The commands about networks and the window list: `/connect`, `/disconnect`, `/buflist`.
/// Connecting is the event loop's and the list of windows the container's
/// (`ClientNetworks`): the state only says what was asked.
extension ClientState {
    static let networkCommandHelp: [CommandHelp] = [
        .init(name: "connect", usage: "/connect NETWORK|HOST:PORT", summary: "connect to a network of the configuration file, or a server, beside those open"),
        .init(name: "disconnect", usage: "/disconnect [NETWORK]", summary: "leave a network (this window's by default); its windows stay, /connect comes back"),
        .init(name: "buflist", usage: "/buflist [on|off]", summary: "show or hide the list of windows at the left (also Alt-Shift-B)"),
    ]
    static let networkCommandNames: Set<String> = Set(networkCommandHelp.map(\.name))
    static let maxConnectArgument = 300

    mutating func runNetworkCommand(_ name: String, _ args: String) {
        let words = args.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch name {
        case "connect":
            guard words.count == 1 else { return usage("connect") }
            // A host name is at most 253 bytes; nothing longer or with controls (a formatting
            // key typed in it) is a network or a server.
            guard words[0].utf8.count <= Self.maxConnectArgument, !words[0].unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                return error("/connect takes a network's name or HOST:PORT: at most \(Self.maxConnectArgument) bytes, no control characters.")
            }
            emit(.connectNetwork(words[0]))
        case "disconnect":
            guard words.count <= 1 else { return usage("disconnect") }
            emit(.disconnectNetwork(words.first))
        default:
            switch words.first?.lowercased() {
            case nil: buflistEnabled.toggle()
            case "on": buflistEnabled = true
            case "off": buflistEnabled = false
            default: return usage("buflist")
            }
            if buflistEnabled && cols < ScreenGeometry.buflistMinCols {
                info("The window list shows on terminals at least \(ScreenGeometry.buflistMinCols) columns wide.")
            }
        }
    }

    /// `/window N|list|move N` as a request to the container; nil for what stays in the
    /// network (`close`) and for mistakes, which `windowCommand` explains.
    static func windowRequest(_ words: [String]) -> WindowRequest? {
        switch words.first?.lowercased() {
        case "list": return .list
        case "move": return words.count == 2 ? Int(words[1]).map(WindowRequest.move) : nil
        case let w?: return Int(w).map { .number($0, quiet: false) }
        case nil: return nil
        }
    }

    /// The user goes to another network's window: the read marker goes to the end of the
    /// window left, and lines arriving in it count as activity from now on.
    mutating func blur() {
        windows[activeIndex].markerSeq = windows[activeIndex].scrollback.endSeq
        context.focused = false
        completion = nil
        search = nil
        quitConfirm = false
        paste = .none
        pasteEscape = .none
    }

    /// What goes with the user from one network's window to another's: the input line and
    /// its history, a paste being read or asked about, and the settings (which every network
    /// shares: `/set`, `/hilight`, `/ignore` and the toggles change them for all).
    mutating func takeInterface(from other: ClientState) {
        editor = other.editor
        history = other.history
        paste = other.paste
        pasteEscape = other.pasteEscape
        shareSettings(from: other)
    }

    /// The settings every network shares, and the terminal's size.
    mutating func shareSettings(from other: ClientState) {
        settings = other.settings
        keyTable = other.keyTable
        showFormatting = other.showFormatting
        highlights = other.highlights
        ignores = other.ignores
        nickListEnabled = other.nickListEnabled
        buflistEnabled = other.buflistEnabled
        if cols != other.cols || rows != other.rows {
            cols = other.cols
            rows = other.rows
            updateInputScroll()
        }
    }

    /// `/disconnect`: QUIT goes now (past the pacer) when there is a connection to say it on.
    mutating func sayQuit() {
        guard config.mode == .irc, connection == .connected || connection == .registering else { return }
        emit(.send("QUIT :" + quitMessage))
    }
}
