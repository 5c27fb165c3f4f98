import ArgumentParser
import ChatPOSIX

extension BenchCommand {
    /// The accounts scenario: --rate is the lines a second each of the pair says, --duration
    /// the seconds of the login storm (and of the quiet run before it).
    func runAccounts() throws {
        let cfg = try config()
        guard accounts >= 1, accounts <= 1000, logins >= 0, logins <= 10000, replay >= 0, replay <= 10000, joins >= 0 else {
            throw ValidationError("accounts needs --accounts from 1 to 1000, --logins from 0 to 10000, --replay from 0 to 10000 and --joins 0 or more")
        }
        if replay > 0 && joins > 0 && serverPID == nil {
            throw ValidationError("accounts: the replay measurement needs --server-pid (the hub's process id), or --replay 0")
        }
        let settings = AccountsBench.Settings(target: cfg.target, accounts: accounts, loginRate: logins,
                                              duration: cfg.duration, rate: cfg.rate, replay: replay, joins: joins,
                                              serverPID: serverPID, nickPrefix: nickPrefix)
        let quiet = self.quiet
        let bench = AccountsBench(settings) { line in
            if !quiet { FD.writeAllIgnoringErrors(2, "chat-bench: " + line + "\n") }
        }
        let figures: AccountsBench.Figures
        do {
            figures = try bench.run()
        } catch {
            FD.writeAllIgnoringErrors(2, "chat-bench: error: \(error)\n")
            throw ExitCode(2)
        }
        FD.writeAllIgnoringErrors(1, json ? AccountsBench.json(figures, settings) : AccountsBench.table(figures, settings))
    }
}
