// CHATHISTORY's parameters understood (https://ircv3.net/specs/extensions/chathistory).
extension HistoryQuery {
    /// Why a CHATHISTORY line was refused: `FAIL CHATHISTORY <code> <context…> :<description>`.
    public struct Refusal: Error, Equatable, Sendable {
        public var code: String
        public var context: [String]
        public var description: String
    }

    /// `CHATHISTORY <subcommand> <target> <reference> [<reference>] <limit>`'s parameters;
    /// a limit over `maxLimit` is cut to it. LATEST takes `*` or a reference; BETWEEN two
    /// references; the others one (`*` is LATEST's alone).
    public static func parse(_ p: [String]) -> Result<HistoryQuery, Refusal> {
        func invalid(_ what: String) -> Result<HistoryQuery, Refusal> {
            .failure(Refusal(code: "INVALID_PARAMS", context: p.prefix(1).map(word), description: what))
        }
        guard let word = p.first else { return invalid("Missing subcommand") }
        guard let sub = Subcommand(name: word) else {
            return .failure(Refusal(code: "UNKNOWN_COMMAND", context: [Self.word(word)], description: "Unknown subcommand"))
        }
        if sub == .targets { return targets(p) }
        let needed = sub == .between ? 5 : 4
        guard p.count >= needed else { return invalid("Not enough parameters") }
        guard let limit = Int(p[needed - 1]), limit > 0 else { return invalid("Invalid limit") }
        guard let first = Reference(parsing: p[2]) else { return invalid("Invalid message reference") }
        var second = Reference.none
        if sub == .between {
            guard let s = Reference(parsing: p[3]), s != .none else { return invalid("Invalid message reference") }
            second = s
        }
        if first == .none && sub != .latest { return invalid("Only LATEST takes *") }
        return .success(HistoryQuery(subcommand: sub, target: p[1], first: first, second: second, limit: min(limit, maxLimit)))
    }

    /// `TARGETS <timestamp> <timestamp> <limit>`: two times (no `*`, no msgid), a limit over 0.
    private static func targets(_ p: [String]) -> Result<HistoryQuery, Refusal> {
        func invalid(_ what: String) -> Result<HistoryQuery, Refusal> {
            .failure(Refusal(code: "INVALID_PARAMS", context: ["TARGETS"], description: what))
        }
        guard p.count >= 4 else { return invalid("Not enough parameters") }
        guard let limit = Int(p[3]), limit > 0 else { return invalid("Invalid limit") }
        guard case .time(let a)? = Reference(parsing: p[1]), case .time(let b)? = Reference(parsing: p[2]) else {
            return invalid("Invalid timestamp")
        }
        return .success(HistoryQuery(subcommand: .targets, target: "*", first: .time(a), second: .time(b), limit: min(limit, maxLimit)))
    }

    /// What a refusal echoes of a parameter: its first word, at most 32 bytes (`*` for none).
    private static func word(_ s: String) -> String {
        s.split(separator: " ").first.map { IRCMessage.cutText(String($0), maxBytes: 32) } ?? "*"
    }
}
