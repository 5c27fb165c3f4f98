/// What a piece of text looks like; the view maps each style to colours and attributes.
enum Style: Equatable, Hashable, Sendable {
    case normal
    case timestamp
    case nick(Int)        // index into the nick palette
    case ownNick
    case highlight        // a line that mentions the user
    case event            // joins, parts, modes
    case info             // client notes, server text
    case error
    case notice
    case action
    case marker           // the "new lines below" marker
    case statusBar, statusActive, statusMention, statusMore
    case title
    case nickListOp, nickListVoice, nickList
    case prompt
    case inputCode        // a formatting code in the input line, shown as a letter
    // The window list: a window without news, with events, messages, a mention; the current one.
    case buflist, buflistEvents, buflistMessages, buflistMention, buflistActive
}
