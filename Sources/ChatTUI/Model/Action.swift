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
