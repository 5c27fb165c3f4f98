/// A key press as the model sees it; the view decodes terminal input into these.
enum Key: Equatable, Sendable {
    case text(String)          // printable text (one key, or a run typed between two reads)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    case ctrl(Character)       // Ctrl plus a letter, lower case: .ctrl("a")
    case alt(Character)        // Alt (or Esc) plus a key: .alt("b"), .alt("1")
    case altBackspace
    case function(Int)         // F1...F12
    case wheelUp, wheelDown
    case pasteStart, pasteEnd  // bracketed paste markers
    case unknown
}

/// Everything that can change the model: keys, the terminal, the connection, the clock.
enum Action: Sendable {
    case key(Key)
    case resize(cols: Int, rows: Int)
    /// The client is trying to reach the server.
    case connecting(String)
    /// The socket is open: start registration.
    case connected
    /// One line from the server (bytes as received, without the line end).
    case received([UInt8])
    /// A line from the server was longer than the client accepts and was dropped.
    case receivedOverlong
    /// What the server sent after its last line end so far (a prompt, in --raw mode).
    case receivedPartial([UInt8])
    /// The connection ended; `retryAt` is when the client will try again (ms, nil: never).
    case disconnected(reason: String, retryAt: Int64?)
    /// Time passed (timers: lag checks, paste timeout).
    case tick
    /// Something went wrong outside the model (a log file, a send without a connection).
    case failure(String, inServerWindow: Bool)
    /// Leave now: a signal, or the terminal went away.
    case quit(reason: String)
}

/// What the model asks the outside world to do.
enum Effect: Equatable, Sendable {
    /// Send one protocol line (no line end).
    case send(String)
    /// Append a line to the log file of a window.
    case log(window: String, text: String)
    /// Close the connection after flushing, then exit.
    case quit
    /// Drop the connection and connect again now.
    case reconnect
    /// Drop the connection as a failed one: the next attempt waits as the backoff says.
    case dropConnection(reason: String)
    /// Clear and repaint the whole terminal (Ctrl-L).
    case repaint
    /// Forget the unfinished line from the server (the user answered it as a prompt).
    case discardPartialLine
}
