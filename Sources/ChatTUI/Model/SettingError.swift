/// Why a setting was refused: one sentence, without the key (the caller names it).
struct SettingError: Error, Equatable, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
