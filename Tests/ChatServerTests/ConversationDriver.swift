import ChatProtocol
@testable import ChatServerDaemon

/// One conversation driven in-process, as its session drives it: client lines and hub events
/// in; the client's lines, the hub requests and the close out. No processes, no sockets.
final class ConversationDriver {
    let conversation: Conversation
    var output = SessionOutput(queueLimit: 1 << 20)

    /// `start`: the session decided the dialect with no line (the quiet period passed).
    init(_ conversation: Conversation, start: Bool = true) {
        self.conversation = conversation
        if start { conversation.start(output: &output) }
    }

    /// An IRC client's conversation with server `chat.test`.
    static func irc() -> ConversationDriver { ConversationDriver(IRCConversation(serverName: "chat.test")) }

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
    func type(_ text: String) { conversation.line(Array(text.utf8), output: &output) }

    func type(_ lines: [String]) { for l in lines { type(l) } }

    /// The hub sends `event`.
    func hub(_ event: HubEvent) { conversation.event(event, output: &output) }

    /// The client's bytes since the last call, as lines without CR LF; text after the last
    /// CR LF (a prompt) is the last element.
    func received() -> [String] {
        let text = String(decoding: output.toClient.bytes, as: UTF8.self)
        output.toClient = SendQueue(limit: 1 << 20)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The requests for the hub since the last call.
    func requests() -> [HubRequest] {
        var decoder = FrameDecoder()
        decoder.append(output.toHub.bytes)
        output.toHub = SendQueue(limit: 1 << 20)
        var out: [HubRequest] = []
        while let r = try? decoder.next({ try HubRequest(type: $0, payload: $1) }) { out.append(r) }
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
