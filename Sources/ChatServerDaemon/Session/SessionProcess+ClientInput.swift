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
            consume(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        case .success(.wouldBlock): break
        case .success(.eof), .failure: clientGone = true
        }
    }

    /// The client's bytes through the telnet filter (a person's, or not yet decided) and the
    /// framer into `pendingLines`.
    private func consume(_ bytes: UnsafeRawBufferPointer) {
        var data: [UInt8] = []
        if conversation?.usesTelnet ?? true {
            var replies: [UInt8] = []
            telnet.filter(bytes, data: &data, replies: &replies)
            if !replies.isEmpty { output.toClient.append(replies) }
            if telnet.sawNegotiation && !dialectDecided { decideDialect(firstLine: nil) }
        } else {
            data = Array(bytes)
        }
        defer {
            processPending()
            if pendingLines.count - pendingStart > floodQueueLimit && !output.isClosing {
                end(.excessFlood)
            }
        }
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

    /// Hands queued lines to the conversation as flood control allows.
    func processPending() {
        while pendingStart < pendingLines.count && !output.isClosing {
            let index = pendingStart
            let line = pendingLines[index]
            if overlongMarkers.remove(index) != nil {
                pendingStart += 1
                if !dialectDecided { decideDialect(firstLine: nil) }
                conversation?.overlongLine(output: &output)
                continue
            }
            if !dialectDecided {
                decideDialect(firstLine: line)
            }
            guard !hubBacklogged, flood.take(now: Proc.monotonicNanos()) else { break }
            pendingStart += 1
            conversation?.line(line, output: &output)
        }
        if pendingStart == pendingLines.count {
            pendingLines.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart > 256 {
            pendingLines.removeFirst(pendingStart)
            overlongMarkers = Set(overlongMarkers.map { $0 - pendingStart })
            pendingStart = 0
        }
    }
}
