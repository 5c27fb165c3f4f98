/// What IRCv3 `CHATHISTORY` asks of a channel's history (https://ircv3.net/specs/extensions/chathistory):
/// which lines (`subcommand`, around `first` and, for BETWEEN, `second`), at most `limit`.
public struct HistoryQuery: Equatable, Sendable {
    /// The subcommand, its wire name the raw value's case name uppercased.
    public enum Subcommand: UInt8, CaseIterable, Sendable {
        case latest = 0, before, after, around, between
        /// `TARGETS <timestamp> <timestamp> <limit>`: the targets with a line between the two
        /// times (`first`, `second`), not a target's lines; its `target` is `*`.
        case targets

        /// Its name on the wire: `LATEST`, `BEFORE`…
        public var name: String { String(describing: self).uppercased() }

        public init?(name: String) {
            guard let s = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
            self = s
        }
    }

    /// A message reference: `*` (none), `msgid=…` or `timestamp=…` (milliseconds since 1970).
    public enum Reference: Equatable, Sendable {
        case none
        case messageID(UInt64)
        case time(Int64)

        /// `*`, `msgid=<16 hex digits>` or `timestamp=YYYY-MM-DDThh:mm:ss.sssZ`; nil for
        /// anything else. A msgid the server could not have given still parses (to one no
        /// message has), so that it finds nothing, as an expired one would.
        public init?(parsing s: String) {
            if s == "*" { self = .none; return }
            if s.hasPrefix("msgid=") {
                let v = s.dropFirst(6)
                guard !v.isEmpty, v.utf8.count <= 64 else { return nil }
                self = .messageID(v.utf8.count == 16 ? UInt64(v, radix: 16) ?? 0 : 0)
                return
            }
            if s.hasPrefix("timestamp="), let ms = CivilTime.epochMilliseconds(iso8601: s.dropFirst(10)) {
                self = .time(ms)
                return
            }
            return nil
        }
    }

    /// The most lines one query answers (ISUPPORT `CHATHISTORY=`), as Ergo's default.
    public static let maxLimit = 100

    public var subcommand: Subcommand
    public var target: String
    public var first: Reference
    /// BETWEEN's second reference; `.none` for the others.
    public var second: Reference
    public var limit: Int

    public init(subcommand: Subcommand, target: String, first: Reference, second: Reference = .none, limit: Int) {
        self.subcommand = subcommand
        self.target = target
        self.first = first
        self.second = second
        self.limit = limit
    }
}

extension BinaryWriter {
    /// A history reference: its kind (0 `*`, 1 msgid, 2 timestamp), then its value.
    mutating func historyReference(_ r: HistoryQuery.Reference) {
        switch r {
        case .none: u8(0)
        case .messageID(let id): u8(1); varint(id)
        case .time(let ms): u8(2); int(ms)
        }
    }
}

extension BinaryReader {
    mutating func historyReference() throws(PayloadError) -> HistoryQuery.Reference {
        switch try u8() {
        case 0: return .none
        case 1: return .messageID(try varint())
        case 2: return .time(try int())
        default: throw .invalidValue("history reference")
        }
    }
}
