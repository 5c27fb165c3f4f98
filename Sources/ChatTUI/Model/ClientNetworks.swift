/// Every network the client holds, each a `ClientState` of its own (windows, connection,
/// nick, pacing), and the one list of windows across them, as irssi and WeeChat keep it.
///
/// Windows are numbered across networks in the networks' order: the first network's server
/// window is 1, its channels and queries follow, then the next network's server window.
/// Keys and typed lines go to the network of the window being looked at; lines from a
/// server go to its network (`apply(_:to:now:)`). Moving between windows, `/window`,
/// `/connect`, `/disconnect` and `/quit` come back from the states as effects and are
/// carried out here. Pure, like the states: the event loop feeds it and performs what
/// `takeEffects` returns.
struct ClientNetworks: Sendable {
    private(set) var networks: [ClientState] = []
    /// The names the user calls the networks by (`[networks.NAME]`, or `HOST:PORT`).
    private(set) var names: [String] = []
    /// The network whose window is on the screen.
    private(set) var active = 0
    private var routed: [RoutedEffect] = []
    private var now: Int64 = 0
    /// /quit was said in one network and sent to the others.
    private(set) var quitting = false

    init(name: String, config: ClientConfig) {
        var first = ClientState(config: config)
        first.context.delegatesWindows = true
        networks = [first]
        names = [name]
    }

    /// Adds a network (a further one at start, or `/connect`); `focus` takes the user to its
    /// window. Returns its index.
    @discardableResult
    mutating func add(name: String, config: ClientConfig, focus: Bool, now: Int64) -> Int {
        self.now = now
        var state = ClientState(config: config)
        state.context.delegatesWindows = true
        state.context.focused = false
        state.shareSettings(from: networks[active])
        networks.append(state)
        names.append(name)
        let i = networks.count - 1
        if focus { switchNetwork(to: i, window: networks[i].activeIndex) }
        return i
    }

    /// The network named `name` (any case).
    func index(of name: String) -> Int? {
        names.firstIndex { $0.lowercased() == name.lowercased() }
    }

    var activeState: ClientState { networks[active] }

    // MARK: - Actions

    /// Keys, the terminal, the clock and signals: to the network on the screen (the clock
    /// and the size to all of them).
    mutating func apply(_ action: Action, now: Int64) {
        self.now = now
        switch action {
        case .resize, .tick:
            for i in networks.indices { networks[i].apply(action, now: now) }
        default:
            networks[active].apply(action, now: now)
            collect(active)
            // /set, /hilight, /ignore and the toggles hold for every network.
            let from = networks[active]
            for i in networks.indices where i != active { networks[i].shareSettings(from: from) }
        }
    }

    /// What network `network`'s connection brings (lines, opening, losing it).
    mutating func apply(_ action: Action, to network: Int, now: Int64) {
        self.now = now
        networks[network].apply(action, now: now)
    }

    /// Effects of every network since the last call, oldest first per network.
    mutating func takeEffects() -> [RoutedEffect] {
        for i in networks.indices { collect(i) }
        defer { routed.removeAll(keepingCapacity: true) }
        return routed
    }

    /// When some network next needs a `.tick`.
    var nextDeadline: Int64? { networks.compactMap(\.nextDeadline).min() }

    /// Moves network `i`'s effects out, carrying out those that are the container's.
    private mutating func collect(_ i: Int) {
        for e in networks[i].takeEffects() {
            switch e {
            case .window(let request): window(request, from: i)
            case .connectNetwork(let name): connect(name, from: i)
            case .disconnectNetwork(let name): disconnect(name, from: i)
            case .quit:
                guard !quitting else { continue }
                quitting = true
                // Every other network says goodbye too, with the same message.
                for j in networks.indices where j != i && !networks[j].quitting {
                    networks[j].runCommand("quit", networks[i].quitMessage)
                    for e2 in networks[j].takeEffects() where e2 != .quit { routed.append(RoutedEffect(network: j, effect: e2)) }
                }
                routed.append(RoutedEffect(network: i, effect: .quit))
            default: routed.append(RoutedEffect(network: i, effect: e))
            }
        }
    }

    // MARK: - Networks

    private mutating func connect(_ name: String, from i: Int) {
        guard let j = index(of: name) else {
            // A network not open yet: the event loop reads the configuration and connects.
            return routed.append(RoutedEffect(network: i, effect: .connectNetwork(name)))
        }
        go(to: j, window: 0)
        if case .disconnected(_, nil) = networks[j].connection {
            routed.append(RoutedEffect(network: j, effect: .reconnect))
        } else {
            networks[j].info("Already connected to \(names[j]) (window \(number(of: j, 0))); /disconnect \(names[j]) leaves it.", window: 0)
        }
    }

    private mutating func disconnect(_ name: String?, from i: Int) {
        guard let j = name.map(index(of:)) ?? i else {
            return networks[i].error("There is no network \(name ?? ""): " + names.joined(separator: ", ") + " \(names.count == 1 ? "is" : "are") open.")
        }
        if case .disconnected(_, nil) = networks[j].connection {
            return networks[i].error("\(names[j]) is not connected; /connect \(names[j]) connects again.")
        }
        networks[j].sayQuit()
        for e in networks[j].takeEffects() { routed.append(RoutedEffect(network: j, effect: e)) }
        routed.append(RoutedEffect(network: j, effect: .disconnectNetwork(nil)))
    }

    // MARK: - The window list

    /// Windows in all networks.
    var windowCount: Int { networks.reduce(0) { $0 + $1.windows.count } }

    /// The number (1-based) of network `network`'s window `index`.
    func number(of network: Int, _ index: Int) -> Int {
        networks[..<network].reduce(0) { $0 + $1.windows.count } + index + 1
    }

    /// The number of the window on the screen.
    var activeNumber: Int { number(of: active, networks[active].activeIndex) }

    /// The network and window index of window `number`, if it is open.
    func locate(_ number: Int) -> (network: Int, index: Int)? {
        guard number >= 1 else { return nil }
        var n = number - 1
        for (j, s) in networks.enumerated() {
            if n < s.windows.count { return (j, n) }
            n -= s.windows.count
        }
        return nil
    }

    private mutating func window(_ request: WindowRequest, from i: Int) {
        let total = windowCount
        switch request {
        case .number(let n, let quiet):
            guard let (j, k) = locate(n) else {
                if !quiet { networks[i].error("There is no window \(n): windows 1 to \(total) are open.") }
                return
            }
            go(to: j, window: k)
        case .next: goToNumber(activeNumber % total + 1)
        case .previous: goToNumber((activeNumber + total - 2) % total + 1)
        case .mostActive:
            // The most important activity; among equals, the lowest number.
            var best: (number: Int, activity: Activity)?
            for (number, activity) in activityList() where activity > .events {
                if best == nil || activity > best!.activity { best = (number, activity) }
            }
            if let best { goToNumber(best.number) }
        case .list:
            for (j, s) in networks.enumerated() {
                for (k, w) in s.windows.enumerated() {
                    let what = w.kind == .server ? "server" : w.kind == .query ? "query" : (w.joined ? "channel" : "channel, not joined")
                    let name = (networks.count > 1 ? names[j] + "/" : "") + w.name
                    networks[i].info("  \(number(of: j, k)): \(name) (\(what))" + (w.unread > 0 ? ", \(w.unread) unread" : ""))
                }
            }
        case .move(let n):
            let first = number(of: i, 0)
            let count = networks[i].windows.count
            guard networks[i].activeIndex > 0 else { return networks[i].error("The server window stays first.") }
            guard n >= first + 1, n < first + count else {
                return networks[i].error("Windows \(first + 1) to \(first + count - 1) can be moved to" + (networks.count > 1 ? " (a window stays among its network's)." : "."))
            }
            networks[i].moveWindow(networks[i].activeIndex, to: n - first)
        }
    }

    private mutating func goToNumber(_ n: Int) {
        if let (j, k) = locate(n) { go(to: j, window: k) }
    }

    /// Shows network `j`'s window `k`.
    private mutating func go(to j: Int, window k: Int) {
        if j == active { networks[j].switchTo(k) } else { switchNetwork(to: j, window: k) }
    }

    /// Takes the user (and the input line) from the active network's window to network `j`'s.
    private mutating func switchNetwork(to j: Int, window k: Int) {
        guard j != active else { return }
        networks[j].takeInterface(from: networks[active])
        networks[active].blur()
        active = j
        networks[j].focus(k)
    }

    /// Every window with activity but the one on the screen, by number.
    func activityList() -> [(number: Int, activity: Activity)] {
        var out: [(number: Int, activity: Activity)] = []
        var n = 0
        for (j, s) in networks.enumerated() {
            for (k, w) in s.windows.enumerated() {
                n += 1
                if w.activity > .none && !(j == active && k == s.activeIndex) { out.append((n, w.activity)) }
            }
        }
        return out
    }

    // MARK: - The screen

    /// The screen: the active network's window, with the window list and the status bar
    /// numbered across networks.
    mutating func frame() -> ScreenFrame {
        networks[active].context.numberOffset = number(of: active, 0) - 1
        networks[active].context.networkName = networks.count > 1 ? names[active] : nil
        networks[active].context.activity = activityList()
        var f = networks[active].frame()
        if f.geometry.buflistWidth > 0 { f.buflist = buflistRows(width: f.geometry.buflistWidth, height: f.geometry.chatHeight) }
        return f
    }
}
