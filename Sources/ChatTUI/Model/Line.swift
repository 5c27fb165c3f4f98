/// One line of a window's scrollback.
struct Line: Equatable, Sendable {
    var time: Int64            // milliseconds since the epoch
    var kind: LineKind
    var nick: String?
    var text: String           // already sanitised: no control characters but mIRC formatting
    var formatted = false      // holds mIRC formatting codes (set when appended)
    var highlight = false      // mentions the user's nick
    var own = false            // written by the user
}
