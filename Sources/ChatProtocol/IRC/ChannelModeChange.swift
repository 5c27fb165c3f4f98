/// One change of a channel MODE line (`+o bob`, `-k`, `+b *!*@spam.example`): its letter,
/// whether it sets or unsets, and the parameter it took. The one place that knows which
/// letters take a parameter, shared by the hub (which applies changes), the human renderer
/// (which words them) and whoever builds a MODE line.
public struct ChannelModeChange: Equatable, Sendable {
    public var adding: Bool
    public var letter: Character
    /// The parameter the letter took; nil when it takes none or none was left (a list mode
    /// without one is a query of the list).
    public var parameter: String?

    public init(adding: Bool, letter: Character, parameter: String? = nil) {
        self.adding = adding
        self.letter = letter
        self.parameter = parameter
    }

    /// The member statuses, highest first (ISUPPORT `PREFIX=(ov)@+`).
    public static let statusLetters: Set<Character> = ["o", "v"]
    /// The list modes (ISUPPORT `CHANMODES` group A): bans, ban exceptions, invite exceptions.
    public static let listLetters: Set<Character> = ["b", "e", "I"]
    /// The flags (group D): invite-only, moderated, no external messages, secret, topic lock.
    public static let flagLetters: [Character] = ["i", "m", "n", "s", "t"]

    /// Whether `letter` takes a parameter: statuses and lists always (a list without one is
    /// a query), the key always when it is set and when one is given to unset it (`-k`
    /// needs none here), the limit only when it is set.
    public static func takesParameter(_ letter: Character, adding: Bool) -> Bool {
        switch letter {
        case "o", "v", "b", "e", "I", "k": return true
        case "l": return adding
        default: return false
        }
    }

    /// The changes of `modes` (`+o-v`, `+kl`) in order, each letter with the next of `args`
    /// if it takes one (nil when none is left); a mode string without a sign starts adding.
    public static func parse(_ modes: String, _ args: [String]) -> [ChannelModeChange] {
        var out: [ChannelModeChange] = []
        var adding = true
        var next = args.makeIterator()
        for c in modes {
            switch c {
            case "+": adding = true
            case "-": adding = false
            default:
                let parameter = takesParameter(c, adding: adding) ? next.next() : nil
                out.append(ChannelModeChange(adding: adding, letter: c, parameter: parameter))
            }
        }
        return out
    }

    /// The changes as one MODE line's mode string and parameters: `+ok-v`, `[bob, key, eve]`.
    public static func format(_ changes: [ChannelModeChange]) -> (modes: String, args: [String]) {
        var modes = "", args: [String] = []
        var sign: Bool?
        for c in changes {
            if sign != c.adding {
                modes.append(c.adding ? "+" : "-")
                sign = c.adding
            }
            modes.append(c.letter)
            if let p = c.parameter { args.append(p) }
        }
        return (modes, args)
    }
}
