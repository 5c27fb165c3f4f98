import ChatProtocol

// IRCv3 CHATHISTORY on the session's side: a query goes to the hub (ChatState+History.swift),
// a line that is not one is refused here with `FAIL CHATHISTORY`; the hub's answer comes
// between two `historyBatch` events, rendered as a `chathistory` batch (with `batch`) whose
// lines carry its reference. Inside a labeled response the batch nests in the
// `labeled-response` one, as the batch spec allows.
extension IRCConversation {
    func chatHistory(_ parsed: Result<HistoryQuery, HistoryQuery.Refusal>, _ output: inout SessionOutput) {
        switch parsed {
        case .success(let q):
            output.request(.chatHistory(q))
        case .failure(let r):
            standardReply(.fail, command: "CHATHISTORY", code: r.code, context: r.context.map { IRCRenderer.clean($0) },
                          description: r.description, &output)
        }
    }

    /// The hub's answer begins or ends: `BATCH +ref chathistory target` or `BATCH -ref`, for
    /// a client with `batch` (without it the lines come bare, as Ergo sends them).
    func historyBatch(target: String, isEnd: Bool, _ output: inout SessionOutput) {
        if !isEnd {
            guard capabilities.contains(.batch) else { return }
            let ref = nextBatchReference()
            historyReference = ref
            send(IRCMessage(source: serverName, command: "BATCH", params: ["+" + ref, "chathistory", IRCRenderer.clean(target)]), &output)
        } else if let ref = historyReference {
            historyReference = nil
            send(IRCMessage(source: serverName, command: "BATCH", params: ["-" + ref]), &output)
        }
    }

    /// CHATHISTORY TARGETS' lines, in a `draft/chathistory-targets` batch for a client with
    /// `batch` (bare without it, as Ergo sends them since its issue 2066).
    func historyTargets(_ lines: [IRCMessage], _ output: inout SessionOutput) {
        guard capabilities.contains(.batch) else {
            for m in lines { send(m, &output) }
            return
        }
        let ref = nextBatchReference()
        send(IRCMessage(source: serverName, command: "BATCH", params: ["+" + ref, "draft/chathistory-targets"]), &output)
        for var m in lines {
            m.tags.insert(IRCTag(key: "batch", value: ref), at: 0)
            send(m, &output)
        }
        send(IRCMessage(source: serverName, command: "BATCH", params: ["-" + ref]), &output)
    }

    /// A line of the open history batch gets its reference.
    func inHistoryBatch(_ lines: [IRCMessage]) -> [IRCMessage] {
        guard let ref = historyReference else { return lines }
        return lines.map { m in
            var m = m
            m.tags.insert(IRCTag(key: "batch", value: ref), at: 0)
            return m
        }
    }
}
