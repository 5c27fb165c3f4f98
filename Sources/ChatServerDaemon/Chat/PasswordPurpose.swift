/// What a password check or hash under way is for, so that its answer is acted on as asked.
/// Accounts are by folded name.
enum PasswordPurpose: Equatable {
    /// OPER, for the operator block `block` (nil: none matched, checked against the decoy).
    case oper(block: String?)
    /// NickServ IDENTIFY or SASL (`sasl`) into `account` (nil: none, checked against the decoy).
    case identify(account: String?, sasl: Bool)
    /// NickServ REGISTER of `name`: its password is being hashed.
    case register(name: String)
    /// NickServ SET PASSWORD of `account`: the new password is being hashed.
    case setPassword(account: String)
    /// NickServ DROP of `account`: its password is being checked.
    case drop(account: String)
    /// NickServ REGAIN (GHOST: `ghost`) of the nick of `account`, by its password.
    case regain(account: String, ghost: Bool)
}
