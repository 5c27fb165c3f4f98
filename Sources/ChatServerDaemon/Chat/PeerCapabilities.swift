import ChatProtocol

/// The IRCv3 capabilities of a session that change what the hub sends it (the `capabilities`
/// request): bits, so that the delivery of a tagged message or an away change checks one flag
/// per recipient, not a set of strings.
struct PeerCapabilities: OptionSet {
    let rawValue: UInt8

    static let messageTags = PeerCapabilities(rawValue: 1 << 0)
    static let echoMessage = PeerCapabilities(rawValue: 1 << 1)
    static let awayNotify = PeerCapabilities(rawValue: 1 << 2)
    static let extendedJoin = PeerCapabilities(rawValue: 1 << 3)
    static let setname = PeerCapabilities(rawValue: 1 << 4)
    static let accountNotify = PeerCapabilities(rawValue: 1 << 5)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// From the names a session sent; names of other capabilities (or none at all) are ignored.
    init(names: [String]) {
        var caps: PeerCapabilities = []
        for name in names {
            switch IRCCapability(rawValue: name) {
            case .messageTags?: caps.insert(.messageTags)
            case .echoMessage?: caps.insert(.echoMessage)
            case .awayNotify?: caps.insert(.awayNotify)
            case .extendedJoin?: caps.insert(.extendedJoin)
            case .setname?: caps.insert(.setname)
            case .accountNotify?: caps.insert(.accountNotify)
            default: break
            }
        }
        self = caps
    }
}
