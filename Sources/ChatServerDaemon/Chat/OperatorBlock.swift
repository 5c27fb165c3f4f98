import ChatProtocol

/// An operator block of the config file (`oper = NAME HASH [MASK]`): who may become a server
/// operator with OPER NAME PASSWORD. The password is stored only as its argon2id hash.
struct OperatorBlock: Equatable {
    var name: String
    /// `$argon2id$…`, as `chat-server hash-password` prints it.
    var hash: String
    /// Whom it is for: a `user@host` mask (`*@192.0.2.*`); `*@*` for anyone.
    var mask: String = "*@*"

    /// Whether a user `user@host` may use this block.
    func admits(user: String, host: String) -> Bool {
        mask == "*@*" || Names.maskMatches(mask: mask, user + "@" + host, casemapping: .ascii)
    }
}
