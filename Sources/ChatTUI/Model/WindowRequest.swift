/// A move between windows asked for by a key or `/window`: numbers count every network's
/// windows, so `ClientNetworks` carries it out (`Effect.window`).
enum WindowRequest: Equatable, Sendable {
    /// Window N (1-based, across networks): `/window N` (says so when there is none), or
    /// Alt-N (`quiet`: a key for a window not open does nothing).
    case number(Int, quiet: Bool)
    case next, previous
    /// The window with the most important activity (Alt-A).
    case mostActive
    /// `/window list`.
    case list
    /// `/window move N`: this window to place N (within its network).
    case move(Int)
}
