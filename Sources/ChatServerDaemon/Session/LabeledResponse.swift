import ChatProtocol

/// The replies to one labeled command (IRCv3 labeled-response), gathered until everything
/// they depend on has come: the lines the session answered itself, and the hub's events up to
/// the answer to the sync sent after the command (the hub does not know labels). Then they go
/// out as one of three shapes the spec names (`lines(serverName:batch:)`).
struct LabeledResponse {
    /// The client's `label` tag value.
    let label: String
    /// The replies so far, in order.
    var lines: [IRCMessage] = []
    /// The most bytes of a label kept: longer ones are ignored, as Ergo does (64).
    static let maxLabelBytes = 64

    init(label: String) { self.label = label }

    /// The lines for the client: nothing came back, an `ACK`; one reply, that reply with the
    /// label; more, a `labeled-response` batch (`batchReference`) when the client enabled
    /// `batch`, otherwise the replies as they are.
    func lines(serverName: String, batchReference: String?) -> [IRCMessage] {
        let labelTag = IRCTag(key: "label", value: label)
        switch lines.count {
        case 0:
            return [IRCMessage(tags: [labelTag], source: serverName, command: "ACK")]
        case 1:
            var m = lines[0]
            m.tags.insert(labelTag, at: 0)
            return [m]
        default:
            guard let ref = batchReference else { return lines }
            let batchTag = IRCTag(key: "batch", value: ref)
            var out = [IRCMessage(tags: [labelTag], source: serverName, command: "BATCH", params: ["+" + ref, "labeled-response"])]
            for var m in lines {
                m.tags.insert(batchTag, at: 0)
                out.append(m)
            }
            out.append(IRCMessage(source: serverName, command: "BATCH", params: ["-" + ref]))
            return out
        }
    }
}
