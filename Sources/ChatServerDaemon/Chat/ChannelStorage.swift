/// Where the chat state writes registered channels through (the hub's `StateStore` under
/// `--state-dir`, a stand-in in tests): the chat state does no I/O. Writes go into the loop
/// turn's transaction, committed before any of the turn's events go out; a call throws when
/// the write itself failed, and the change is then not made.
protocol ChannelStorage: AnyObject {
    /// Every registered channel, by folded name (read once, at start).
    func loadChannels() throws -> [String: RegisteredChannel]
    /// Writes the parts of the channel `folded` that changed.
    func save(channel: RegisteredChannel, folded: String, parts: ChannelParts) throws
    /// Forgets the channel `folded`, its access list and its mask lists.
    func deleteChannel(folded: String) throws
}
