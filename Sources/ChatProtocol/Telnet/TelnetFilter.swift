/// Removes telnet protocol from an incoming byte stream and answers option negotiation by
/// refusing it.
///
/// Incoming, per RFC 854:
/// - `IAC IAC` is a data byte 0xFF;
/// - `IAC WILL/WONT/DO/DONT opt` is negotiation (answered below), never data;
/// - `IAC SB opt … IAC SE` is removed whole (`IAC IAC` inside it is part of it). Nothing of
///   it is kept. A subnegotiation longer than `maxSubnegotiation` bytes, or one broken by
///   `IAC` and a byte other than SE or IAC, is abandoned: the filter goes back to data, so a
///   stray `FF FA` (a Latin-1 "ÿú" from a non-telnet client) costs at most that many bytes
///   instead of the rest of the session;
/// - `IAC EC` becomes BS (0x08) and `IAC EL` becomes ^U (0x15), which a `LineFramer` with
///   `editing` applies;
/// - `IAC AYT` is answered with `"\r\n[yes]\r\n"`, at most once per `filter` call, so a
///   flood of them cannot make us send more than it sends;
/// - `IAC` with NOP, DM, BRK, IP, AO, GA, a stray SE, or any byte below 240 is removed.
/// Every sequence may be split across calls at any byte.
///
/// Negotiation: with `offersCharacterMode`, a peer that negotiates before sending any data is
/// offered character mode (see `TelnetCharacterMode`, which then answers for ECHO, SGA, NAWS
/// and TTYPE), and so is one the session judges a telnet client later (`offerCharacterMode`,
/// `LateCharacterModeOffer`). Otherwise we start one only, `WILL ECHO` while a person types a password
/// (`offerEcho`, `withdrawEcho`: the client stops echoing what is typed, and we echo nothing),
/// and we agree to nothing except, if asked for at init,
/// `DO SUPPRESS-GO-AHEAD` (we never send GA, so `WILL SGA` is simply true). It is off by
/// default: with both SGA directions in effect PuTTY and BSD telnet go to character mode,
/// and refused, they keep their own line editing, which is the better experience with a
/// server that does not echo. Peers' `WILL` are refused with `DONT`, `DO` with `WONT`.
///
/// Loop avoidance (RFC 854, RFC 1143): we never answer a `WONT`/`DONT` that confirms a
/// state already in effect, and we refuse each option at most once per direction for the
/// life of the connection. RFC 1143 would refuse a repeated `WILL` again; a peer that keeps
/// the Q method never repeats it without our answer in between, so only a looping peer
/// does, and it gets no reply. A peer that re-asks honestly much later stays with the
/// option off, which is the safe outcome. For the one option we may agree to, every answer
/// is a change of its state (off→on for `DO`, on→off for `DONT`). Since we never ask, the
/// WANTYES/WANTNO states of RFC 1143 never arise.
public struct TelnetFilter: Sendable {
    /// Subnegotiations (option byte included) longer than this are abandoned.
    public static let maxSubnegotiation = 64
    public static let aytReply: [UInt8] = Array("\r\n[yes]\r\n".utf8)

    private enum State: UInt8, Sendable {
        case data, iac, will, wont, `do`, dont, sb, sbIAC
    }

    private var state = State.data
    private var sbLength = 0
    /// Options we have turned on at the peer's request (our side, "us" in RFC 1143).
    private var localEnabled = OptionBits()
    /// Options whose `DO` we have refused, and whose `WILL` we have refused.
    private var refusedDo = OptionBits()
    private var refusedWill = OptionBits()
    private let agreeToSuppressGoAhead: Bool
    /// Our side of ECHO, the one option we ask for (RFC 1143's us-states).
    private enum Echo: UInt8, Sendable { case off, offered, on, withdrawing }
    private var echo = Echo.off

    /// Whether the peer has sent any telnet negotiation (WILL/WONT/DO/DONT or SB): it speaks
    /// telnet rather than raw lines.
    public private(set) var sawNegotiation = false

    /// Offer character mode (`TelnetCharacterMode.offer`) to a peer whose first bytes are
    /// telnet negotiation, as a telnet client's are. A peer that sends data first (nc, a
    /// script) is never offered anything.
    public var offersCharacterMode = false
    /// The options offered and the peer's answers; nil when not offered.
    public private(set) var characterMode: TelnetCharacterMode?
    private var sawData = false
    /// The subnegotiation being read, kept only once character mode was offered.
    private var sbBytes: [UInt8] = []

    public init() { self.init(agreeToSuppressGoAhead: false) }

    public init(agreeToSuppressGoAhead: Bool) {
        self.agreeToSuppressGoAhead = agreeToSuppressGoAhead
    }

    /// Whether we have agreed to perform `option` (only ever SGA, and only if allowed).
    public func isLocallyEnabled(_ option: UInt8) -> Bool { localEnabled[option] }

    /// Whether the client has agreed that we echo (and so does not echo itself).
    public var isEchoing: Bool { echo == .on }

    /// Asks the client to leave echoing to us, which we do not do: what is typed next (a
    /// password) is not shown. The bytes to send; none when already asked.
    public mutating func offerEcho() -> [UInt8] {
        guard echo == .off else { return [] }
        echo = .offered
        return [TelnetCode.iac, TelnetCode.will, TelnetCode.echo]
    }

    /// Gives echoing back to the client. The bytes to send; none when it was not ours.
    public mutating func withdrawEcho() -> [UInt8] {
        guard echo == .on || echo == .offered else { return [] }
        echo = .withdrawing
        return [TelnetCode.iac, TelnetCode.wont, TelnetCode.echo]
    }

    /// Whether the filter is in the middle of a command or subnegotiation.
    public var isMidSequence: Bool { state != .data }

    /// Appends data bytes to `data` and protocol replies to `replies`.
    public mutating func filter(_ input: UnsafeRawBufferPointer, data: inout [UInt8], replies: inout [UInt8]) {
        let n = input.count
        var i = 0
        var answeredAYT = false
        while i < n {
            switch state {
            case .data:
                // Fast path: copy the run up to the next IAC.
                var j = i
                while j < n, input[j] != TelnetCode.iac { j += 1 }
                if j > i {
                    sawData = true
                    data.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<j]))
                }
                if j < n { state = .iac }
                i = j + 1
                continue
            case .iac:
                let b = input[i]
                state = .data
                if b >= TelnetCode.sb && b != TelnetCode.iac { firstNegotiation(&replies) }
                switch b {
                case TelnetCode.iac:
                    data.append(0xFF)
                    sawData = true
                case TelnetCode.will: state = .will
                case TelnetCode.wont: state = .wont
                case TelnetCode.do: state = .do
                case TelnetCode.dont: state = .dont
                case TelnetCode.sb:
                    state = .sb
                    sbLength = 0
                    sawNegotiation = true
                    sbBytes.removeAll(keepingCapacity: true)
                case TelnetCode.ec:
                    data.append(0x08)
                    sawData = true
                case TelnetCode.el:
                    data.append(0x15)
                    sawData = true
                case TelnetCode.ayt:
                    if !answeredAYT {
                        replies.append(contentsOf: Self.aytReply)
                        answeredAYT = true
                    }
                default: break  // NOP, DM, BRK, IP, AO, GA, stray SE, undefined
                }
            case .will, .wont, .do, .dont:
                let command = state
                state = .data
                sawNegotiation = true
                negotiate(command, option: input[i], replies: &replies)
            case .sb:
                let b = input[i]
                if b == TelnetCode.iac {
                    state = .sbIAC
                } else {
                    sbLength += 1
                    if sbLength > Self.maxSubnegotiation {
                        state = .data
                        continue  // this byte is data again
                    }
                    if characterMode != nil { sbBytes.append(b) }
                }
            case .sbIAC:
                let b = input[i]
                if b == TelnetCode.se {
                    state = .data
                    if characterMode != nil { characterMode!.subnegotiation(sbBytes) }
                } else if b == TelnetCode.iac {
                    state = .sb  // an escaped 0xFF inside the subnegotiation
                    sbLength += 1
                    if sbLength > Self.maxSubnegotiation { state = .data }
                    if characterMode != nil { sbBytes.append(0xFF) }
                } else {
                    // IAC and a command inside SB: the SB was broken off. Handle the command.
                    state = .iac
                    continue
                }
            }
            i += 1
        }
    }

    /// Array convenience.
    public mutating func filter(_ input: [UInt8], data: inout [UInt8], replies: inout [UInt8]) {
        input.withUnsafeBytes { filter($0, data: &data, replies: &replies) }
    }

    /// Offers character mode to a peer that has not negotiated (`LateCharacterModeOffer`): the
    /// bytes to send, or none when it was offered already or is not to be.
    public mutating func offerCharacterMode() -> [UInt8] {
        guard offersCharacterMode, characterMode == nil else { return [] }
        characterMode = TelnetCharacterMode()
        return TelnetCharacterMode.offer
    }

    /// The peer's first negotiation: if it came before any data, offer character mode.
    private mutating func firstNegotiation(_ replies: inout [UInt8]) {
        guard offersCharacterMode, characterMode == nil, !sawNegotiation, !sawData else { return }
        characterMode = TelnetCharacterMode()
        replies += TelnetCharacterMode.offer
    }

    private mutating func negotiate(_ command: State, option: UInt8, replies: inout [UInt8]) {
        // A password's ECHO in line mode (character mode refused) is answered below: character
        // mode would take a DO ECHO for a change of heart and give it back at once (its SGA is
        // off), and the password would show.
        if characterMode != nil && !(option == TelnetCode.echo && echo != .off) {
            let byte: UInt8
            switch command {
            case .will: byte = TelnetCode.will
            case .wont: byte = TelnetCode.wont
            case .do: byte = TelnetCode.do
            default: byte = TelnetCode.dont
            }
            if characterMode!.negotiate(byte, option: option, replies: &replies) { return }
        }
        switch command {
        case .will:
            // We want nothing from the peer. Its state for us stays "no".
            if !refusedWill[option] {
                refusedWill[option] = true
                replies += [TelnetCode.iac, TelnetCode.dont, option]
            }
        case .wont:
            break  // The peer's side is always off: a WONT confirms it, so no answer.
        case .do where option == TelnetCode.echo && echo != .off:
            // The answer to our WILL (or a late one after our WONT): no reply either way.
            if echo == .offered { echo = .on }
        case .dont where option == TelnetCode.echo && echo != .off:
            // A refusal of our WILL, the confirmation of our WONT: no reply. Asked to stop
            // while we echo: we stop and say so.
            if echo == .on { replies += [TelnetCode.iac, TelnetCode.wont, option] }
            echo = .off
        case .do:
            if agreeToSuppressGoAhead && option == TelnetCode.suppressGoAhead {
                if !localEnabled[option] {
                    localEnabled[option] = true
                    replies += [TelnetCode.iac, TelnetCode.will, option]
                }
            } else if !refusedDo[option] {
                refusedDo[option] = true
                replies += [TelnetCode.iac, TelnetCode.wont, option]
            }
        case .dont:
            if localEnabled[option] {
                localEnabled[option] = false
                replies += [TelnetCode.iac, TelnetCode.wont, option]
            }
        default:
            break
        }
    }

    /// Doubles every 0xFF in outgoing data (RFC 854). Valid UTF-8 never contains 0xFF, so
    /// text from `String` needs this only when raw bytes are sent.
    public static func escapeOutput(_ bytes: inout [UInt8]) {
        let count = bytes.reduce(0) { $0 + ($1 == 0xFF ? 1 : 0) }
        if count == 0 { return }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + count)
        for b in bytes {
            out.append(b)
            if b == 0xFF { out.append(0xFF) }
        }
        bytes = out
    }
}

/// A set of the 256 option codes, without allocation.
struct OptionBits: Sendable, Equatable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0

    subscript(_ option: UInt8) -> Bool {
        get {
            let bit = UInt64(1) << UInt64(option & 63)
            switch option >> 6 {
            case 0: return w0 & bit != 0
            case 1: return w1 & bit != 0
            case 2: return w2 & bit != 0
            default: return w3 & bit != 0
            }
        }
        set {
            let bit = UInt64(1) << UInt64(option & 63)
            switch option >> 6 {
            case 0: w0 = newValue ? w0 | bit : w0 & ~bit
            case 1: w1 = newValue ? w1 | bit : w1 & ~bit
            case 2: w2 = newValue ? w2 | bit : w2 & ~bit
            default: w3 = newValue ? w3 | bit : w3 & ~bit
            }
        }
    }
}
