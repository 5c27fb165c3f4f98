import ChatProtocol

/// A conversation with one client in one dialect: a state machine with no I/O of its own.
///
/// The session hands it the client's lines and the hub's events; it answers by filling the
/// session's `SessionOutput` (lines for the client, requests for the hub, a close), which the
/// session then drains. A test drives one with an output of its own (`SessionOutput` is a plain
/// value). What differs between dialects the loop asks it, never its type.
protocol Conversation: AnyObject {
    /// What the session announces to the hub once the dialect is decided.
    var dialect: Dialect { get }
    /// Whether the client's bytes go through the telnet filter, and its lines through the
    /// framer's editing (BS/DEL): a person's terminal, not an IRC client.
    var usesTelnet: Bool { get }
    /// Past registration: the registration timeout no longer applies.
    var isRegistered: Bool { get }
    /// Whether an idle registered client is asked if it is still there (`ping`), and ended
    /// when it does not answer.
    var pingsIdleClient: Bool { get }

    /// The dialect is decided: say what comes first (a person's greeting).
    func start(output: inout SessionOutput)
    /// One line from the client, without its line end, as flood control lets it through.
    /// False when the line must wait for the hub's answers to requests sent before it (it is
    /// answered here, or goes where a join or part the hub has not answered decides). Nothing
    /// was done (but a quit's request, sent at once so that the hub announces it before the
    /// client is told goodbye); the session sends a sync and hands the same line again once
    /// its answer comes.
    func line(_ bytes: [UInt8], output: inout SessionOutput) -> Bool
    /// The client sent a line longer than the session takes; it was dropped. False as `line`.
    func overlongLine(output: inout SessionOutput) -> Bool
    /// One event from the hub.
    func event(_ event: HubEvent, output: inout SessionOutput)
    /// Asks an idle client whether it is still there (only when `pingsIdleClient`).
    func ping(output: inout SessionOutput)
    /// Renders a channel message straight from its frame into `output.toClient`; false when
    /// the general path (`event`) must. The hot path: no allocation, no copy.
    func fastMessage(_ m: MessageView, output: inout SessionOutput) -> Bool
    /// What a character-mode input row shows before the text typed: where a line goes, or the
    /// question it answers ("" when the dialect has no such row).
    var inputPrompt: String { get }
    /// A telnet client went into character mode or out of it, or told its terminal type.
    func terminalChanged(characterMode: Bool, colour: Bool, output: inout SessionOutput)
    /// Whether a line typed in character mode stays in view above the input row as typed;
    /// false when the conversation shows it itself (a message, echoed by the hub).
    func showsTypedLine(_ bytes: [UInt8]) -> Bool
    /// What Tab completes in character mode: nicks of the current channel, channels, commands.
    var completionNames: (nicks: [String], channels: [String], commands: [String]) { get }
    /// The line that tells the client why the session ends it.
    func farewell(_ why: Farewell) -> String
    /// The hub answered the session's sync: everything sent before it is answered (an IRC
    /// labeled response is then complete).
    func synced(output: inout SessionOutput)
}

extension Conversation {
    func synced(output: inout SessionOutput) {}
    var inputPrompt: String { "" }
    func terminalChanged(characterMode: Bool, colour: Bool, output: inout SessionOutput) {}
    func showsTypedLine(_ bytes: [UInt8]) -> Bool { true }
    var completionNames: (nicks: [String], channels: [String], commands: [String]) { ([], [], []) }
}
