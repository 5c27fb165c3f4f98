@testable import ChatTUI

/// chat-tui's `ClientState` at a fixed time, fed lines and keys by the test as the event
/// loop would feed them.
struct ScriptedClient {
    var state: ClientState
    var now: Int64 = 1_700_000_000_000

    init(mode: ClientConfig.Mode = .irc, nick: String = "me", channels: [String] = [], scrollback: Int = 10_000,
         cols: Int = 80, rows: Int = 24, logging: Bool = false, pacing: Bool = false, formatting: Bool = true) {
        var c = ClientConfig(nick: nick, userName: "me", server: "test:6667")
        c.mode = mode
        c.channels = channels
        c.scrollbackLines = scrollback
        c.logging = logging
        c.showFormatting = formatting
        // Most tests send many lines at one instant; pacing has its own tests.
        if !pacing { c.sendBurst = 1_000_000 }
        state = ClientState(config: c)
        state.apply(.resize(cols: cols, rows: rows), now: now)
    }

    /// Connects and registers: CAP LS, NICK, USER, then 001 and ISUPPORT.
    static func registered(nick: String = "me", channels: [String] = [], cols: Int = 80, rows: Int = 24) -> ScriptedClient {
        var t = ScriptedClient(nick: nick, channels: channels, cols: cols, rows: rows)
        t.apply(.connected)
        t.recv(":srv 001 \(nick) :Welcome \(nick)")
        t.recv(":srv 005 \(nick) CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ :are supported")
        _ = t.sent()
        return t
    }

    mutating func apply(_ a: Action) { state.apply(a, now: now) }
    mutating func recv(_ line: String) { apply(.received(Array(line.utf8))) }
    mutating func key(_ k: Key) { apply(.key(k)) }
    mutating func type(_ text: String) { key(.text(text)) }
    mutating func enter(_ text: String) { type(text); key(.enter) }

    /// Lines the client sent since the last call.
    mutating func sent() -> [String] {
        state.takeEffects().compactMap { if case .send(let l) = $0 { return l } else { return nil } }
    }

    /// Texts of the lines in window `name` (or the active one).
    func texts(_ name: String? = nil) -> [String] {
        let w = name.flatMap { state.windowIndex($0) }.map { state.windows[$0] } ?? state.activeWindow
        return w.scrollback.lines.map(\.text)
    }

    func window(_ name: String) -> Window? { state.windowIndex(name).map { state.windows[$0] } }

    /// The screen as text.
    mutating func screen() -> [String] { state.frame().lines() }
}
