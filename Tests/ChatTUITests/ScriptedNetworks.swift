@testable import ChatTUI

/// chat-tui's `ClientNetworks` with two (or more) registered networks at a fixed time, fed
/// keys and each network's lines as the event loop would feed them.
struct ScriptedNetworks {
    var model: ClientNetworks
    var now: Int64 = 1_700_000_000_000

    /// Networks `names`, each connected and registered as `me`, the first on the screen.
    init(_ names: [String] = ["home", "work"], cols: Int = 100, rows: Int = 30) {
        func config(_ name: String) -> ClientConfig {
            var c = ClientConfig(nick: "me", userName: "me", server: name + ".example:6667")
            c.sendBurst = 1_000_000
            return c
        }
        model = ClientNetworks(name: names[0], config: config(names[0]))
        for n in names.dropFirst() { model.add(name: n, config: config(n), focus: false, now: now) }
        model.apply(.resize(cols: cols, rows: rows), now: now)
        for i in names.indices {
            model.apply(.connected, to: i, now: now)
            recv(i, ":srv 001 me :Welcome me")
            recv(i, ":srv 005 me CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ :are supported")
        }
        _ = effects()
    }

    mutating func recv(_ network: Int, _ line: String) { model.apply(.received(Array(line.utf8)), to: network, now: now) }
    mutating func key(_ k: Key) { model.apply(.key(k), now: now) }
    mutating func type(_ text: String) { key(.text(text)) }
    mutating func enter(_ text: String) { type(text); key(.enter) }

    /// Joins `channel` on `network` as the server would confirm it.
    mutating func join(_ network: Int, _ channel: String) {
        recv(network, ":me!u@h JOIN \(channel)")
        recv(network, ":srv 353 me = \(channel) :me bob")
        recv(network, ":srv 366 me \(channel) :End of NAMES")
    }

    mutating func effects() -> [RoutedEffect] { model.takeEffects() }

    /// Lines sent since the last call, with the network each went to.
    mutating func sent() -> [RoutedEffect] { effects().filter { if case .send = $0.effect { true } else { false } } }

    var activeWindow: Window { model.activeState.activeWindow }
    var activeName: String { "\(model.names[model.active])/\(activeWindow.name)" }

    /// Texts of the lines of the window on the screen.
    var texts: [String] { activeWindow.scrollback.lines.map(\.text) }

    mutating func screen() -> [String] { model.frame().lines() }
    mutating func statusBar() -> String { let f = model.frame(); return f.lines()[f.geometry.statusRow!] }
}
