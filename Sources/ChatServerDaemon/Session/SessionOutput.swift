import ChatProtocol

/// What a session has to send: bytes for its client, request frames for the hub, and whether
/// it is on its way out. Conversations fill it (`Conversation`); the session's loop drains it.
struct SessionOutput {
    var toClient: SendQueue
    var toHub = SendQueue(limit: 1 << 20)
    /// The hub's end of the channel is gone: requests are dropped.
    var hubGone = false
    /// The quit reason, once the session is closing (`""` when the hub asked it to leave).
    private(set) var closing: String?

    init(queueLimit: Int) { toClient = SendQueue(limit: queueLimit) }

    var isClosing: Bool { closing != nil }

    /// One line for the client; CR LF is added.
    mutating func sendLine(_ line: String) {
        toClient.append(line)
        toClient.append("\r\n")
    }

    /// Text for the client as it is (a prompt without a line end).
    mutating func sendRaw(_ text: String) { toClient.append(text) }

    /// A request for the hub, held to the protocol's limits: past them the hub would take
    /// this session for a compromised one.
    mutating func request(_ r: HubRequest) {
        guard !hubGone else { return }
        toHub.append(request: r.bounded())
    }

    /// Ends the session: the client gets what is queued (a farewell, by the caller), the hub a
    /// quit with `reason` unless it asked us to leave. The first reason stands.
    mutating func close(reason: String, tellHub: Bool = true) {
        guard closing == nil else { return }
        closing = reason
        if tellHub { request(.quit(reason: reason)) }
    }
}
