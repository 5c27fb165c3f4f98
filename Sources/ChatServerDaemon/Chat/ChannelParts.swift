/// Which parts of a registered channel a write covers: the channel's own row (founder,
/// frozen, topic, flags, key, limit), its access list, its mask lists.
struct ChannelParts: OptionSet {
    let rawValue: UInt8
    static let row = ChannelParts(rawValue: 1)
    static let access = ChannelParts(rawValue: 2)
    static let lists = ChannelParts(rawValue: 4)
    static let all: ChannelParts = [.row, .access, .lists]
}
