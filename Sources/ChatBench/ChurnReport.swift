/// What the churn check found (all in the soak's report).
struct ChurnReport: Equatable {
    var privateSent = 0
    /// Refused by the hub: the addressee had changed its nick.
    var privateRefused = 0
    /// Accepted by the hub, so owed to the addressee.
    var privateExpected = 0
    var privateDelivered = 0
    var privateLost = 0
    var privateDuplicated = 0
    var privateReordered = 0
    var channelSent = 0
    /// Lines an IRC observer saw with the channel's exact membership.
    var channelObserved = 0
    /// (line, member) pairs those observations require.
    var channelRequired = 0
    /// Lines received inside a membership interval (history replays included).
    var channelDelivered = 0
    var channelLost = 0
    var channelDuplicated = 0
    var channelReordered = 0
    /// Lines outside a membership, refusals without a message, echoes nobody asked for.
    var unexpected = 0
    var disagreements = 0
    var corrupted = 0
    var examples: [String] = []

    var ok: Bool {
        privateLost == 0 && privateDuplicated == 0 && privateReordered == 0 && channelLost == 0
            && channelDuplicated == 0 && channelReordered == 0 && unexpected == 0 && disagreements == 0 && corrupted == 0
    }

    /// In the order of `init(values:)`, for the fault process's report.
    var values: [UInt64] {
        [privateSent, privateRefused, privateExpected, privateDelivered, privateLost, privateDuplicated, privateReordered,
         channelSent, channelObserved, channelRequired, channelDelivered, channelLost, channelDuplicated, channelReordered,
         unexpected, disagreements, corrupted].map { UInt64($0) }
    }

    init() {}

    init(values v: ArraySlice<UInt64>) {
        var it = v.makeIterator()
        func n() -> Int { it.next().map { Int($0) } ?? -1 }
        privateSent = n(); privateRefused = n(); privateExpected = n(); privateDelivered = n(); privateLost = n()
        privateDuplicated = n(); privateReordered = n()
        channelSent = n(); channelObserved = n(); channelRequired = n(); channelDelivered = n(); channelLost = n()
        channelDuplicated = n(); channelReordered = n()
        unexpected = n(); disagreements = n(); corrupted = n()
    }
}
