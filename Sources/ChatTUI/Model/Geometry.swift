/// Where each part of the screen goes at a given terminal size.
///
/// ```
/// title row                                            (when there are at least 4 rows)
/// windows │ chat area ....................... │ nicks   (window list: when shown and
///                                                        wide enough; nick list: channels)
/// status bar
/// input line
/// ```
/// Every size works down to 1x1 without negative extents; the spec's floor is 20x5.
struct ScreenGeometry: Equatable, Sendable {
    var cols: Int
    var rows: Int
    var titleRow: Int?
    var chatTop: Int
    var chatHeight: Int
    var chatWidth: Int
    /// Left column of the chat area: right of the window list and its separator.
    var chatLeft = 0
    /// Width of the window list at the left (0: hidden); the separator is its next column.
    var buflistWidth = 0
    /// Left column of the nick list and its width (the separator is one column to its left).
    var nickListLeft: Int?
    var nickListWidth: Int
    var statusRow: Int?
    var inputRow: Int

    /// Terminals narrower than this hide the nick list on their own.
    static let nickListMinCols = 60
    static let nickListWidth = 16
    /// Terminals narrower than this hide the window list on their own.
    static let buflistMinCols = 80
    static let buflistWidth = 18

    init(cols: Int, rows: Int, showNickList: Bool, showBuflist: Bool = false) {
        self.cols = max(1, cols)
        self.rows = max(1, rows)
        inputRow = self.rows - 1
        statusRow = self.rows >= 2 ? self.rows - 2 : nil
        titleRow = self.rows >= 4 ? 0 : nil
        chatTop = titleRow == nil ? 0 : 1
        chatHeight = max(0, self.rows - chatTop - 2)
        if showNickList && self.cols >= Self.nickListMinCols && chatHeight > 0 {
            nickListWidth = Self.nickListWidth
            nickListLeft = self.cols - nickListWidth
            chatWidth = self.cols - nickListWidth - 1
        } else {
            nickListWidth = 0
            nickListLeft = nil
            chatWidth = self.cols
        }
        if showBuflist && self.cols >= Self.buflistMinCols && chatHeight > 0 {
            buflistWidth = Self.buflistWidth
            chatLeft = buflistWidth + 1
            chatWidth -= chatLeft
        }
    }

    /// Rows PgUp and PgDn move: a screen less one, so one row of context stays.
    var pageRows: Int { max(1, chatHeight - 1) }
}
