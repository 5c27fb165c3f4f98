import ChatPOSIX
import TOMLKit

#if canImport(Glibc)
import Glibc   // ENOENT only
#endif

/// chat-tui's configuration file: TOML, read with TOMLKit into checked `Settings`, and
/// written back by `/set`.
///
/// Where: `--config PATH`, else `$XDG_CONFIG_HOME/chat-tui/config.toml`, else
/// `~/.config/chat-tui/config.toml`. A missing file is no settings. The model never sees
/// TOML: it gets `Settings` and asks for a key to be saved (`Effect.saveSetting`).
struct ConfigFile {
    let path: String

    /// Larger files are refused (a configuration is a few kilobytes).
    static let sizeLimit = 1 << 20

    /// The user's file, from the environment; nil without HOME or XDG_CONFIG_HOME.
    static func forUser() -> ConfigFile? {
        if let dir = Proc.environment("XDG_CONFIG_HOME"), dir.hasPrefix("/") {
            return ConfigFile(path: dir + "/chat-tui/config.toml")
        }
        guard let home = Proc.environment("HOME"), home.hasPrefix("/") else { return nil }
        return ConfigFile(path: home + "/.config/chat-tui/config.toml")
    }

    /// The file's text; nil when there is no file.
    func text() throws(ConfigError) -> String? {
        let bytes: [UInt8]
        do {
            bytes = try FD.readFile(path, limit: Self.sizeLimit + 1)
        } catch {
            if error.errno == ENOENT { return nil }
            throw ConfigError(file: path, message: "cannot read it: \(error)")
        }
        if bytes.count > Self.sizeLimit { throw ConfigError(file: path, message: "larger than 1 MiB") }
        // TOMLKit takes a C string: a NUL would end the document there without a word.
        if let nul = bytes.firstIndex(of: 0) {
            throw ConfigError(file: path, line: bytes[..<nul].count { $0 == 10 } + 1, message: "contains a NUL byte")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: path, message: "is not UTF-8")
        }
        return text
    }

    /// The file's settings, every key and value checked; empty when there is no file.
    func load(addressCheck: (String) -> String?) throws(ConfigError) -> Settings {
        guard let text = try text() else { return Settings() }
        let table = try parse(text)
        var settings = Settings()
        var flat: [(String, TOMLValueConvertible)] = []
        Self.flatten(table, prefix: "", into: &flat)
        for (key, node) in flat {
            let line = Self.line(of: key, in: text)
            guard let value = Self.value(node) else {
                throw ConfigError(file: path, line: line, key: key, message: Self.kindMismatch(key, node))
            }
            if let problem = Settings.check(key, value, addressCheck: addressCheck) {
                throw ConfigError(file: path, line: line, key: key, message: problem.message)
            }
            settings.values[key] = value
        }
        for n in settings.networkNames where settings.values["networks.\(n).address"] == nil {
            throw ConfigError(file: path, line: Self.line(of: "networks.\(n)", in: text), key: "networks.\(n)", message: "a network needs an address")
        }
        if let n = settings.values["network"]?.string, !settings.networkNames.contains(n) {
            throw ConfigError(file: path, line: Self.line(of: "network", in: text), key: "network", message: "there is no [networks.\(n)]")
        }
        return settings
    }

    /// Sets `key` to `value` in the file (nil: removes it) and writes the file back at once.
    /// TOMLKit keeps every key and value but not comments, blank lines or the order of keys.
    func save(_ key: String, _ value: SettingValue?) throws(ConfigError) {
        let existing = try text()
        let root = try existing.map { text throws(ConfigError) in try parse(text) } ?? TOMLTable()
        var table = root
        let parts = key.split(separator: ".").map(String.init)
        for p in parts.dropLast() {
            if table[p]?.table == nil {
                if table[p] != nil { throw ConfigError(file: path, key: key, message: "\(p) is not a table in the file") }
                if value == nil { return }
                table[p] = TOMLTable()
            }
            table = table[p]!.table!
        }
        switch value {
        case nil: table.remove(at: parts.last!)
        case .string(let s)?: table[parts.last!] = s
        case .bool(let b)?: table[parts.last!] = b
        case .int(let i)?: table[parts.last!] = i
        case .list(let l)?: table[parts.last!] = TOMLArray(l)
        }
        var mode: UInt32 = 0o600
        if let st = Files.status(path, followingLinks: true) { mode = st.mode & 0o777 }
        do {
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try FD.makeDirectories(String(path[..<slash])) }
            try Files.replace(path, with: root.convert(to: .toml, options: [.allowUnicodeStrings]) + "\n", mode: mode)
        } catch {
            throw ConfigError(file: path, key: key, message: "not saved: \(error)")
        }
    }

    private func parse(_ text: String) throws(ConfigError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: path, line: e.source.begin.line, message: e.description)
        } catch {
            throw ConfigError(file: path, message: "\(error)")
        }
    }

    /// Every leaf of the document as a dotted key (`networks.home.address`).
    private static func flatten(_ table: TOMLTable, prefix: String, into out: inout [(String, TOMLValueConvertible)]) {
        for (key, value) in table {
            let dotted = prefix.isEmpty ? key : prefix + "." + key
            if let sub = value.table { flatten(sub, prefix: dotted, into: &out) } else { out.append((dotted, value)) }
        }
    }

    /// A TOML value as a setting's value: a string, a boolean, an integer, an array of strings.
    private static func value(_ node: TOMLValueConvertible) -> SettingValue? {
        switch node.type {
        case .string: return node.string.map { .string($0) }
        case .bool: return node.bool.map { .bool($0) }
        case .int: return node.int.map { .int($0) }
        case .array:
            guard let array = node.array else { return nil }
            var strings: [String] = []
            for element in array {
                guard let s = element.string else { return nil }
                strings.append(s)
            }
            return .list(strings)
        default: return nil
        }
    }

    /// What a key wants, for a value TOMLKit read as another type.
    private static func kindMismatch(_ key: String, _ node: TOMLValueConvertible) -> String {
        switch Settings.kind(of: key) {
        case .failure(let e): return e.message
        case .success(let kind):
            switch kind {
            case .bool: return "must be true or false"
            case .count: return "must be a whole number"
            case .words, .channels, .ignores: return "must be a list of strings, [\"…\", …]"
            default: return "must be a string, not \(node.type)"
            }
        }
    }

    /// The line (from 1) where `key` is set: TOMLKit keeps no positions for the values it
    /// read, so the text is scanned for the table headers and `key =` lines.
    static func line(of key: String, in text: String) -> Int? {
        var table = ""
        var number = 0
        var headerLine: Int?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let l = raw.drop { $0 == " " || $0 == "\t" }
            if l.hasPrefix("[") {
                table = normalized(l.drop { $0 == "[" }.prefix { $0 != "]" })
                if table == key { return number }
                if key.hasPrefix(table + ".") { headerLine = number }
                continue
            }
            guard let eq = l.firstIndex(of: "="), !l.hasPrefix("#") else { continue }
            let k = normalized(l[..<eq])
            let full = table.isEmpty ? k : table + "." + k
            if full == key || key.hasPrefix(full + ".") { return number }
        }
        return headerLine
    }

    /// A key as written (`"a" . b`) as the dotted key (`a.b`).
    private static func normalized(_ s: Substring) -> String {
        s.split(separator: ".").map { part in
            String(part.filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" })
        }.joined(separator: ".")
    }
}
