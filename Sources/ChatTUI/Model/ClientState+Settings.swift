import ChatProtocol

/// `/set`: the configuration's settings listed, shown, changed at run time and saved back to
/// the file (the loop saves on `Effect.saveSetting`).
extension ClientState {
    static let settingsCommandHelp: [CommandHelp] = [
        .init(name: "set", usage: "/set [-reset] [key [value]]", summary: "list, show or change a setting (saved to the configuration file)"),
        .init(name: "bind", usage: "/bind [key [action|/command]]", summary: "list the key bindings, show one, or bind a key (saved)"),
        .init(name: "unbind", usage: "/unbind key", summary: "make a key do nothing (/set -reset keys.KEY brings its default back)"),
    ]

    /// `/bind` and `/unbind`: the `[keys]` settings under other names.
    mutating func runBindCommand(_ name: String, _ args: String) {
        let words = args.split(separator: " ", maxSplits: 1).map(String.init)
        guard let key = words.first else {
            if name == "unbind" { return usage(name) }
            info("Key bindings:")
            for l in keyTable.described { info("  " + l) }
            return
        }
        if name == "unbind" { return runSetCommand("keys.\(key) none") }
        guard words.count > 1 else {
            guard let k = KeyName.key(key) else { return runSetCommand("keys.\(key)") }   // says why not
            return info(keyTable[k].map { "\(key) = \($0.name)" } ?? "\(key) is not bound.")
        }
        runSetCommand("keys.\(key) \(words[1])")
    }

    /// Keys whose change shows at once; the others are used from the next start.
    static let settingsLive: Set<String> = ["highlights", "ignores", "strip_formatting", "mouse", "buflist"]

    mutating func runSetCommand(_ args: String) {
        var words = args.split(separator: " ", maxSplits: 1).map(String.init)
        let reset = words.first == "-reset"
        if reset { words = Settings.trimmed(Substring(words.dropFirst().joined(separator: " "))).split(separator: " ", maxSplits: 1).map(String.init) }
        guard let key = words.first else {
            if reset { return usage("set") }
            info("Settings" + (config.configPath.map { " (\($0))" } ?? "") + ":")
            for k in settings.allKeys { info("  " + describe(k)) }
            return
        }
        let kind: Settings.Kind
        switch Settings.kind(of: key) {
        case .success(let k): kind = k
        case .failure(let why): return error("\(key): \(why.message)")
        }
        if reset {
            settings.values[key] = nil
            changed(key, to: nil)
            return
        }
        guard words.count > 1 else { return info(describe(key)) }
        guard let value = Settings.value(typed: words[1], for: kind) else {
            return error("\(key): \(words[1]) is not \(kind == .bool ? "on or off" : "a whole number").")
        }
        if let problem = Settings.check(key, value, addressCheck: config.addressCheck) {
            return error("\(key): \(problem.message)")
        }
        settings.values[key] = value
        changed(key, to: value)
    }

    /// `key = value`, or `key = value (default)` for a key nobody set.
    private func describe(_ key: String) -> String {
        if let v = current(key) { return key + " = " + Settings.shown(key, v) }
        if let d = settings.effective(key) { return key + " = " + Settings.shown(key, d) + " (default)" }
        return key + " (not set)"
    }

    /// What a key holds now: the live highlights and ignores (`/hilight`, `/ignore` change
    /// them too), or what the file and `/set` gave.
    private func current(_ key: String) -> SettingValue? {
        switch key {
        case "highlights": highlights.isEmpty && settings.values[key] == nil ? nil : .list(highlights)
        case "ignores": ignores.isEmpty && settings.values[key] == nil ? nil : .list(ignores.map(\.setting))
        default: settings.values[key]
        }
    }

    /// Applies a changed setting and asks for it to be saved.
    private mutating func changed(_ key: String, to value: SettingValue?) {
        switch key {
        case "highlights": highlights = value?.list ?? []
        case "ignores": ignores = (value?.list ?? []).compactMap { try? Ignore.parse($0).get() }
        case "strip_formatting": showFormatting = !(value?.bool ?? false)
        case "buflist": buflistEnabled = value?.bool ?? false
        case _ where key.hasPrefix("keys."): keyTable = KeyTable(settings)
        default: break
        }
        let live = Self.settingsLive.contains(key) || key.hasPrefix("colors.") || key.hasPrefix("keys.")
        let shown = value.map { key + " = " + Settings.shown(key, $0) } ?? describe(key)
        emit(.saveSetting(key: key, value: value))
        info(shown + (live ? "" : " (used from the next start)") + (config.configPath == nil ? "" : "; saved."))
    }

    /// Tab after `/set ` completes the keys.
    func settingCompletion() -> Completion? {
        let (start, _) = editor.wordBeforeCursor()
        let before = String(editor.text.prefix(start)).lowercased()
        guard before == "/set " || before == "/set -reset " else { return nil }
        return Completion.begin(editor: editor, words: settings.allKeys)
    }
}
