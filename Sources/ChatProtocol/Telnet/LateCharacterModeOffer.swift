/// Character mode for a telnet client that did not negotiate: the offer made when the first
/// line a person sends ends with CR LF.
///
/// netkit and inetutils telnet negotiate on their own only on port 23; on any other port
/// (`telnet host 4444`) they send nothing until the server offers, and stay in line mode,
/// where Enter sends CR LF. nc, socat and `openssl s_client` send LF alone, so CR LF marks a
/// telnet client (or a script that chose CR LF). Offering up front would print the offer's
/// bytes on every nc user's terminal; offered at the first line, a telnet client agrees at
/// once (or, a telnet library, refuses).
///
/// The first line waits for the answer, so that a client that agrees reaches the lobby in
/// character mode; it waits no longer than `answerWait`, and not at all once a second line
/// comes (whoever sent it is not waiting for us). A client that did not answer does not
/// speak telnet, and its terminal may show the offer's bytes: it is sent `blank` before its
/// line goes on, whose CR, spaces, CR overwrite them (the cursor was at the start of an
/// empty row after Enter, and nothing else was sent since).
public struct LateCharacterModeOffer: Sendable, Equatable {
    public enum State: UInt8, Sendable {
        /// Before the first line end.
        case watching
        /// The last byte seen was the first line's CR.
        case afterCR
        /// The first line ended with CR LF: offer before it is handed on.
        case due
        /// Offered: the first line waits for the answer (or `deadline`).
        case held
        /// Never again (offered and answered or timed out, or the first line did not end
        /// with CR LF, or the client negotiated, or it speaks IRC).
        case done
    }

    public var state = State.watching
    /// When a held first line goes on without an answer (monotonic nanoseconds).
    public var deadline: UInt64 = 0

    /// How long the first line waits for the client's answer: a telnet client answers within
    /// a round trip; a script that never answers is held this long, once.
    public static let answerWait: UInt64 = 1_000_000_000

    /// After an offer nobody answered: CR, twelve spaces, CR, which blank the row for a
    /// terminal that showed the offer's twelve bytes (at most one cell each).
    public static var blank: [UInt8] { [0x0D] + [UInt8](repeating: 0x20, count: 12) + [0x0D] }

    public init() {}

    /// Whether the client's data is still looked at for the first line end.
    public var isWatching: Bool { state == .watching || state == .afterCR }

    /// Looks at the client's data (telnet commands removed) up to the first line end.
    public mutating func watch(_ data: [UInt8]) {
        guard isWatching else { return }
        for b in data {
            if state == .afterCR {
                state = b == 0x0A ? .due : .done
                return
            }
            if b == 0x0A {
                state = .done
                return
            }
            if b == 0x0D { state = .afterCR }
        }
    }

    /// The offer is made now (`now` in monotonic nanoseconds): the first line is held.
    public mutating func offered(now: UInt64) {
        state = .held
        deadline = now + Self.answerWait
    }

    /// Whether a held first line may go on: the client answered (agreed or refused), another
    /// line came after it, or the wait is over. Once it may, the offer is done.
    public mutating func mayRelease(answered: Bool, linesWaiting: Int, now: UInt64) -> Bool {
        guard answered || linesWaiting > 1 || now >= deadline else { return false }
        state = .done
        return true
    }
}
