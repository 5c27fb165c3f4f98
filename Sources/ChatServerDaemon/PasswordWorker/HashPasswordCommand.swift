import ArgumentParser
import ChatPOSIX

/// `chat-server hash-password`: reads a password from stdin (its first line) and prints its
/// argon2id hash, for an operator block of the config file (`oper = NAME HASH`).
struct HashPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Print the argon2id hash of a password read from stdin, for the config file's 'oper = NAME HASH'.",
        discussion: """
            Reads the first line of stdin (without its line end) and prints one line, the hash. \
            On a terminal the password is not echoed. Example: \
            chat-server hash-password > hash, then 'oper = alice HASH' in the --config file.
            """
    )

    func run() throws {
        let onTerminal = TTY.isTerminal(0)
        if onTerminal { FD.writeAllIgnoringErrors(2, "Password: ") }
        let restore = onTerminal ? TTY.disableEcho(0) : nil
        var line = Self.readLine()
        if let restore { TTY.restore(0, restore); FD.writeAllIgnoringErrors(2, "\n") }
        defer { PasswordHash.wipe(&line) }
        guard !line.isEmpty else {
            FD.writeAllIgnoringErrors(2, "chat-server hash-password: no password on stdin\n")
            throw ExitCode(1)
        }
        guard line.count <= PasswordCheck.maxField else {
            FD.writeAllIgnoringErrors(2, "chat-server hash-password: a password is at most \(PasswordCheck.maxField) bytes\n")
            throw ExitCode(1)
        }
        guard PasswordHash.prepare(), let hash = PasswordHash.make(line) else {
            FD.writeAllIgnoringErrors(2, "chat-server hash-password: libsodium failed to hash it\n")
            throw ExitCode(1)
        }
        FD.writeAllIgnoringErrors(1, hash + "\n")
    }

    /// The first line of stdin, without its CR LF or LF.
    static func readLine() -> [UInt8] {
        var out: [UInt8] = []
        while out.count <= PasswordCheck.maxField {
            guard let chunk = FD.readSome(0, max: 1), let b = chunk.first else { break }
            if b == 0x0A { break }
            out.append(b)
        }
        if out.last == 0x0D { out.removeLast() }
        return out
    }
}
