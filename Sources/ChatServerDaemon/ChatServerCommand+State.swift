import Logging

extension ChatServerCommand {
    /// Opens the state store (`--state-dir`, or memory without it) and loads the accounts
    /// into the chat state; a start-up error when it cannot.
    func openStateStore(_ directory: String?, hub: Hub, config: ServerConfig, log: Logger) throws {
        let store: StateStore
        do { store = try StateStore(directory: directory) } catch {
            throw StartupError("\(error)")
        }
        do { try hub.state.useAccountStorage(store) } catch {
            throw StartupError("cannot read the accounts from \(store.path ?? "memory"): \(error)")
        }
        if let path = store.path {
            // Channel lines go to disk only with a state directory: in memory they would be a
            // second copy of what the hub keeps already.
            // Registered channels' changes and channel lines go into the turn's transaction,
            // which the hub commits.
            hub.stateStore = store
            store.reportFailure = { log.error("\($0)") }
            if config.limits.historyDays > 0 { hub.state.historyStorage = store }
            do { try hub.state.useChannelStorage(store) } catch {
                throw StartupError("cannot read the registered channels from \(path): \(error)")
            }
            log.info("state in \(path): \(hub.state.accounts.count) accounts, \(hub.state.registeredChannelCount) registered channels")
        } else {
            log.notice("no --state-dir: accounts are kept in memory only and lost when the server stops")
        }
        if config.limits.historyPrivate && hub.state.historyStorage == nil {
            log.notice("--history-private keeps nothing without --state-dir and --history-days above 0")
        }
    }
}
