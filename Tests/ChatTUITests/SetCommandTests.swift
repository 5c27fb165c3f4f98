import Testing
@testable import ChatTUI

/// `/set`: settings listed, shown, changed at run time (and saved: `Effect.saveSetting`),
/// reset; bad keys and values refused; Tab completes the keys.
@Suite(.serialized, .compute) struct SetCommandTests {
    func client() -> ScriptedClient { ScriptedClient.joined("#c") }

    func saves(_ t: inout ScriptedClient) -> [Effect] {
        t.state.takeEffects().filter { if case .saveSetting = $0 { true } else { false } }
    }

    @Test func listsEveryKeyWithItsValueOrDefault() {
        var t = client()
        t.enter("/set")
        let shown = t.texts()
        #expect(shown.contains("  realname = \"chat-tui user\" (default)"))
        #expect(shown.contains("  scrollback = 10000 (default)"))
        #expect(shown.contains("  colors.status = \"white,blue\" (default)"))
        #expect(shown.contains("  log_dir (not set)"))
        t.enter("/set mouse")
        #expect(t.texts().last == "mouse = true (default)")
    }

    @Test func changesAtRunTimeAndAsksToSave() {
        var t = client()
        t.enter("/set highlights swift, release")
        #expect(t.state.highlights == ["swift", "release"])
        #expect(saves(&t) == [.saveSetting(key: "highlights", value: .list(["swift", "release"]))])
        t.recv(":bob!b@h PRIVMSG #c :the release is out")
        #expect(t.state.activeWindow.scrollback.lines.last?.highlight == true)
        // /hilight changes the live list, which /set shows.
        t.enter("/hilight tea")
        t.enter("/set highlights")
        #expect(t.texts().last == "highlights = [\"swift\", \"release\", \"tea\"]")

        t.enter("/set strip_formatting on")
        #expect(!t.state.showFormatting)
        t.recv(":bob!b@h PRIVMSG #c :\u{2}bold\u{2}")
        #expect(t.state.activeWindow.scrollback.lines.last?.text == "bold")

        t.enter("/set ignores bob messages")
        #expect(t.state.ignores == [Ignore(mask: "bob!*@*", kinds: [.messages])])
        t.enter("/set colors.status black,cyan")
        #expect(saves(&t).last == .saveSetting(key: "colors.status", value: .string("black,cyan")))
        #expect(ColorScheme(t.state.settings)[.status] == .init(foreground: 0, background: 6))
        t.enter("/set nick carol")
        #expect(t.texts().last == "nick = \"carol\" (used from the next start)")
        #expect(t.state.nick == "me")
    }

    @Test func resetGoesBackToTheDefaultAndRemovesTheKey() {
        var t = client()
        t.enter("/set scrollback 500")
        t.enter("/set -reset scrollback")
        #expect(t.state.settings.values["scrollback"] == nil)
        #expect(saves(&t).last == .saveSetting(key: "scrollback", value: nil))
        #expect(t.texts().last == "scrollback = 10000 (default) (used from the next start)")
    }

    @Test func badKeysAndValuesAreClearErrorsAndChangeNothing() {
        var t = client()
        let cases: [(String, String)] = [
            ("/set colour red", "colour: unknown setting (/set lists them)"),
            ("/set scrollback lots", "scrollback: lots is not a whole number."),
            ("/set scrollback 5", "scrollback: must be from 100 to 1000000"),
            ("/set mouse maybe", "mouse: maybe is not on or off."),
            ("/set nick 9lives", "nick: \"9lives\" is not a valid nick"),
            ("/set colors.title plaid", "colors.title: \"plaid\" is not a colour"),
            ("/set networks.home.port 1", "networks.home.port: unknown key port in a network"),
            ("/set networks.home.address nohost:0", "networks.home.address:"),
            ("/set ignores bob sometimes", "ignores: \"bob sometimes\": /ignore takes messages, joins or all, not sometimes."),
        ]
        var config = ClientConfig(nick: "me", userName: "me", server: "test:6667")
        config.addressCheck = { $0.hasSuffix(":0") ? "port 0" : nil }
        t.state = ClientState(config: config)
        for (line, said) in cases {
            t.enter(line)
            #expect(t.texts().last?.hasPrefix(said) == true, "\(line): \(t.texts().last ?? "")")
            #expect(t.state.activeWindow.scrollback.lines.last?.kind == .error)
        }
        #expect(t.state.settings == Settings())
        #expect(saves(&t).isEmpty)
    }

    @Test func tabCompletesTheKeys() {
        var t = client()
        t.type("/set str")
        t.key(.tab)
        #expect(t.state.editor.text == "/set strip_formatting ")
        t.key(.ctrl("u"))
        t.type("/set colors.status_m")
        t.key(.tab)
        #expect(t.state.editor.text == "/set colors.status_mention ")
        t.key(.ctrl("u"))
        t.type("/set -reset sc")
        t.key(.tab)
        #expect(t.state.editor.text == "/set -reset scrollback ")
        // Elsewhere Tab completes as before: /set itself, a nick.
        t.key(.ctrl("u"))
        t.type("/se")
        t.key(.tab)
        #expect(t.state.editor.text == "/set ")
    }
}
