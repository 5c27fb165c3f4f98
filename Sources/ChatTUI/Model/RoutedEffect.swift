/// An effect of one network's state, for the event loop to carry out on that network's
/// connection, log files or screen (`ClientNetworks.takeEffects`).
struct RoutedEffect: Equatable, Sendable {
    /// Index into `ClientNetworks.networks`.
    var network: Int
    var effect: Effect
}
