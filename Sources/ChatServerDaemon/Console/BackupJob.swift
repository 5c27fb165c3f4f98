/// A console `backup` under way: the copy, who asked, when, and where its answer goes.
final class BackupJob {
    let copy: StateBackup
    let who: String
    let startedAt: UInt64
    /// The console that waits for the answer; nil once it has gone (the copy goes on, and
    /// the log says how it ended).
    var answer: ((ConsoleReply) -> Void)?
    /// When the next pages are copied (monotonic ns): at once, or a little later after a lock.
    var nextStep: UInt64 = 0

    init(copy: StateBackup, who: String, startedAt: UInt64, answer: @escaping (ConsoleReply) -> Void) {
        self.copy = copy
        self.who = who
        self.startedAt = startedAt
        self.answer = answer
    }
}
