/// What kind of line a scrollback entry is; the view picks colours from it.
enum LineKind: Equatable, Sendable {
    case message      // <nick> text
    case action       // * nick text
    case notice       // -nick- text
    case event        // joins, parts, topic changes: -- text
    case info         // the client's own notes and server replies
    case error
    case plain        // a raw line from a plain line server
}
