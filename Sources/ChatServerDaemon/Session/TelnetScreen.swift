import ChatProtocol

/// A telnet user in character mode: the input line the session edits for them, and what the
/// editor drew for the keys read in this turn of the loop (sent before the turn's other
/// output, which goes above the input row).
struct TelnetScreen {
    var editor: HumanLineEditor
    /// Telnet answers to what the client sent this turn, sent before anything else.
    var replies: [UInt8] = []
    /// What the editor drew for the keys read this turn.
    var echo: [UInt8] = []
    /// The `TelnetCharacterMode.changes` last applied (window size, terminal type).
    var appliedChanges = -1

    init(editor: HumanLineEditor) { self.editor = editor }
}
