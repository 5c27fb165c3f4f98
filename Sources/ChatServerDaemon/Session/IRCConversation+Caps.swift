import ChatProtocol

// IRCv3 capabilities in the IRC conversation: CAP negotiation (LS with versions, values and
// several lines; LIST; REQ all or nothing; after registration too), what the hub must know of
// them (`capabilities` request), TAGMSG and client-only tags, SETNAME, labeled responses and
// standard replies.
extension IRCConversation {
    /// CAP LS, LIST, REQ and END.
    func cap(_ input: IRCInput, _ output: inout SessionOutput) {
        let target = isRegistered ? nick : "*"
        switch input {
        case .capLS(let version):
            updateRegistration { $0.capNegotiating = true }
            capVersion = max(capVersion, version)
            // 302 enables cap-notify for good (the spec: a 302 client cannot turn it off).
            if capVersion >= 302 { capabilities.insert(.capNotify) }
            let groups = IRCCapability.lsGroups(version: version, extra: stsPolicy.map { ["sts=" + $0] } ?? [])
            for (k, group) in groups.enumerated() {
                let more = k < groups.count - 1
                send(IRCMessage(source: serverName, command: "CAP", params: [target, "LS"] + (more ? ["*"] : []) + [group]), &output)
            }
        case .capList:
            let enabled = IRCCapability.allCases.filter(capabilities.contains).map(\.rawValue).joined(separator: " ")
            send(IRCMessage(source: serverName, command: "CAP", params: [target, "LIST", enabled]), &output)
        case .capReq(let requested):
            updateRegistration { $0.capNegotiating = true }
            // All or nothing: one capability the server does not offer refuses the request.
            let wanted = requested.split(separator: " ").map(IRCCapability.requested)
            var ok = !wanted.isEmpty && wanted.allSatisfy { $0 != nil }
            if capVersion >= 302 && wanted.contains(where: { $0?.capability == .capNotify && $0?.enable == false }) { ok = false }
            let before = hubCapabilities
            if ok {
                for case let (c, enable)? in wanted {
                    if enable { capabilities.insert(c) } else { capabilities.remove(c) }
                }
            }
            send(IRCMessage(source: serverName, command: "CAP", params: [target, ok ? "ACK" : "NAK", requested]), &output)
            if hubCapabilities != before { output.request(.capabilities(names: hubCapabilities)) }
        case .capEnd:
            updateRegistration { $0.capNegotiating = false }
            tryRegister(&output)
        default:
            break
        }
    }

    /// The enabled capabilities the hub has to know of, by name, in a fixed order.
    var hubCapabilities: [String] {
        IRCCapability.allCases.filter { $0.concernsHub && capabilities.contains($0) }.map(\.rawValue)
    }

    /// TAGMSG: the line's client-only tags to each target (as many as PRIVMSG may have);
    /// nothing without message-tags or without tags.
    func tagmsg(_ targets: [String], _ output: inout SessionOutput) {
        guard messageTags, !clientTags.isEmpty else { return }
        for target in CaseMapping.ascii.unique(targets).prefix(ChatSettings.maxTargets) {
            output.request(.tagMessage(target: target, tags: clientTags))
        }
    }

    /// SETNAME: a real name of 1 to `realNameLimit` bytes goes to the hub; another is refused
    /// with `FAIL SETNAME INVALID_REALNAME`, as the spec says.
    func setname(_ realName: String, _ output: inout SessionOutput) {
        guard !realName.isEmpty, realName.utf8.count <= ChatState.realNameLimit else {
            return standardReply(.fail, command: "SETNAME", code: "INVALID_REALNAME",
                                 description: "Real name must be 1 to \(ChatState.realNameLimit) bytes", &output)
        }
        output.request(.setName(realName: realName))
    }

    /// A FAIL, WARN or NOTE line (standard-replies), through the labeled response if any.
    func standardReply(_ kind: StandardReply, command: String, code: String, context: [String] = [],
                       description: String, _ output: inout SessionOutput) {
        send(kind.message(server: serverName, command: command, code: code, context: context, description: description), &output)
    }

    // MARK: Labeled responses

    /// A line with `@label=` from a client with labeled-response: its replies go through a
    /// `LabeledResponse` (`send`) from the moment it is handled until the hub has answered
    /// everything it asked (a sync). It starts only once earlier commands are answered, so
    /// that their replies are not taken for its own.
    func handleLabeled(_ message: IRCMessage, _ bytes: [UInt8], _ output: inout SessionOutput) -> Bool {
        guard capabilities.contains(.labeledResponse), isRegistered,
              let label = message.tags.first(where: { $0.key == "label" })?.value,
              !label.isEmpty, label.utf8.count <= LabeledResponse.maxLabelBytes,
              message.verb != "QUIT"
        else { return handle(message, bytes, &output) }
        if output.awaitingAnswers { return false }
        labeled = LabeledResponse(label: label)
        sawOwnDelivery = false
        guard handle(message, bytes, &output) else {
            // Not done after all (it waits for the hub): what it said goes out as it is.
            releaseLabeled(&output, labeledLines: false)
            return false
        }
        if output.awaitingAnswers {
            output.requestSync()  // the rest comes with the hub's answers: `synced`
        } else {
            releaseLabeled(&output, labeledLines: true)
        }
        return true
    }

    /// The hub has answered everything sent before its sync: a labeled response is complete.
    func synced(output: inout SessionOutput) {
        if labeled != nil { releaseLabeled(&output, labeledLines: true) }
    }

    /// Ends the labeled response: its last lines (`LabeledResponse.finish`), or what it held
    /// as it is when the command turned out not to be done.
    private func releaseLabeled(_ output: inout SessionOutput, labeledLines: Bool) {
        guard let response = labeled else { return }
        labeled = nil
        for m in labeledLines ? response.finish(serverName: serverName) : response.held { output.sendLine(m.serialized()) }
    }

    /// A new `BATCH` reference, unique on this connection.
    func nextBatchReference() -> String {
        lastBatch += 1
        return "L" + String(lastBatch)
    }

    /// Whether `event`, arriving while a labeled command's replies are under way, is one of
    /// them: everything but what others say (their messages and TAGMSGs, which the fast path
    /// would have sent at once anyway) and others' away and name changes. A message to
    /// ourselves comes twice with echo-message, delivered and echoed: only the echo (the
    /// second, as the hub sends them) is the reply, as with Ergo.
    func isReply(_ event: HubEvent) -> Bool {
        if historyReference != nil { return true }  // a CHATHISTORY answer's lines
        switch event {
        case .message(let source, _, let target, _, _, _, _, _), .tagMessage(let source, let target, _, _, _, _):
            guard CaseMapping.ascii.equal(String(nickOf(source)), nick) else { return false }
            if CaseMapping.ascii.equal(target, nick) && capabilities.contains(.echoMessage) && !sawOwnDelivery {
                sawOwnDelivery = true
                return false
            }
            return true
        case .awayChange(let source, _), .setName(let source, _):
            return CaseMapping.ascii.equal(String(nickOf(source)), nick)
        default:
            return true
        }
    }

    /// The `label` tag of a line that did not parse as a message, if the client enabled
    /// labeled-response and the line has one: its error reply carries it.
    func labelOfUnparsedLine(_ bytes: [UInt8]) -> String? {
        guard capabilities.contains(.labeledResponse), isRegistered, bytes.first == UInt8(ascii: "@") else { return nil }
        let tags = bytes.dropFirst().prefix { $0 != UInt8(ascii: " ") }
        for tag in tags.split(separator: UInt8(ascii: ";")) where tag.starts(with: Array("label=".utf8)) {
            let value = String(decoding: tag.dropFirst(6), as: UTF8.self)
            return value.isEmpty || value.utf8.count > LabeledResponse.maxLabelBytes || !TextSafety.isSafe(value)
                || value.contains("\\") ? nil : value
        }
        return nil
    }
}
