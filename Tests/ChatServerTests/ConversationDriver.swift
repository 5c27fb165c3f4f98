import ChatProtocol
@testable import ChatServerDaemon

/// One conversation driven in-process, as its session drives it: client lines and hub events
/// in; the client's lines, the hub requests and the close out. No processes, no sockets.
final class ConversationDriver {
    let conversation: Conversation
    var output = SessionOutput(queueLimit: 1 << 20)
    /// Whether the hub answers a sync at once, having nothing more to say (the tests give its
    /// events themselves, before the lines that follow them); when false a test answers it
    /// with `answerSync`.
    var hubAnswersAtOnce = true
    /// Lines typed and not yet handed on: behind a line that waits for a sync, as in a session.
    private var typed: [[UInt8]?] = []  // nil: an overlong line

    /// `start`: the session decided the dialect with no line (the quiet period passed).
    init(_ conversation: Conversation, start: Bool = true) {
        self.conversation = conversation
        if start { conversation.start(output: &output) }
    }

    /// An IRC client's conversation with server `chat.test`.
    static func irc() -> ConversationDriver { ConversationDriver(IRCConversation(serverName: "chat.test")) }

    /// `conversation` registered as `foo`, what registration sent already read.
    static func registeredIRC(_ conversation: IRCConversation = IRCConversation(serverName: "chat.test")) -> ConversationDriver {
        let c = ConversationDriver(conversation)
        c.type(["NICK foo", "USER u 0 * :R"])
        c.hub(welcome("foo"))
        _ = c.received(); _ = c.requests()
        return c
    }

    /// A person's conversation with server `chat.test`, greeted already unless `start` is false.
    static func human(start: Bool = true) -> ConversationDriver {
        ConversationDriver(HumanConversation(serverName: "chat.test", maxLineLength: 100, utcOffset: 0), start: start)
    }

    /// The hub's welcome for `nick`.
    static func welcome(_ nick: String) -> HubEvent {
        .welcome(Welcome(nick: nick, user: nick, host: "127.0.0.1", serverName: "chat.test", network: "Test",
                         version: "chat-server-test", createdAt: 0, isupport: ["CHANTYPES=#"], users: 1,
                         channels: 0, motd: nil))
    }

    /// The client types `text` (one line, without its line end).
    func type(_ text: String) {
        typed.append(Array(text.utf8))
        handOn()
    }

    func type(_ lines: [String]) { for l in lines { type(l) } }

    /// The client sends `bytes` as one line (invalid UTF-8, say).
    func type(bytes: [UInt8]) {
        typed.append(bytes)
        handOn()
    }

    /// The client sends a line longer than the session takes.
    func typeOverlong() {
        typed.append(nil)
        handOn()
    }

    /// The hub sends `event`.
    func hub(_ event: HubEvent) {
        conversation.event(event, output: &output)
        handOn()
    }

    /// The hub answers the pending sync: the lines waiting for it go on.
    func answerSync() {
        guard let token = output.pendingSync else { return }
        output.synced(token)
        if output.pendingSync == nil { conversation.synced(output: &output) }
        handOn()
    }

    /// Hands lines on as `SessionProcess.processPending` does: lines set aside and due again
    /// first, then those typed, none while a sync is pending.
    private func handOn() {
        while output.pendingSync == nil && !output.isClosing {
            let took: Bool
            if let due = output.dueLines.first {
                took = conversation.line(due, output: &output)
                if took { output.dropFirstDue() }
            } else if let next = typed.first {
                took = next.map { conversation.line($0, output: &output) } ?? conversation.overlongLine(output: &output)
                if took { typed.removeFirst() }
            } else {
                return
            }
            if !took {
                output.requestSync()
                if hubAnswersAtOnce, let token = output.pendingSync {
                    output.synced(token)
                    conversation.synced(output: &output)
                }
            }
        }
    }

    /// The client's bytes since the last call, as lines without CR LF; text after the last
    /// CR LF (a prompt) is the last element.
    func received() -> [String] {
        let text = String(decoding: output.toClient.bytes, as: UTF8.self)
        output.toClient = SendQueue(limit: 1 << 20)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The requests for the hub since the last call, syncs left out unless `syncs`.
    func requests(syncs: Bool = false) -> [HubRequest] {
        var decoder = FrameDecoder()
        decoder.append(output.toHub.bytes)
        output.toHub = SendQueue(limit: 1 << 20)
        var out: [HubRequest] = []
        while let r = try? decoder.next({ try HubRequest(type: $0, payload: $1) }) {
            if case .sync = r, !syncs { continue }
            out.append(r)
        }
        return out
    }

    /// The quit reason once the conversation closed the session.
    var closing: String? { output.closing }

    /// A message event as the fast path sees it: rendered from its frame, or nil when the
    /// conversation declines (the general path must render it).
    func fastMessage(_ event: HubEvent) -> [String]? {
        let frame = event.frame()
        let took = frame.withUnsafeBytes { raw in
            conversation.fastMessage(MessageView(payload: UnsafeRawBufferPointer(rebasing: raw[HubFrame.headerSize...]))!,
                                     output: &output)
        }
        return took ? received() : nil
    }
}
