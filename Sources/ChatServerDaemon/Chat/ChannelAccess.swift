/// One row of a registered channel's access list (ChanServ ACCESS): an account and the
/// status its users get in the channel when they join or log in.
struct ChannelAccess: Equatable {
    /// The status an entry gives: operator (`+o`) or voice (`+v`).
    enum Level: String, Equatable {
        case op, voice

        /// The level a word names (`OP`, `VOICE`, any case; `AOP`, `VOP` as Anope's users
        /// type them), nil for any other word.
        init?(word: String) {
            switch word.lowercased() {
            case "op", "aop": self = .op
            case "voice", "vop": self = .voice
            default: return nil
            }
        }

        /// The mode letter it gives.
        var letter: Character { self == .op ? "o" : "v" }
    }

    /// The account as registered.
    var account: String
    var level: Level
    /// Who added it (an account) and when (Unix seconds).
    var addedBy: String
    var addedAt: Int64
}
