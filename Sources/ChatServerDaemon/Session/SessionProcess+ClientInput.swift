import ChatPOSIX
import ChatProtocol

extension SessionProcess {
    /// Reads what the client sent: any bytes count as a sign of life.
    func readClient() {
        let r: Result<IOResult, SystemError> = Result { () throws(SystemError) in try FD.read(socketFD, into: buffer) }
        switch r {
        case .success(.done(let n)):
            readSinceRelease += n
            lastHeard = Proc.monotonicNanos()
            pingSent = false
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            if let tls { return receiveTLS(bytes, tls) }
            if firstRead {
                firstRead = false
                if !dialectDecided && Self.looksLikeClientHello(bytes) { return tlsOnPlainPort() }
            }
            consume(bytes)
        case .success(.wouldBlock): break
        case .success(.eof), .failure: clientGone = true
        }
    }

    /// The client's bytes through the telnet filter (a person's, or not yet decided) and the
    /// framer into `pendingLines`.
    func consume(_ bytes: UnsafeRawBufferPointer) {
        var data: [UInt8] = []
        if conversation?.usesTelnet ?? true {
            var replies: [UInt8] = []
            telnet.filter(bytes, data: &data, replies: &replies)
            // In character mode the turn's output is printed above the input row; telnet
            // answers are not text and go first, whole.
            let deferReplies = screen != nil || telnet.characterMode?.isOn == true
            if !replies.isEmpty && !deferReplies { output.toClient.append(replies) }
            if telnet.sawNegotiation && !dialectDecided { decideDialect(firstLine: nil) }
            if telnet.characterMode != nil { followCharacterMode() }
            if lateOffer.isWatching { watchFirstLineEnd(data) }
            if !replies.isEmpty && deferReplies {
                if screen != nil { screen!.replies += replies } else { output.toClient.append(replies) }
            }
        } else {
            data = Array(bytes)
        }
        if screen != nil {
            typeInCharacterMode(data)
            processPending()
            return
        }
        defer { processPending() }
        data.withUnsafeBytes { raw in
            framer.push(raw) { event in
                switch event {
                case .line(let line):
                    pendingLines.append(line)
                case .overlong:
                    pendingLines.append([])  // marker, handled in order
                    overlongMarkers.insert(pendingLines.count - 1)
                }
            }
        }
    }

    /// Requests the hub has not taken yet, past which the client's lines wait too: the hub
    /// holds a session that asked for more than its reply budget (`Hub+Costs`), and this
    /// passes the push-back on to the client (then to flood control's "Excess flood").
    var hubBacklogged: Bool { output.toHub.count > 64 * 1024 }

    /// Hands queued lines to the conversation as flood control allows: first the lines it set
    /// aside that are due again (they went through flood control once), then new ones. Stops
    /// while a sync is with the hub: a line that waits for the hub's answers is handed again
    /// once the sync's answer comes.
    func processPending() {
        while !output.isClosing && output.pendingSync == nil {
            if let due = output.dueLines.first {
                guard handOn(due) else { break }
                output.dropFirstDue()
                continue
            }
            guard pendingStart < pendingLines.count else { break }
            let index = pendingStart
            let line = pendingLines[index]
            if overlongMarkers.contains(index) {
                if !dialectDecided { decideDialect(firstLine: nil) }
                guard conversation?.overlongLine(output: &output) != false else {
                    output.requestSync()
                    break
                }
                overlongMarkers.remove(index)
                pendingStart += 1
                continue
            }
            if !dialectDecided {
                decideDialect(firstLine: line)
            }
            if lateOffer.state != .done, !firstLineMayGo() { break }
            guard !hubBacklogged, flood.take(now: Proc.monotonicNanos()) else { break }
            guard handOn(line) else {
                flood.giveBack()  // handed again later, and counted then
                break
            }
            pendingStart += 1
        }
        if pendingStart == pendingLines.count {
            pendingLines.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart > 256 {
            pendingLines.removeFirst(pendingStart)
            overlongMarkers = Set(overlongMarkers.map { $0 - pendingStart })
            pendingStart = 0
        }
        // Too many held back by flood control (not by a sync: the lines after a waiting one are
        // counted once its answer has come and flood control has had its say).
        if pendingLines.count - pendingStart > floodQueueLimit && !output.isClosing && output.pendingSync == nil {
            end(.excessFlood)
        }
    }

    /// One line to the conversation; false when it waits for the hub's answers (a sync is then
    /// on its way, and no line goes on until it returns).
    private func handOn(_ line: [UInt8]) -> Bool {
        guard let conversation else { return true }
        let handled = conversation.line(line, output: &output)
        if let hide = output.takeHideInput() {
            if screen != nil {
                maskInput(hide)
            } else {
                output.toClient.append(hide ? telnet.offerEcho() : telnet.withdrawEcho())
            }
        }
        if handled { return true }
        output.requestSync()
        return false
    }
}
