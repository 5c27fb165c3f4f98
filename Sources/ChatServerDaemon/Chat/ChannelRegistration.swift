/// What makes a channel registered (ChanServ REGISTER): its founder's account, when it was
/// registered, whether the server operator froze it, and who regains which status in it.
/// Kept on the `Channel`, which then outlives its last member.
struct ChannelRegistration: Equatable {
    /// The founder's account as registered.
    var founder: String
    /// Unix seconds.
    var registeredAt: Int64
    /// Frozen by the server operator: only server operators may join it, and ChanServ
    /// changes nothing in it.
    var frozen = false
    var access: [ChannelAccess] = []

    /// Entries an access list holds at most, so that a channel's record stays bounded.
    static let accessLimit = 100
    /// Channels one account may found.
    static let perAccount = 20
}
