/// A run of text in one style (and, for text from people, one mIRC format).
struct Span: Equatable, Sendable {
    var text: String
    var style: Style
    var format: TextFormat
    init(_ text: String, _ style: Style, _ format: TextFormat = .plain) {
        self.text = text
        self.style = style
        self.format = format
    }
}
