/// One mask of a channel's ban, ban exception or invite exception list, as 367/348/346 show it.
public struct ModeListEntry: Equatable, Sendable {
    /// `nick!user@host`, wildcards allowed.
    public var mask: String
    /// Who set it: a `nick!user@host`.
    public var setBy: String
    /// When, in seconds since the epoch.
    public var setAt: Int64
    public init(mask: String, setBy: String, setAt: Int64) {
        self.mask = mask; self.setBy = setBy; self.setAt = setAt
    }
}
