/// A run of text in one style.
struct Span: Equatable, Sendable {
    var text: String
    var style: Style
    init(_ text: String, _ style: Style) {
        self.text = text
        self.style = style
    }
}
