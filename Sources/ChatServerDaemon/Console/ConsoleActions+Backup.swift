import ChatPOSIX
import ChatProtocol

/// `backup PATH`: a copy of the state database made a few pages per turn of the hub's loop
/// (`StateBackup`), answered when it is whole. One at a time.
extension ConsoleActions {
    func startBackup(_ path: String, by who: String, host: ConsoleHost, later: ((ConsoleReply) -> Void)?) -> ConsoleReply {
        guard let later else {
            return .failed("this console cannot wait for a backup", hint: "use the terminal console or 'chat-server console'")
        }
        guard let store = host.stateDatabase, store.path != nil else {
            return .failed("the state is kept in memory: there is no database to back up", hint: "start the server with --state-dir DIR")
        }
        if let running = backupJob {
            return .failed("a backup to \(ConsoleFormat.clean(running.copy.path)) is being written",
                           hint: "wait for it to finish, then try again")
        }
        guard ConsoleFormat.clean(path) == path else {
            return .failed("the path \(ConsoleCommand.quoted(path)) holds control characters", hint: "usage: backup PATH")
        }
        let copy: StateBackup
        do { copy = try StateBackup(from: store.database, to: path) } catch {
            return .failed("\(error)", hint: "give an absolute path, in a folder the server's user may write, of a file that does not exist")
        }
        host.log.notice("console [\(who)]: backup to \(path) started")
        backupJob = BackupJob(copy: copy, who: who, startedAt: Proc.monotonicNanos(), answer: later)
        return .pending
    }

    /// One step of the backup under way; its answer once it is done or failed.
    func stepBackup(_ job: BackupJob, now: UInt64, host: ConsoleHost) {
        switch job.copy.step() {
        case .more:
            job.nextStep = 0
        case .busy:
            job.nextStep = now + StateBackup.busyRetryNanos
        case .done:
            backupJob = nil
            let ms = (Proc.monotonicNanos() - job.startedAt) / 1_000_000
            let size = Int(job.copy.pages) * job.copy.pageSize
            host.log.notice("console [\(job.who)]: backup to \(job.copy.path) written: \(job.copy.pages) pages in \(ms) ms, \(job.copy.steps) steps")
            job.answer?(.ok("backup written to \(job.copy.path): \(NumberFormat.count(Int(job.copy.pages), "page")) "
                + "(about \(size / 1024) KiB) in \(ms) ms, \(NumberFormat.count(job.copy.steps, "step"))"))
        case .failed(let why):
            backupJob = nil
            host.log.error("console [\(job.who)]: backup to \(job.copy.path) failed: \(why)")
            job.answer?(.failed("the backup to \(ConsoleFormat.clean(job.copy.path)) failed: \(ConsoleFormat.clean(why))",
                                hint: "the partial copy was removed; see the log, and try again"))
        }
    }

    /// The server is going down: the copy is abandoned (its file removed) and its console told.
    func abandonBackup(host: ConsoleHost) {
        guard let job = backupJob else { return }
        backupJob = nil
        job.copy.abandon()
        host.log.warning("console [\(job.who)]: backup to \(job.copy.path) abandoned: the server is shutting down")
        job.answer?(.failed("the backup to \(ConsoleFormat.clean(job.copy.path)) was abandoned: the server is shutting down",
                            hint: "the partial copy was removed"))
    }
}
