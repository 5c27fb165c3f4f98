import ChatPOSIX
import ChatProtocol

/// Character mode for plain `telnet host 4444`, which does not negotiate: offered when the
/// person's first line ends with CR LF (`LateCharacterModeOffer`).
extension SessionProcess {
    /// The client's data, until its first line end: CR LF there makes the offer due. A client
    /// that negotiated was offered already.
    func watchFirstLineEnd(_ data: [UInt8]) {
        if telnet.characterMode != nil {
            lateOffer.state = .done
        } else {
            lateOffer.watch(data)
        }
    }

    /// Before the first line goes to the conversation: offers character mode to a person
    /// whose client ended it with CR LF, and holds it until the client answers (see
    /// `LateCharacterModeOffer.mayRelease`). False while it waits.
    func firstLineMayGo() -> Bool {
        switch lateOffer.state {
        case .due:
            guard let conversation, conversation.usesTelnet, screen == nil else {
                lateOffer.state = .done
                return true
            }
            let offer = telnet.offerCharacterMode()
            guard !offer.isEmpty else {
                lateOffer.state = .done
                return true
            }
            output.toClient.append(offer)
            lateOffer.offered(now: Proc.monotonicNanos())
            return false
        case .held:
            let answered = telnet.characterMode.map { $0.isOn || $0.isRefused } ?? true
            guard lateOffer.mayRelease(answered: answered, linesWaiting: pendingLines.count - pendingStart,
                                       now: Proc.monotonicNanos()) else { return false }
            // No answer: not a telnet client, whose terminal may show the offer.
            if !answered { output.toClient.append(LateCharacterModeOffer.blank) }
            return true
        case .watching, .afterCR, .done:
            // A line without a line end (the client's last, at hang-up), or never to be offered.
            lateOffer.state = .done
            return true
        }
    }
}
