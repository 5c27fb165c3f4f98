import ChatProtocol

/// One screen row: spans whose widths add up to at most the row's width.
struct Row: Equatable, Sendable {
    var spans: [Span]
    var text: String { spans.map(\.text).joined() }
    var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
}
