/// IRCv3 WHOX (`WHO mask %fields[,token]`): which fields each 354 reply carries, and the
/// token the client asked to have echoed. The fields always go out in the spec's order,
/// whatever the order they were asked in: token, channel, user, IP, host, server, nick,
/// flags, hop count, idle seconds, account, op level, real name.
public struct WhoxFormat: Equatable, Sendable {
    /// A set of the standard WHOX fields, one bit each in the spec's order.
    public struct Fields: OptionSet, Equatable, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let token = Fields(rawValue: 1 << 0)
        public static let channel = Fields(rawValue: 1 << 1)
        public static let user = Fields(rawValue: 1 << 2)
        public static let ip = Fields(rawValue: 1 << 3)
        public static let host = Fields(rawValue: 1 << 4)
        public static let server = Fields(rawValue: 1 << 5)
        public static let nick = Fields(rawValue: 1 << 6)
        public static let flags = Fields(rawValue: 1 << 7)
        public static let hops = Fields(rawValue: 1 << 8)
        public static let idle = Fields(rawValue: 1 << 9)
        public static let account = Fields(rawValue: 1 << 10)
        public static let opLevel = Fields(rawValue: 1 << 11)
        public static let realName = Fields(rawValue: 1 << 12)

        /// Every standard field: a frame with another bit is refused.
        public static let all = Fields(rawValue: (1 << 13) - 1)

        /// Each field's letter, in the order replies carry them.
        public static let letters: [(letter: UInt8, field: Fields)] = [
            (UInt8(ascii: "t"), .token), (UInt8(ascii: "c"), .channel), (UInt8(ascii: "u"), .user),
            (UInt8(ascii: "i"), .ip), (UInt8(ascii: "h"), .host), (UInt8(ascii: "s"), .server),
            (UInt8(ascii: "n"), .nick), (UInt8(ascii: "f"), .flags), (UInt8(ascii: "d"), .hops),
            (UInt8(ascii: "l"), .idle), (UInt8(ascii: "a"), .account), (UInt8(ascii: "o"), .opLevel),
            (UInt8(ascii: "r"), .realName),
        ]

        /// The fields named by `letters` (`cuhnar`), in any order and case; letters that name
        /// no standard field are ignored, as WHOX asks.
        public init<S: StringProtocol>(letters: S) {
            var set = Fields()
            for b in letters.utf8 {
                let lower = b | 0x20
                if let f = Self.letters.first(where: { $0.letter == lower }) { set.insert(f.field) }
            }
            self = set
        }
    }

    public var fields: Fields
    /// Echoed in the `t` field: at most three digits, as WHOX says; `0` when the client gave
    /// none or another (it is echoed into a reply, so nothing else is kept).
    public var token: String

    public init(fields: Fields, token: String = "0") {
        self.fields = fields
        self.token = Self.isValidToken(token) ? token : "0"
    }

    /// One to three ASCII digits.
    public static func isValidToken<S: StringProtocol>(_ token: S) -> Bool {
        let u = token.utf8
        return (1...3).contains(u.count) && u.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
