import ChatProtocol

/// Paste in progress (between the bracketed-paste markers) or waiting for a yes/no.
enum PasteState: Equatable, Sendable {
    case none
    case collecting(String, since: Int64)
    case confirm([String])
}
