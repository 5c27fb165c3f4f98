/// A console command that failed: one line saying what went wrong, one saying what to do.
struct ConsoleError: Error, Equatable {
    var message: String
    var hint: String
    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
}
