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
    /// Save a setting to the configuration file (nil: remove it) and apply what the view
    /// shows of it (colours, the mouse): `/set`.
    case saveSetting(key: String, value: SettingValue?)
    /// Forget the unfinished line from the server (the user answered it as a prompt).
    case discardPartialLine
    /// Go to another window, or list them: the window list spans every network, so the
    /// container of the networks (`ClientNetworks`) does it.
    case window(WindowRequest)
    /// `/connect NAME|HOST:PORT`: a network of the configuration file, or a server.
    case connectNetwork(String)
    /// `/disconnect [NAME]`: leave that network (nil: this window's) and do not reconnect.
    case disconnectNetwork(String?)
}
