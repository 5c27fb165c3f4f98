/// The console's `backup PATH` (ConsoleActions+Backup.swift carries it out).
extension ConsoleCommand {
    /// `backup` with its words, nil for another command name.
    static func parseBackupCommand(_ name: String, _ words: inout Words,
                                   usage: (String) -> Result<ConsoleCommand, ConsoleError>) -> Result<ConsoleCommand, ConsoleError>? {
        guard name == "backup" else { return nil }
        // The rest of the line is the path: a folder's name may hold spaces.
        let path = words.rest
        if path.isEmpty { return usage("backup needs the path of the copy to write") }
        return .success(.backup(path: path))
    }
}
