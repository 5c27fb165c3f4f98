/// Why the configuration file cannot be used: one line naming the file, the line where
/// known, and the key.
struct ConfigError: Error, Equatable, CustomStringConvertible {
    let file: String
    var line: Int?
    var key: String?
    let message: String

    var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": " + (key.map { $0 + ": " } ?? "") + message
    }
}
