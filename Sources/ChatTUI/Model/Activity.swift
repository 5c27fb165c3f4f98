import ChatProtocol

/// How much happened in a window the user is not looking at; the status bar shows it.
enum Activity: Int, Comparable, Sendable {
    case none, events, messages, mention
    static func < (a: Activity, b: Activity) -> Bool { a.rawValue < b.rawValue }
}
