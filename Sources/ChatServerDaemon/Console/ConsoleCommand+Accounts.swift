/// The console's account commands: `accounts [MASK]`, `freeze ACCOUNT`, `unfreeze ACCOUNT`,
/// `drop-account ACCOUNT` (ConsoleActions+Accounts.swift carries them out).
extension ConsoleCommand {
    /// The command `name` (a spec's name) with its words, nil for a name that is not one of these.
    static func parseAccountCommand(_ name: String, _ words: inout Words,
                                    usage: (String) -> Result<ConsoleCommand, ConsoleError>) -> Result<ConsoleCommand, ConsoleError>? {
        switch name {
        case "accounts":
            let mask = words.next()
            if !words.rest.isEmpty { return usage("accounts takes at most one mask") }
            return .success(.accounts(mask: mask))
        case "freeze", "unfreeze", "drop-account":
            guard let account = words.next() else { return usage("\(name) needs an account name") }
            if !words.rest.isEmpty { return usage("\(name) takes one account") }
            switch name {
            case "freeze": return .success(.freeze(account: account))
            case "unfreeze": return .success(.unfreeze(account: account))
            default: return .success(.dropAccount(account: account))
            }
        default:
            return nil
        }
    }
}
