/// One setting's value, as the configuration file and `/set` hold it.
enum SettingValue: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([String])

    /// As TOML writes it (`"alice"`, `true`, `10000`, `["a", "b"]`): what `/set` shows.
    var toml: String {
        switch self {
        case .string(let s): return Self.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .list(let l): return "[" + l.map(Self.quoted).joined(separator: ", ") + "]"
        }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
    var list: [String]? { if case .list(let l) = self { l } else { nil } }

    /// A TOML basic string: quotes and backslashes escaped, control characters as `\uXXXX`.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20 || u.value == 0x7f:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
