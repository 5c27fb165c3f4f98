import Testing
@testable import ChatTUI

/// Key bindings as a table: the defaults, `[keys]`, `/bind`, `/unbind`, and clear errors.
@Suite(.serialized, .compute) struct KeyTableTests {
    func client(_ settings: Settings = Settings()) -> ScriptedClient {
        var config = ClientConfig(nick: "me", userName: "me", server: "test:6667")
        config.settings = settings
        config.sendBurst = 1_000_000
        var t = ScriptedClient.registered(channels: ["#c"])
        t.state = ClientState(config: config)
        t.apply(.resize(cols: 80, rows: 24))
        t.apply(.connected)
        t.recv(":srv 001 me :Welcome me")
        _ = t.sent()
        return t
    }

    @Test func everyDefaultKeyHasANameThatReadsBack() {
        for (key, action) in KeyTable.defaults {
            let name = KeyName.name(key)
            #expect(name != nil, "\(key)")
            #expect(name.flatMap(KeyName.key) == key, "\(name ?? "")")
            #expect(KeyAction(name: action.name) == action, "\(action.name)")
        }
        #expect(KeyTable.defaults[.ctrl("u")] == .killLine)
        #expect(KeyTable.defaults[.alt("0")] == .window(10))
        #expect(KeyTable.defaults[.alt("N")] == .toggleNickList)
        #expect(KeyName.key("ctrl-i") == nil && KeyName.key("hyper-x") == nil && KeyName.key("f13") == nil)
    }

    @Test func theFilesKeysGoOverTheDefaults() {
        var s = Settings()
        s.values["keys.ctrl-g"] = .string("/join #bound")
        s.values["keys.ctrl-u"] = .string("kill-to-end")
        s.values["keys.alt-1"] = .string("none")
        var t = client(s)
        t.key(.ctrl("g"))
        #expect(t.sent() == ["JOIN #bound"])
        t.type("abc")
        t.key(.home)
        t.key(.right)
        t.key(.ctrl("u"))
        #expect(t.state.editor.text == "a")
        t.key(.ctrl("a"))                    // untouched defaults stay
        #expect(t.state.editor.cursor == 0)
        t.key(.alt("2"))                     // #bound's window
        #expect(t.state.activeIndex == 1)
        t.key(.alt("1"))                     // unbound: nothing (by default, the server window)
        #expect(t.state.activeIndex == 1)
    }

    @Test func bindAndUnbindChangeTheTableAndSave() {
        var t = client()
        t.enter("/bind ctrl-b")
        #expect(t.texts().last == "ctrl-b = insert-bold")
        t.enter("/bind ctrl-g kill-line")
        #expect(t.state.takeEffects().contains(.saveSetting(key: "keys.ctrl-g", value: .string("kill-line"))))
        t.type("gone")
        t.key(.ctrl("g"))
        #expect(t.state.editor.isEmpty)
        t.enter("/unbind ctrl-u")
        t.type("kept")
        t.key(.ctrl("u"))
        #expect(t.state.editor.text == "kept")
        t.key(.ctrl("a"))
        t.key(.ctrl("k"))
        t.enter("/set -reset keys.ctrl-u")
        t.type("back")
        t.key(.ctrl("u"))
        #expect(t.state.editor.isEmpty)
        t.enter("/bind")
        #expect(t.texts().contains("  ctrl-g = kill-line"))
        #expect(t.texts().contains("  alt-0 = window-10"))
    }

    @Test func unknownKeysAndActionsAreClearErrors() {
        var t = client()
        t.enter("/bind hyper-x yank")
        #expect(t.texts().last?.hasPrefix("keys.hyper-x: unknown key name (ctrl-a…ctrl-z") == true)
        t.enter("/bind ctrl-g fly")
        #expect(t.texts().last?.hasPrefix("keys.ctrl-g: unknown action \"fly\" (a /command, or one of: beginning-of-line") == true)
        t.enter("/bind ctrl-q")
        #expect(t.texts().last == "ctrl-q is not bound.")
        #expect(t.state.settings == Settings())
    }
}
