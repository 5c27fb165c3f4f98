/// A failed SQLite call: its result code and SQLite's own message, to log or show as is.
struct SQLiteError: Error, CustomStringConvertible, Equatable {
    var code: Int32
    var message: String

    var description: String { "\(message) (SQLite error \(code))" }
}
