import ChatPOSIX
import ChatProtocol

extension SessionProcess {
    /// Reads the hub's events and hands them to the conversation; a channel message takes
    /// the fast path, rendered from the frame's bytes straight into the client's queue.
    /// Whether anything was read.
    @discardableResult
    func readEvents() -> Bool {
        let r: Result<IOResult, SystemError> = Result { () throws(SystemError) in try FD.read(hubFD, into: buffer) }
        switch r {
        case .success(.done(let n)):
            readSinceRelease += n
            events.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            // Bound once per read, not once per frame.
            let fast = dialectDecided ? conversation : nil
            do {
                while !output.isClosing {
                    let took = try events.next { type, payload -> Bool in
                        // The hot path: a message rendered straight from the frame.
                        if type == HubMessageType.eventMessage.rawValue, let fast,
                           let view = MessageView(payload: payload), fast.fastMessage(view, output: &output) {
                            return true
                        }
                        handle(try HubEvent(type: type, payload: payload))
                        return true
                    }
                    if took == nil { break }
                }
            } catch {
                hubLost("the server sent something I could not read (\(error))")
            }
            return true
        case .success(.wouldBlock): return false
        case .success(.eof), .failure:
            hubLost("the server went away")
            return false
        }
    }

    private func handle(_ event: HubEvent) {
        // The answer to our sync: the lines waiting for it go on in `processPending`.
        if case .sync(let token) = event {
            output.synced(token)
            if output.pendingSync == nil { conversation?.synced(output: &output) }
            return
        }
        if !dialectDecided { decideDialect(firstLine: nil) }
        conversation?.event(event, output: &output)
        if case .disconnect = event { output.close(reason: "", tellHub: false) }
    }

    private func hubLost(_ why: String) {
        output.hubGone = true
        guard !toldHubLost else { return }
        toldHubLost = true
        end(.hubLost(why))
    }
}
