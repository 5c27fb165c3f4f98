import ChatPOSIX
import ChatProtocol

/// The console's account commands: a listing, freeze, unfreeze, drop. The chat state makes
/// each change (`ChatState+AccountAdmin`), written to the state store before it is told.
extension ConsoleActions {
    func accountCommand(_ command: ConsoleCommand, by who: String, host: ConsoleHost) -> ConsoleReply {
        switch command {
        case .accounts(let mask):
            let rows = host.chat.accountList(mask: mask)
            if rows.isEmpty {
                return .ok(mask == nil ? "no accounts are registered" : "no account matches '\(ConsoleFormat.clean(mask!))'")
            }
            let now = Proc.wallMillis()
            return .ok(ConsoleFormat.table(["ACCOUNT", "REGISTERED", "FROZEN", "CERTS", "LOGGED IN"], rows.map { row in
                [row.account.name, ConsoleFormat.time(millis: row.account.registeredAt * 1000, now: now),
                 row.account.frozen ? "frozen" : "-", String(row.account.certificates.count), String(row.sessions)]
            }) + [NumberFormat.count(rows.count, "account")])
        case .freeze(let name), .unfreeze(let name):
            let freezing = if case .freeze = command { true } else { false }
            switch host.chat.setFrozen(name, freezing) {
            case .success(let (account, out)):
                host.log.notice("console [\(who)]: \(freezing ? "freeze" : "unfreeze") account \(account.name)")
                let logged = out == 0 ? "" : "; logged out \(NumberFormat.count(out, "session"))"
                return .ok("\(freezing ? "froze" : "unfroze") \(account.name)\(logged)")
            case .failure(let e): return adminFailure(e, name, state: freezing ? "frozen" : "not frozen", kind: "account", list: "accounts")
            }
        case .dropAccount(let name):
            switch host.chat.dropAccount(name) {
            case .success(let (account, out)):
                host.log.notice("console [\(who)]: drop account \(account.name)")
                let logged = out == 0 ? "" : "; logged out \(NumberFormat.count(out, "session"))"
                return .ok("dropped \(account.name)\(logged)")
            case .failure(let e): return adminFailure(e, name, state: "", kind: "account", list: "accounts")
            }
        default:
            return .failed("not an account command", hint: "'help' lists the commands")
        }
    }
}
