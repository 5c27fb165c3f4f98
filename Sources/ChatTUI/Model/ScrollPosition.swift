import ChatProtocol

/// Where the view is scrolled to: the bottom screen row shows row
/// `rowCount(seq) - 1 - rowsBelow` of line `seq`. nil in `Window.scroll` means "follow the end".
struct ScrollPosition: Equatable, Sendable {
    var seq: Int
    var rowsBelow: Int
}
