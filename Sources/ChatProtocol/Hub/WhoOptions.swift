/// What a WHO asks for besides its mask: IRC's second parameter, `o` (server operators only)
/// and WHOX's `%fields[,token]` (354 replies with those fields instead of 352).
public struct WhoOptions: Equatable, Sendable {
    /// Only server operators (the `o` flag).
    public var operatorsOnly: Bool
    /// WHOX: the fields and token of each reply; nil for a classic WHO.
    public var whox: WhoxFormat?

    public init(operatorsOnly: Bool = false, whox: WhoxFormat? = nil) {
        self.operatorsOnly = operatorsOnly
        self.whox = whox
    }

    /// The options in `WHO mask <parameter>`: flags before a `%` (only `o` means something
    /// here; other letters are ignored, as servers do for filters they lack), WHOX fields and
    /// an optional `,token` after it: `o`, `%cnf`, `%tnuhr,42`, `o%na`.
    public init<S: StringProtocol>(parsing parameter: S) {
        let text = Substring(parameter)
        guard let percent = text.firstIndex(of: "%") else {
            self.init(operatorsOnly: text.contains("o"))
            return
        }
        let spec = text[text.index(after: percent)...]
        let comma = spec.firstIndex(of: ",")
        let letters = spec[..<(comma ?? spec.endIndex)]
        let token = comma.map { spec[spec.index(after: $0)...] } ?? ""
        self.init(operatorsOnly: text[..<percent].contains("o"),
                  whox: WhoxFormat(fields: WhoxFormat.Fields(letters: letters), token: String(token)))
    }
}
