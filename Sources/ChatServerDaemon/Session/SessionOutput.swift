import ChatProtocol

/// What a session has to send: bytes for its client, request frames for the hub, and whether
/// it is on its way out. Conversations fill it (`Conversation`); the session's loop drains it.
///
/// It also keeps the order a client can trust (docs/PROTOCOL.md, "Ordering"): requests are
/// numbered, and a `sync` request's answer says up to which number the hub has handled them,
/// so a conversation can tell whether answers may still be coming before it answers a line
/// itself or acts on what a join or part decides.
struct SessionOutput {
    var toClient: SendQueue
    var toHub = SendQueue(limit: 1 << 20)
    /// The hub's end of the channel is gone: requests are dropped.
    var hubGone = false
    /// The quit reason, once the session is closing (`""` when the hub asked it to leave).
    private(set) var closing: String?
    /// Requests sent so far (`hello` aside: nothing answers it), numbered for the sync.
    private(set) var requestsSent: UInt64 = 0
    /// The hub has handled every request up to this number and its answers have arrived:
    /// the last sync's answer said so.
    private(set) var requestsAnswered: UInt64 = 0
    /// The token of the sync with the hub; while there is one the session hands its
    /// conversation no line.
    private(set) var pendingSync: UInt64?
    /// Syncs asked of the hub, and answered, so far (a PING waits for one asked after it).
    private(set) var syncsAsked = 0
    private(set) var syncsAnswered = 0
    /// Lines the conversation set aside until it can act on them (typed ahead of
    /// registration), at most `maxHeldLines`.
    private(set) var heldLines: [[UInt8]] = []
    /// Held lines that are due again: the session hands them to the conversation before any
    /// newer line, in order.
    private(set) var dueLines: [[UInt8]] = []
    static let maxHeldLines = 32
    /// The client's quit went to the hub; its farewell waits for the hub (`quit`).
    private var quitSent = false

    init(queueLimit: Int) { toClient = SendQueue(limit: queueLimit) }

    var isClosing: Bool { closing != nil }

    /// Answers to requests sent may still be coming: a line answered without the hub waits.
    var awaitingAnswers: Bool { requestsSent > requestsAnswered }

    /// Whether the request numbered `number` (a past `requestsSent`) has been answered.
    func answered(_ number: UInt64) -> Bool { number <= requestsAnswered }

    /// One line for the client; CR LF is added.
    mutating func sendLine(_ line: String) {
        toClient.append(line)
        toClient.append("\r\n")
    }

    /// The conversation wants what its client types hidden (true: a password comes next) or
    /// shown again; the session asks a telnet client to stop or resume echoing.
    private(set) var hideInput: Bool?

    mutating func hideInput(_ hide: Bool) { hideInput = hide }

    /// The last change asked for, once.
    mutating func takeHideInput() -> Bool? {
        defer { hideInput = nil }
        return hideInput
    }

    /// Text for the client as it is (a prompt without a line end).
    mutating func sendRaw(_ text: String) { toClient.append(text) }

    /// A request for the hub, held to the protocol's limits: past them the hub would take
    /// this session for a compromised one.
    mutating func request(_ r: HubRequest) {
        guard !hubGone else { return }
        if case .hello = r {} else { requestsSent += 1 }
        toHub.append(request: r.bounded())
    }

    /// Asks the hub to say when it has handled every request sent so far; one at a time.
    mutating func requestSync() {
        guard pendingSync == nil, !hubGone else { return }
        syncsAsked += 1
        pendingSync = requestsSent
        toHub.append(request: .sync(token: requestsSent))
    }

    /// The hub answered a sync: what was sent before it is answered. A token that is not the
    /// pending one is ignored.
    mutating func synced(_ token: UInt64) {
        guard token == pendingSync else { return }
        syncsAnswered += 1
        pendingSync = nil
        requestsAnswered = token
    }

    /// Sets `line` aside until `releaseHeld`; beyond `maxHeldLines` it is dropped.
    mutating func hold(_ line: [UInt8]) {
        if heldLines.count < Self.maxHeldLines { heldLines.append(line) }
    }

    /// The held lines are due: handed to the conversation again before newer lines.
    mutating func releaseHeld() {
        dueLines += heldLines
        heldLines = []
    }

    /// The first due line was handed on.
    mutating func dropFirstDue() { dueLines.removeFirst() }

    /// The client quit: the quit goes to the hub at once, `farewell` to the client once the
    /// hub has handled it, so that the channels hear of the quit before the quitter's
    /// connection ends. False until then, as `Conversation.line`: the same line comes again.
    mutating func quit(reason: String, farewell: String) -> Bool {
        if !quitSent {
            quitSent = true
            request(.quit(reason: reason))
        }
        if awaitingAnswers { return false }
        sendLine(farewell)
        close(reason: reason, tellHub: false)
        return true
    }

    /// Ends the session: the client gets what is queued (a farewell, by the caller), the hub a
    /// quit with `reason` unless it asked us to leave. The first reason stands.
    mutating func close(reason: String, tellHub: Bool = true) {
        guard closing == nil else { return }
        closing = reason
        if tellHub { request(.quit(reason: reason)) }
    }
}
