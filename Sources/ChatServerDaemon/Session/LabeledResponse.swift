import ChatProtocol

/// The replies to one labeled command (IRCv3 labeled-response), from the moment the command is
/// handled until everything it asked of the hub is answered (the sync sent after it: the hub
/// does not know labels). One reply is held back, to learn whether a second comes: with one,
/// it goes out labeled; with more, a `labeled-response` batch opens at the second and every
/// reply after it goes out at once in the batch, so nothing more is held however long the
/// answer; with none, an `ACK` (`finish`).
struct LabeledResponse {
    /// The client's `label` tag value.
    let label: String
    /// The first reply, held until a second comes or the response ends.
    private var first: IRCMessage?
    /// The open batch's reference, once a second reply came (with `batch` enabled).
    private var batch: String?
    /// Replies went out without a batch (the client did not enable `batch`).
    private var unbatched = false
    /// The most bytes of a label kept: longer ones are ignored, as Ergo does (64).
    static let maxLabelBytes = 64

    init(label: String) { self.label = label }

    /// One reply: the lines to send now (none while the first is held). `nextBatch` gives
    /// a batch reference, or nil when the client did not enable `batch`.
    mutating func reply(_ m: IRCMessage, serverName: String, nextBatch: () -> String?) -> [IRCMessage] {
        if let ref = batch { return [tagged(m, "batch", ref)] }
        if unbatched { return [m] }
        guard let held = first else {
            first = m
            return []
        }
        first = nil
        guard let ref = nextBatch() else {
            unbatched = true
            return [held, m]
        }
        batch = ref
        return [IRCMessage(tags: [IRCTag(key: "label", value: label)], source: serverName, command: "BATCH",
                           params: ["+" + ref, "labeled-response"]),
                tagged(held, "batch", ref), tagged(m, "batch", ref)]
    }

    /// The response is complete: the held reply labeled, the batch closed, or an `ACK`.
    func finish(serverName: String) -> [IRCMessage] {
        if let ref = batch { return [IRCMessage(source: serverName, command: "BATCH", params: ["-" + ref])] }
        if unbatched { return [] }
        guard let held = first else {
            return [IRCMessage(tags: [IRCTag(key: "label", value: label)], source: serverName, command: "ACK")]
        }
        return [tagged(held, "label", label)]
    }

    /// What was held, as it is (the command turned out not to be done: it waits for the hub).
    var held: [IRCMessage] { first.map { [$0] } ?? [] }

    private func tagged(_ m: IRCMessage, _ key: String, _ value: String) -> IRCMessage {
        // A line of a batch nested in this one (CHATHISTORY's) stays in its own batch.
        if key == "batch" && m.tags.contains(where: { $0.key == "batch" }) { return m }
        var m = m
        m.tags.insert(IRCTag(key: key, value: value), at: 0)
        return m
    }
}
