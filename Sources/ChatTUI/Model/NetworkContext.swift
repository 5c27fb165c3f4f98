/// What a network's `ClientState` is told by the container of every network
/// (`ClientNetworks`): where its windows sit in the common list, and what the status bar
/// shows of the others. The defaults are a client with this one network and nothing else.
struct NetworkContext: Sendable {
    /// Window moves and `/window` go to the container (`Effect.window`).
    var delegatesWindows = false
    /// The user is looking at one of this network's windows: lines arriving in its active
    /// window are seen, not counted as activity.
    var focused = true
    /// How many windows of other networks come before this one's first.
    var numberOffset = 0
    /// The network's name in the status bar (`2:home/#lobby`); nil with one network.
    var networkName: String?
    /// The status bar's `act:` list: every other window with activity, numbered across
    /// networks (nil: this network's own windows).
    var activity: [(number: Int, activity: Activity)]?
}
