/// A connection waiting for the spawner to fork its session.
struct PendingSpawn {
    /// The spawner request that forks it (`SpawnQueue`).
    let request: UInt32
    /// The client's socket, which the hub keeps until the session exists, to refuse the client
    /// if the fork fails.
    let client: Int32
    /// The session's end of the socket pair, until the request goes to the spawner with it.
    var sessionEnd: Int32?
    /// The TLS listener's port the client reached; 0 for a plain one.
    var tlsPort = 0
}
