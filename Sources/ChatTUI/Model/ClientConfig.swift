import ChatProtocol

/// Settings fixed at start-up.
struct ClientConfig: Sendable {
    enum Mode: Equatable, Sendable { case irc, raw }
    var mode: Mode = .irc
    var nick: String
    /// The nick came from the command line, not from the login name.
    var nickGiven = false
    var userName: String
    var realName = "chat-tui user"
    /// "host:port", shown in the title and used for the server window.
    var server: String
    var channels: [String] = []
    var scrollbackLines = 10_000
    var logging = false
    /// Local time offset from UTC, seconds.
    var utcOffset = 0
    /// A paste of more lines than this asks before sending.
    var pasteConfirmLines = 3
    /// Show mIRC bold, italic, underline, reverse and colours (`--strip-formatting`: no).
    var showFormatting = true
    /// Lines sent at once before pacing starts, and the pace after that (ms a line).
    var sendBurst = 5
    var sendInterval: Int64 = 2000
    var version = "chat-tui"
    /// The configuration file's settings (`/set` shows and changes them), and where it is
    /// (nil: none, so `/set` cannot save).
    var settings = Settings()
    var configPath: String?
    /// The SASL login to make while connecting (the configuration's `sasl_*` keys); nil: none.
    var sasl: SASLLogin?
    /// The server password (`password`, sent as PASS before registering); nil: none.
    var serverPassword: String?
    /// Judges a network's address as the command line would (the parser is outside the model).
    var addressCheck: @Sendable (String) -> String? = { _ in nil }
}
