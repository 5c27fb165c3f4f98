import ChatProtocol

/// The user's settings, as the configuration file and `/set` name them: dotted keys
/// (`nick`, `networks.home.address`, `colors.status`) to values, each checked against the
/// schema below. Pure: reading and writing the file is `ConfigFile`'s (Sources/ChatTUI/Settings).
struct Settings: Equatable, Sendable {
    /// What a setting holds, and so how it is checked and how `/set` reads typed text.
    enum Kind: Equatable, Sendable {
        case nick, userName, text, bool, path, address, fingerprint, color, networkName, keyAction
        /// A password: never shown (`/set` shows `********`).
        case secret
        /// `plain` or `external` (SASL)
        case saslMechanism
        case count(ClosedRange<Int>)
        case words(limit: Int)
        case channels
        case ignores
    }

    /// The keys set (by the file or `/set`); the others have their defaults.
    var values: [String: SettingValue] = [:]

    /// The keys at the top of the file, in the order `/set` lists them.
    static let topLevel: [(key: String, kind: Kind, help: String)] = [
        ("nick", .nick, "the nick to use (default: your login name)"),
        ("user", .userName, "the user name sent in USER (default: your login name)"),
        ("realname", .text, "the real name sent in USER"),
        ("network", .networkName, "the network `chat-tui connect` uses when given none"),
        ("highlights", .words(limit: ClientState.highlightLimit), "words that highlight a line, as your nick does"),
        ("ignores", .ignores, "masks to ignore, each optionally followed by messages or joins"),
        ("strip_formatting", .bool, "show mIRC formatting as plain text"),
        ("mouse", .bool, "capture the mouse for wheel scrolling"),
        ("scrollback", .count(100...1_000_000), "lines kept per window"),
        ("log_dir", .path, "a directory for one log file per window"),
        ("buflist", .bool, "show the list of windows at the left (Alt-Shift-B, /buflist)"),
    ] + loginKeys

    /// The login keys (SASL, the server password, a client certificate), at the top of the
    /// file (for every network) and in a `[networks.NAME]` table (for that one).
    static let loginKeys: [(key: String, kind: Kind, help: String)] = [
        ("sasl_mechanism", .saslMechanism, "log in with SASL while connecting: plain (user name and password) or external (the tls_cert)"),
        ("sasl_username", .text, "the account to log in to (SASL PLAIN; default: the nick)"),
        ("sasl_password", .secret, "its password (SASL PLAIN)"),
        ("tls_cert", .path, "a PEM file with a client certificate and its key, presented over TLS (SASL EXTERNAL, NickServ CERT)"),
        ("password", .secret, "the server password, sent as PASS, for servers that want one"),
    ]

    /// The keys of a `[networks.NAME]` table.
    static let networkKeys: [(key: String, kind: Kind, help: String)] = [
        ("address", .address, "HOST:PORT, irc://, ircs:// or telnet:// as on the command line"),
        ("tls", .bool, "speak TLS"),
        ("tls_fingerprint", .fingerprint, "trust only this certificate (SHA-256)"),
        ("channels", .channels, "channels to join once connected"),
        ("nick", .nick, "the nick on this network"),
        ("autoconnect", .bool, "connected to when `chat-tui connect` names no network"),
    ] + loginKeys

    /// Defaults `/set` shows for keys nobody set (the nick and user depend on the login).
    static let defaults: [String: SettingValue] = [
        "realname": .string("chat-tui user"), "highlights": .list([]), "ignores": .list([]),
        "strip_formatting": .bool(false), "mouse": .bool(true), "scrollback": .int(10_000),
        "networks.*.tls": .bool(false), "networks.*.channels": .list([]),
        "buflist": .bool(false), "networks.*.autoconnect": .bool(false),
    ]

    /// The kind of `key`, or a sentence saying why there is no such key.
    static func kind(of key: String) -> Result<Kind, SettingError> {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "networks":
            guard parts.count == 3 else { return .failure(.init("networks.NAME.KEY, with KEY one of " + networkKeys.map(\.key).joined(separator: ", "))) }
            guard isNetworkName(parts[1]) else { return .failure(.init("a network's name is 1 to 32 letters, digits, - or _")) }
            guard let k = networkKeys.first(where: { $0.key == parts[2] }) else {
                return .failure(.init("unknown key \(parts[2]) in a network (known: " + networkKeys.map(\.key).joined(separator: ", ") + ")"))
            }
            return .success(k.kind)
        case "keys":
            guard parts.count == 2, KeyName.key(parts[1]) != nil else {
                return .failure(.init("unknown key name (ctrl-a…ctrl-z, ctrl-], ctrl-_, alt-CHAR, f1…f12, " + KeyName.plain.map(\.0).joined(separator: ", ") + ")"))
            }
            return .success(.keyAction)
        case "colors":
            guard parts.count == 2, ColorScheme.Element(rawValue: parts[1]) != nil else {
                return .failure(.init("unknown colour (known: " + ColorScheme.Element.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
            }
            return .success(.color)
        default:
            if parts.count == 1, let k = topLevel.first(where: { $0.key == key }) { return .success(k.kind) }
            return .failure(.init("unknown setting (/set lists them)"))
        }
    }

    /// Nil if `value` suits `key`; otherwise why not. `addressCheck` judges network addresses
    /// (the command line's parser, outside the model).
    static func check(_ key: String, _ value: SettingValue, addressCheck: (String) -> String?) -> SettingError? {
        let kind: Kind
        switch Self.kind(of: key) {
        case .failure(let e): return e
        case .success(let k): kind = k
        }
        switch (kind, value) {
        case (.bool, .bool): return nil
        case (.bool, _): return .init("must be true or false")
        case (.count(let range), .int(let n)):
            return range.contains(n) ? nil : .init("must be from \(range.lowerBound) to \(range.upperBound)")
        case (.count, _): return .init("must be a whole number")
        case (.words(let limit), .list(let words)):
            if words.count > limit { return .init("at most \(limit) words") }
            if let w = words.first(where: { $0.isEmpty || $0.utf8.count > 64 || $0.contains(" ") || hasControl($0) }) {
                return .init("\(SettingValue.quoted(w)) is not a word (1 to 64 bytes, no spaces)")
            }
            return nil
        case (.channels, .list(let names)):
            if names.count > 100 { return .init("at most 100 channels") }
            if let c = names.first(where: { !(Names.isValidChannel($0) || Names.isValidChannel("#" + $0)) }) {
                return .init("\(SettingValue.quoted(c)) is not a valid channel name")
            }
            return nil
        case (.ignores, .list(let entries)):
            if entries.count > Ignore.limit { return .init("at most \(Ignore.limit) ignores") }
            for e in entries {
                if case .failure(let why) = Ignore.parse(e) { return .init("\(SettingValue.quoted(e)): \(why.message)") }
            }
            return nil
        case (.words, _), (.channels, _), (.ignores, _): return .init("must be a list of strings, [\"…\", …]")
        case (_, .string(let s)):
            if hasControl(s) { return .init("must not contain control characters") }
            switch kind {
            case .nick:
                return Names.isValidNick(s, maxLength: 30) ? nil
                    : .init("\(SettingValue.quoted(s)) is not a valid nick (at most 30 characters: a letter or one of []\\`_^{|}, then letters, digits, - or those)")
            case .userName:
                return !s.isEmpty && s.utf8.count <= 16 && s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) ? nil
                    : .init("\(SettingValue.quoted(s)) is not a user name (1 to 16 letters, digits, -, _ or .)")
            case .text:
                return !s.isEmpty && s.utf8.count <= 100 ? nil : .init("must be 1 to 100 bytes")
            case .secret:
                return !s.isEmpty && s.utf8.count <= 300 ? nil : .init("must be 1 to 300 bytes")
            case .saslMechanism:
                return ["plain", "external"].contains(s.lowercased()) ? nil : .init("must be plain or external")
            case .path:
                return !s.isEmpty && s.utf8.count <= 4096 ? nil : .init("must be a path")
            case .networkName:
                return isNetworkName(s) ? nil : .init("a network's name is 1 to 32 letters, digits, - or _")
            case .address:
                return addressCheck(s).map { .init($0) }
            case .fingerprint:
                return isFingerprint(s) ? nil : .init("must be a SHA-256 fingerprint: 64 hex digits, colons optional")
            case .keyAction:
                return KeyAction(name: s) != nil ? nil
                    : .init("unknown action \(SettingValue.quoted(s)) (a /command, or one of: " + KeyAction.named.map(\.0).filter { !$0.hasPrefix("window-") }.joined(separator: ", ") + ", window-1…window-10)")
            case .color:
                return ColorScheme.parse(s) != nil ? nil
                    : .init("\(SettingValue.quoted(s)) is not a colour: a name (default, black, red, green, yellow, blue, magenta, cyan, white, bright-NAME) or 0-255, optionally followed by , and the background")
            default: return nil
            }
        case (_, _): return .init("must be a string")
        }
    }

    /// A value as `/set` shows it: its TOML, or `"********"` for a password (never on screen).
    static func shown(_ key: String, _ value: SettingValue) -> String {
        if case .success(.secret) = kind(of: key) { return "\"********\"" }
        return value.toml
    }

    /// Reads what the user typed after `/set key` as a value of `key`'s kind: on/off, a
    /// number, a comma-separated list, or text (quotes around it optional).
    static func value(typed text: String, for kind: Kind) -> SettingValue? {
        var t = trimmed(Substring(text))
        switch kind {
        case .bool:
            switch t.lowercased() {
            case "on", "true", "yes": return .bool(true)
            case "off", "false", "no": return .bool(false)
            default: return nil
            }
        case .count:
            return t.utf8.count <= 9 ? Int(t).map { .int($0) } : nil
        case .words, .channels, .ignores:
            if t.hasPrefix("[") && t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
            return .list(t.split(separator: ",").map { unquoted(trimmed($0)) }.filter { !$0.isEmpty })
        default:
            return .string(unquoted(t))
        }
    }

    static func trimmed(_ s: Substring) -> String {
        String(s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    private static func unquoted(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }

    static func isNetworkName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 32 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func isFingerprint(_ s: String) -> Bool {
        var hex = s.hasPrefix("SHA256:") || s.hasPrefix("sha256:") ? Substring(s.dropFirst(7)) : Substring(s)
        hex.removeAll { $0 == ":" }
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit)
    }

    private static func hasControl(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7f && $0.value < 0xa0) }
    }

    /// The names of the networks the settings have (`[networks.NAME]`), sorted.
    var networkNames: [String] {
        Set(values.keys.compactMap { k -> String? in
            let p = k.split(separator: ".")
            return p.count == 3 && p[0] == "networks" ? String(p[1]) : nil
        }).sorted()
    }

    /// Every key `/set` knows of now: the top-level ones, each network's, the colours.
    var allKeys: [String] {
        Self.topLevel.map(\.key)
            + networkNames.flatMap { n in Self.networkKeys.map { "networks.\(n).\($0.key)" } }
            + ColorScheme.Element.allCases.map { "colors." + $0.rawValue }
            + values.keys.filter { $0.hasPrefix("keys.") }.sorted()
    }

    /// A key's value, or its default (nil: none, as `log_dir` or a nick from the login).
    func effective(_ key: String) -> SettingValue? {
        if let v = values[key] { return v }
        if key.hasPrefix("colors."), let e = ColorScheme.Element(rawValue: String(key.dropFirst(7))) {
            return .string(ColorScheme.describe(ColorScheme.defaults[e]!))
        }
        if key.hasPrefix("networks.") { return Self.defaults["networks.*." + (key.split(separator: ".").last.map(String.init) ?? "")] }
        return Self.defaults[key]
    }
}
